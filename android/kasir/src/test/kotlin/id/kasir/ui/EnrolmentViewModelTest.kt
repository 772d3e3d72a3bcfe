package id.kasir.ui

import id.kasir.Cloud
import id.kasir.Kasir
import id.kasir.MemorySecureStorage
import java.nio.file.Files
import kotlin.test.assertEquals
import kotlin.test.assertFalse
import kotlin.test.assertTrue
import kotlinx.coroutines.flow.first
import kotlinx.coroutines.runBlocking
import kotlinx.coroutines.withTimeout
import org.junit.jupiter.api.AfterEach
import org.junit.jupiter.api.BeforeEach
import org.junit.jupiter.api.Test

/** Enrolment and the sync bar against a real kasir-cloud. */
class EnrolmentViewModelTest {
    private lateinit var cloud: Cloud
    private lateinit var owner: String
    private lateinit var storeId: String
    private lateinit var kasir: Kasir

    @BeforeEach
    fun start() {
        cloud = Cloud()
        owner = cloud.merchant("Toko Daftar")
        storeId = cloud.createStore(owner, "Toko Daftar")
        val path = Files.createTempDirectory("kasir-enrol").resolve("store.db").toString()
        kasir = Kasir.openOrCreate(path, "Toko Daftar", "D02", sampleCatalog = true, secureStorage = MemorySecureStorage())
    }

    @AfterEach
    fun stop() {
        kasir.close()
        cloud.close()
    }

    @Test
    fun `a typed code is checked by the core before it goes to the cloud`() = runBlocking {
        val vm = EnrolmentViewModel(kasir, Language.ID, serverUrl = cloud.url)
        vm.setCode("ABCD-EFGH")
        assertFalse(vm.enrol())
        assertEquals("code", vm.state.value.message?.field)
        vm.setServerUrl("cloud.example")
        vm.setCode("ABCD-EFGH-JKMN-PQRS")
        assertFalse(vm.enrol())
        assertEquals("server_url", vm.state.value.message?.field)

        // Well formed but never issued: the cloud refuses it.
        vm.setServerUrl(cloud.url)
        assertFalse(vm.enrol())
        assertEquals(Label.ERROR_DECLINED.text(Language.ID), vm.state.value.message?.title)
        assertFalse(vm.state.value.enrolled)
        assertFalse(kasir.syncStatus().enrolled)

        // A real code typed in lower case without dashes.
        vm.setCode(cloud.enrolmentCode(owner, storeId).replace("-", "").lowercase())
        assertTrue(vm.enrol())
        assertTrue(vm.state.value.enrolled)
        assertTrue(kasir.syncStatus().enrolled)
    }

    @Test
    fun `a scanned enrolment link enrols, and the sync bar then shows the sales sent`() = runBlocking {
        val vm = EnrolmentViewModel(kasir, Language.EN)
        val code = cloud.enrolmentCode(owner, storeId)
        assertTrue(vm.scanned("${cloud.url}/enrol?code=$code"))
        assertEquals(cloud.url, vm.state.value.serverUrl)
        assertTrue(vm.state.value.enrolled)

        kasir.sale { register ->
            register.scan(Catalog.COCO)
            register.payCash(null)
            register.complete()
        }
        val sync = SyncViewModel(kasir, Language.EN)
        assertTrue(sync.state.value.enrolled)
        assertEquals(1, sync.state.value.waiting)
        assertTrue(sync.state.value.summary.startsWith("1 waiting · oldest "), sync.state.value.summary)
        assertTrue(sync.state.value.summary.endsWith("never synced"), sync.state.value.summary)

        assertTrue(sync.syncNow())
        val state = sync.state.value
        assertEquals(0, state.waiting)
        assertEquals(1, state.synced)
        assertTrue(state.lastSyncAt != null)
        assertTrue(state.summary.startsWith("All sent · last sync "), state.summary)
        assertFalse(state.syncing)
    }

    @Test
    fun `background sync refreshes the sync bar after each outcome`() = runBlocking {
        assertTrue(EnrolmentViewModel(kasir, Language.ID, cloud.url).apply { setCode(cloud.enrolmentCode(owner, storeId)) }.enrol())
        kasir.sale { register ->
            register.scan(Catalog.CELERI)
            register.payCash(null)
            register.complete()
        }
        val sync = SyncViewModel(kasir, Language.ID)
        assertEquals(1, sync.state.value.waiting)
        assertTrue(sync.state.value.summary.startsWith("1 menunggu"), sync.state.value.summary)
        val job = sync.syncInBackground(this, intervalSecs = 3600)
        try {
            // A guard against a hang, not a speed check: the first sync starts at once.
            val state = withTimeout(60_000) { sync.state.first { it.waiting == 0L && it.lastSyncAt != null } }
            assertTrue(state.summary.startsWith("Semua terkirim · sinkron terakhir "), state.summary)
        } finally {
            job.cancel()
        }
    }
}
