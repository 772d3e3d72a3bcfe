package id.kasir.ui

import id.kasir.Cloud
import id.kasir.Kasir
import java.math.BigDecimal
import java.net.URI
import java.net.http.HttpClient
import java.net.http.HttpRequest
import java.net.http.HttpResponse
import kotlin.test.assertEquals
import kotlin.test.assertFalse
import kotlin.test.assertNotEquals
import kotlin.test.assertNull
import kotlin.test.assertTrue
import kotlinx.coroutines.runBlocking
import org.junit.jupiter.api.AfterEach
import org.junit.jupiter.api.BeforeEach
import org.junit.jupiter.api.Test

/** Sending the receipt as its public link: known offline, handed to the platform, open once synced. */
class ReceiptLinkTest {
    private lateinit var kasir: Kasir

    @BeforeEach
    fun open() {
        kasir = sampleStore()
    }

    @AfterEach
    fun close() = kasir.close()

    private fun sellCoco(): String = kasir.sale { register ->
        register.scan(Catalog.COCO)
        register.payCash(BigDecimal("20000"))
        register.complete().receiptNumber
    }

    private fun get(url: String): Pair<Int, String> {
        val response = HttpClient.newHttpClient()
            .send(HttpRequest.newBuilder(URI.create(url)).GET().build(), HttpResponse.BodyHandlers.ofString())
        return response.statusCode() to response.body()
    }

    @Test
    fun `without a cloud account sendLink says to connect one and shares nothing`() = runBlocking {
        val receipt = sellCoco()
        val port = RecordingShare()
        val vm = ReceiptViewModel(kasir, receipt, Language.EN, sharePort = port)

        val sent = vm.sendLink()

        assertFalse(sent)
        assertNull(vm.state.value.link)
        assertEquals("Connect this device to a cloud account to send receipt links", vm.state.value.message?.title)
        assertTrue(port.links.isEmpty())
    }

    @Test
    fun `sendLink hands the enrolled cloud's link to the port and it opens the same sale once synced`() = runBlocking {
        Cloud().use { cloud ->
            val owner = cloud.merchant("Toko Tautan")
            val storeId = cloud.createStore(owner, "Toko Tautan")
            kasir.enrol(cloud.url, cloud.enrolmentCode(owner, storeId))
            val receipt = sellCoco()
            val port = RecordingShare()
            val vm = ReceiptViewModel(kasir, receipt, Language.ID, sharePort = port)

            assertTrue(vm.sendLink())

            val link = vm.state.value.link!!
            assertTrue(link.startsWith("${cloud.url}/r/"), link)
            assertEquals(listOf("Struk $receipt" to link), port.links)
            assertTrue(port.files.isEmpty(), "a link is not a file")
            assertEquals("Tautan bisa dibuka setelah penjualan ini tersinkron", vm.state.value.message?.title)
            assertEquals(404, get(link).first)

            kasir.syncOnce()
            assertTrue(vm.sendLink())
            assertEquals(link, vm.state.value.link, "the link never changes")
            assertNull(vm.state.value.message)
            val (status, json) = get("$link.json")
            assertEquals(200, status, json)
            // 100% coco: Rp 11.500, paid with Rp 20.000.
            assertEquals("11500", Cloud.field(json, "total"))
            assertEquals("8500", Cloud.field(json, "change"))
            assertEquals(receipt, Cloud.field(json, "receipt_number"))

            val other = ReceiptViewModel(kasir, sellCoco(), Language.ID, sharePort = port)
            assertTrue(other.sendLink())
            assertNotEquals(link, other.state.value.link)
        }
    }

    @Test
    fun `a failing port leaves the link shown with the port's message`() = runBlocking {
        Cloud().use { cloud ->
            val owner = cloud.merchant("Toko Tautan")
            val storeId = cloud.createStore(owner, "Toko Tautan")
            kasir.enrol(cloud.url, cloud.enrolmentCode(owner, storeId))
            val receipt = sellCoco()
            val vm = ReceiptViewModel(kasir, receipt, Language.EN, sharePort = RecordingShare("no app can take it"))

            assertFalse(vm.sendLink())

            assertTrue(vm.state.value.link!!.startsWith("${cloud.url}/r/"))
            assertEquals("no app can take it", vm.state.value.message?.detail)
            val noPort = ReceiptViewModel(kasir, receipt, Language.EN)
            assertFalse(noPort.sendLink())
            assertEquals(vm.state.value.link, noPort.state.value.link)
        }
    }
}
