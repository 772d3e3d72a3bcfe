package id.kasir

import id.kasir.core.KasirException
import id.kasir.core.NetworkMonitor
import id.kasir.core.ReachabilityListener
import id.kasir.core.SecureStorage
import java.math.BigDecimal
import java.nio.file.Files
import java.util.concurrent.ConcurrentHashMap
import kotlin.test.assertEquals
import kotlin.test.assertFailsWith
import kotlin.test.assertFalse
import kotlin.test.assertNotNull
import kotlin.test.assertNull
import kotlin.test.assertTrue
import kotlinx.coroutines.flow.first
import kotlinx.coroutines.flow.take
import kotlinx.coroutines.flow.toList
import kotlinx.coroutines.launch
import kotlinx.coroutines.runBlocking
import kotlinx.coroutines.withTimeout
import org.junit.jupiter.api.AfterEach
import org.junit.jupiter.api.BeforeEach
import org.junit.jupiter.api.Test

/** A device's secure storage, in memory: the Kotlin implementation of a foreign trait. */
class MemorySecureStorage : SecureStorage {
    val values = ConcurrentHashMap<String, String>()

    override fun read(key: String): String? = values[key]

    override fun write(key: String, value: String) {
        values[key] = value
    }

    override fun delete(key: String) {
        values.remove(key)
    }
}

/** Enrolment and sync against a real kasir-cloud, from coroutines. */
class SyncTest {
    private lateinit var cloud: Cloud
    private lateinit var owner: String
    private lateinit var storeId: String
    private val storage = MemorySecureStorage()
    private lateinit var storePath: String

    @BeforeEach
    fun startCloud() {
        cloud = Cloud()
        owner = cloud.merchant("Toko Sinkron")
        storeId = cloud.createStore(owner, "Toko Sinkron")
        storePath = Files.createTempDirectory("kasir-sync").resolve("store.db").toString()
    }

    @AfterEach
    fun stopCloud() = cloud.close()

    private fun ringUpOneSale(kasir: Kasir): BigDecimal = kasir.sale { register ->
        register.scan(SaleTest.COCO)
        register.scan(SaleTest.CELERI)
        register.payCash(null)
        register.complete().total
    }

    @Test
    fun `a completed sale reaches the cloud with one sync and the token stays in secure storage`() = runBlocking {
        Kasir.openOrCreate(storePath, "Toko Sinkron", "D07", sampleCatalog = true, secureStorage = storage).use { kasir ->
            kasir.enrol(cloud.url, cloud.enrolmentCode(owner, storeId))
            val token = storage.values["kasir.device-token"]
            assertNotNull(token, "the device token went to the secure storage")
            assertFalse(Files.readAllBytes(java.nio.file.Path.of(storePath)).toString(Charsets.ISO_8859_1).contains(token))

            // 11.500 + 37.000, paid in exact cash.
            assertEquals(BigDecimal("48500"), ringUpOneSale(kasir))
            assertEquals(1uL, kasir.syncStatus().waiting)

            val report = kasir.syncOnce()
            assertEquals(1uL, report.stored)
            assertEquals(0uL, report.rejected)
            val status = kasir.syncStatus()
            assertEquals(0uL, status.waiting)
            assertEquals(1uL, status.synced)
            assertNotNull(status.lastSuccessAt)

            val date = kasir.sales().single().businessDate
            val cloudReport = cloud.dayReport(owner, storeId, date)
            assertEquals("1", Cloud.field(cloudReport, "sales"))
            assertEquals(BigDecimal("48500"), BigDecimal(Cloud.field(cloudReport, "total")))
        }
    }

    @Test
    fun `enrolment lists each setting the cloud's change`() = runBlocking {
        val code = cloud.enrolmentCode(owner, storeId)
        Kasir.openOrCreate(storePath, "Toko Lama", "D07").use { kasir ->
            val changed = kasir.enrol(cloud.url, code)
            val name = changed.single { it.setting == "name" }
            assertEquals("Toko Lama", name.old)
            assertEquals("Toko Sinkron", name.new)
            assertEquals("Toko Sinkron", kasir.settings.name)
        }
    }

        @Test
    fun `a spent enrolment code is declined`() = runBlocking {
        val code = cloud.enrolmentCode(owner, storeId)
        Kasir.openOrCreate(storePath, "Toko Sinkron", "D07").use { it.enrol(cloud.url, code) }
        val other = Files.createTempDirectory("kasir-sync").resolve("other.db").toString()
        Kasir.openOrCreate(other, "Toko Sinkron", "D08").use { kasir ->
            val error = assertFailsWith<KasirException.Declined> { kasir.enrol(cloud.url, code) }
            assertTrue("already used" in error.reason, error.reason)
            assertFalse(kasir.syncStatus().enrolled)
        }
    }

    @Test
    fun `sync before enrolment says the device is not enrolled`() = runBlocking {
        Kasir.openOrCreate(storePath, "Toko Sinkron", "D07").use { kasir ->
            assertFailsWith<KasirException.NotEnrolled> { kasir.syncOnce() }
            Unit
        }
    }

    @Test
    fun `an unreachable server is a network error`() = runBlocking {
        val code = cloud.enrolmentCode(owner, storeId)
        Kasir.openOrCreate(storePath, "Toko Sinkron", "D07", sampleCatalog = true).use { kasir ->
            kasir.enrol(cloud.url, code)
            ringUpOneSale(kasir)
            cloud.close()
            val error = assertFailsWith<KasirException.Network> { kasir.syncOnce() }
            val host = cloud.url.removePrefix("http://")
            assertTrue("cannot reach the cloud at $host" in error.reason, error.reason)
            assertFalse("error sending request" in error.reason, error.reason)
            assertEquals(1uL, kasir.syncStatus().waiting, "the sale waits for the next sync")
        }
    }

    @Test
    fun `background sync emits each outcome and the network coming back wakes it`() = runBlocking {
        val monitor = object : NetworkMonitor {
            @Volatile var listener: ReachabilityListener? = null
            @Volatile var stopped = false

            override fun isReachable() = true

            override fun start(listener: ReachabilityListener) {
                this.listener = listener
            }

            override fun stop() {
                stopped = true
            }
        }
        Kasir.openOrCreate(storePath, "Toko Sinkron", "D07", sampleCatalog = true, secureStorage = storage).use { kasir ->
            kasir.enrol(cloud.url, cloud.enrolmentCode(owner, storeId))
            ringUpOneSale(kasir)

            // An hour between syncs: the second outcome can only come from the wake-up.
            val events = withTimeout(60_000) {
                val collected = mutableListOf<id.kasir.core.SyncEvent>()
                val job = launch {
                    kasir.syncEvents(intervalSecs = 3600, monitor = monitor).take(2).toList(collected)
                }
                while (collected.isEmpty()) kotlinx.coroutines.delay(20)
                ringUpOneSale(kasir)
                monitor.listener!!.changed(false)
                monitor.listener!!.changed(true)
                job.join()
                collected
            }
            assertEquals(listOf(1uL, 1uL), events.map { it.report?.stored })
            events.forEach { assertNull(it.error) }
            assertTrue(monitor.stopped, "collecting stopped the sync and the monitor")
            assertEquals(2uL, kasir.syncStatus().synced)
        }
    }

    @Test
    fun `cancelling an enrolment that waits on a silent server leaves the device free to enrol`() = runBlocking {
        // A server that accepts connections and never answers: the client would wait a minute.
        java.net.ServerSocket(0, 50, java.net.InetAddress.getLoopbackAddress()).use { silent ->
            Kasir.openOrCreate(storePath, "Toko Sinkron", "D07").use { kasir ->
                val outcome = kotlinx.coroutines.withTimeoutOrNull(500) {
                    kasir.enrol("http://127.0.0.1:${silent.localPort}", "AAAA-BBBB-CCCC-DDDD")
                }
                assertNull(outcome, "the enrolment was cancelled, not completed")
                assertFalse(kasir.syncStatus().enrolled)

                kasir.enrol(cloud.url, cloud.enrolmentCode(owner, storeId))
                assertTrue(kasir.syncStatus().enrolled)
            }
        }
    }

    @Test
    fun `status updates start with the current status`() = runBlocking {
        Kasir.openOrCreate(storePath, "Toko Sinkron", "D07", sampleCatalog = true).use { kasir ->
            kasir.enrol(cloud.url, cloud.enrolmentCode(owner, storeId))
            ringUpOneSale(kasir)
            val first = withTimeout(60_000) { kasir.syncStatusUpdates(intervalSecs = 3600).first() }
            assertTrue(first.enrolled)
            assertEquals(1uL, first.waiting)
        }
    }
}
