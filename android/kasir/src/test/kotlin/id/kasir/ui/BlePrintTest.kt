package id.kasir.ui

import id.kasir.Kasir
import id.kasir.core.BleLinkException
import id.kasir.core.BlePrinterLink
import id.kasir.core.KasirException
import id.kasir.core.SavedPrinter
import java.math.BigDecimal
import kotlin.test.assertContentEquals
import kotlin.test.assertEquals
import kotlin.test.assertFailsWith
import kotlin.test.assertFalse
import kotlin.test.assertTrue
import kotlinx.coroutines.runBlocking
import org.junit.jupiter.api.AfterEach
import org.junit.jupiter.api.BeforeEach
import org.junit.jupiter.api.Test

/**
 * A GATT link that keeps every chunk it is given, refuses a chunk larger than a platform would
 * take, and fails its [failAt]-th write (from 0) when that is set.
 */
class FakeBleLink(
    private val mtu: Int,
    private val max: Int? = null,
    private val withoutResponse: Boolean = true,
    private val failAt: Int? = null,
) : BlePrinterLink {
    val chunks = mutableListOf<ByteArray>()
    val acknowledged = mutableListOf<Boolean>()
    var closed = false

    override fun mtu(): UShort = mtu.toUShort()

    override fun maxWriteWithoutResponse(): UInt? = max?.toUInt()

    override fun supportsWriteWithoutResponse(): Boolean = withoutResponse

    @Synchronized
    override fun write(chunk: ByteArray, withResponse: Boolean) {
        if (failAt == chunks.size) throw BleLinkException.WriteFailed("GATT status 133")
        val limit = if (withResponse || max == null) mtu - 3 else max
        if (chunk.size > limit) throw BleLinkException.WriteFailed("${chunk.size} bytes is more than $limit")
        chunks += chunk
        acknowledged += withResponse
    }

    fun received(): ByteArray = chunks.fold(ByteArray(0)) { all, c -> all + c }
}

/** Printing a real sale's receipt through the core's Bluetooth LE chunking over a fake link. */
class BlePrintTest {
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

    private fun printerOver(link: FakeBleLink, addresses: MutableList<String> = mutableListOf()) =
        BleReceiptPrinter { address ->
            addresses += address
            object : BlePrinterConnection {
                override val link = link

                override fun close() {
                    link.closed = true
                }
            }
        }

    private val printer = SavedPrinter("Kasir 58", "ble:AA:BB:CC:DD:EE:FF", "generic-58")

    @Test
    fun `a receipt goes out in chunks of MTU - 3 and arrives whole`() = runBlocking {
        val bytes = kasir.receiptBytes(sellCoco(), "generic-58")
        assertTrue(bytes.size > 2 * 182, "the receipt spans several writes: ${bytes.size}")
        val link = FakeBleLink(mtu = 185, withoutResponse = false)
        val addresses = mutableListOf<String>()
        val ble = printerOver(link, addresses)

        ble.send(printer, bytes)

        assertEquals(listOf("AA:BB:CC:DD:EE:FF"), addresses)
        val sizes = link.chunks.map { it.size }
        assertTrue(sizes.dropLast(1).all { it == 182 }, "$sizes")
        assertEquals((bytes.size + 181) / 182, sizes.size)
        assertContentEquals(bytes, link.received())
        assertTrue(link.acknowledged.all { it }, "no write without response on this characteristic")
        assertTrue(link.closed)
        assertEquals(bytes.size.toULong(), ble.lastReport?.bytes)
    }

    @Test
    fun `the platform's write-without-response limit wins when smaller`() = runBlocking {
        val bytes = kasir.receiptBytes(sellCoco(), "generic-58")
        val link = FakeBleLink(mtu = 517, max = 237)
        printerOver(link).send(printer, bytes)
        val sizes = link.chunks.map { it.size }
        assertTrue(sizes.dropLast(1).all { it == 237 }, "$sizes")
        assertTrue(sizes.last() in 1..237)
        assertContentEquals(bytes, link.received())
        assertFalse(link.acknowledged.any { it })
    }

    @Test
    fun `the receipt screen prints on a ble printer`() = runBlocking {
        val receipt = sellCoco()
        // Saved as the devices screen saves a printer its BLE scan found.
        kasir.savePrinter(SavedPrinter("kasir", "bt:66:22:B3:01:02:03", "generic-58"))
        val link = FakeBleLink(mtu = 23)
        val addresses = mutableListOf<String>()
        val model = ReceiptViewModel(kasir, receipt, Language.EN, printerPort = printerOver(link, addresses))
        assertTrue(model.print())
        assertTrue(model.state.value.printed)
        assertEquals(listOf("66:22:B3:01:02:03"), addresses)
        assertTrue(link.chunks.all { it.size <= 20 })
        assertContentEquals(kasir.receiptBytes(receipt, printer.profile), link.received())
    }

    @Test
    fun `a link that breaks part way says how much reached the printer`() = runBlocking {
        val bytes = kasir.receiptBytes(sellCoco(), "generic-58")
        val link = FakeBleLink(mtu = 185, failAt = 2)
        val e = assertFailsWith<KasirException.DeviceUnavailable> { printerOver(link).send(printer, bytes) }
        assertTrue(e.reason.contains("after 364 of ${bytes.size} bytes"), e.reason)
        assertTrue(e.reason.contains("GATT status 133"), e.reason)
        assertEquals(2, link.chunks.size)
        assertTrue(link.closed, "the connection is let go after a failure too")
    }

    @Test
    fun `a printer that is not ble is refused before connecting`() = runBlocking {
        val addresses = mutableListOf<String>()
        val e = assertFailsWith<KasirException.DeviceUnavailable> {
            printerOver(FakeBleLink(mtu = 185), addresses).send(SavedPrinter("LAN", "tcp:10.0.0.5:9100", "generic-80"), byteArrayOf(1))
        }
        assertTrue(e.reason.contains("not a Bluetooth LE printer"), e.reason)
        assertTrue(addresses.isEmpty())
    }

    @Test
    fun `the printer services come from the core`() {
        val services = printerServices()
        assertEquals(4, services.size)
        assertEquals("000018f0-0000-1000-8000-00805f9b34fb", services.first().service)
        assertEquals("00002af1-0000-1000-8000-00805f9b34fb", services.first().characteristic)
    }
}
