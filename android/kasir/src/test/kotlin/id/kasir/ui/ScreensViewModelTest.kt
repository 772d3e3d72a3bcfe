package id.kasir.ui

import id.kasir.Kasir
import id.kasir.core.SavedPrinter
import id.kasir.core.domain.Locale
import java.math.BigDecimal
import java.time.Duration
import kotlin.test.assertContentEquals
import kotlin.test.assertEquals
import kotlin.test.assertFalse
import kotlin.test.assertNotNull
import kotlin.test.assertNull
import kotlin.test.assertTrue
import kotlinx.coroutines.runBlocking
import org.junit.jupiter.api.AfterEach
import org.junit.jupiter.api.BeforeEach
import org.junit.jupiter.api.Test

/** The receipt, printers, sync and settings view models over the real core. */
class ScreensViewModelTest {
    private lateinit var kasir: Kasir

    @BeforeEach
    fun open() {
        kasir = sampleStore()
    }

    @AfterEach
    fun close() = kasir.close()

    private fun sellCoco(cash: String = "20000"): String = kasir.sale { register ->
        register.scan(Catalog.COCO)
        register.payCash(BigDecimal(cash))
        register.complete().receiptNumber
    }

    @Test
    fun `the receipt shows the core's text and prints the core's bytes`() = runBlocking {
        val receipt = sellCoco()
        val noPrinter = ReceiptViewModel(kasir, receipt, Language.ID)
        assertTrue(receipt in noPrinter.state.value.text)
        assertEquals(kasir.receiptText(receipt, 32), noPrinter.state.value.text)
        assertEquals("Rp 11.500", noPrinter.state.value.totalText)
        assertEquals("Rp 8.500", noPrinter.state.value.changeText)
        assertFalse(noPrinter.print())
        assertEquals(Label.NO_PRINTER.text(Language.ID), noPrinter.state.value.message?.title)

        kasir.savePrinter(SavedPrinter("kasir", "bt:66:22:B3:01:02:03", "generic-58"))
        val sent = mutableListOf<Pair<String, ByteArray>>()
        val vm = ReceiptViewModel(kasir, receipt, Language.ID, { printer, bytes -> sent += printer.target to bytes })
        assertTrue(vm.print())
        assertTrue(vm.state.value.printed)
        assertEquals("bt:66:22:B3:01:02:03", sent.single().first)
        assertContentEquals(kasir.receiptBytes(receipt, "generic-58"), sent.single().second)

        val failing = ReceiptViewModel(kasir, receipt, Language.EN, { _, _ -> error("printer out of paper") })
        assertFalse(failing.print())
        assertFalse(failing.state.value.printing)
        assertEquals("printer out of paper", failing.state.value.message?.detail)

        val share = vm.share()
        assertEquals("Struk $receipt", share.subject)
        assertEquals(vm.state.value.text, share.text)
    }

    @Test
    fun `a receipt that does not exist is a message, not a crash`() {
        val vm = ReceiptViewModel(kasir, "D01-999999", Language.EN)
        assertEquals(Label.ERROR_NOT_FOUND.text(Language.EN), vm.state.value.message?.title)
    }

    @Test
    fun `sync status counts the waiting sales and ages the oldest`() {
        val receipt = sellCoco()
        val completed = kasir.completedSale(receipt).completedAt
        val vm = SyncViewModel(kasir, Language.EN, clock = { completed.plus(Duration.ofMinutes(5)) })
        val state = vm.state.value
        assertFalse(state.enrolled)
        assertEquals(kasir.syncStatus().waiting.toLong(), state.waiting)
        assertEquals(1, state.waiting)
        assertEquals(Duration.ofMinutes(5), state.oldestWaitingAge)
        assertEquals("Not connected to a cloud account · 1 waiting", state.summary)
        assertEquals("5 min ago", vm.ageText(state.oldestWaitingAge!!))
        assertEquals("1 waiting", state.waitingText)
        assertEquals("oldest 5 min ago", state.oldestWaitingText)
        assertEquals("never synced", state.lastSyncText)
        assertEquals("2 h ago", vm.ageText(Duration.ofMinutes(150)))
        assertNull(state.lastSyncAt)

        sellCoco()
        vm.refresh()
        assertEquals(2, vm.state.value.waiting)
        assertEquals(Duration.ofMinutes(5), vm.state.value.oldestWaitingAge, "the oldest is still the first")
    }

    @Test
    fun `settings are saved in the core and refused when wrong`() {
        val preferences = MemoryPreferences()
        val vm = SettingsViewModel(kasir, preferences, "in-ID")
        assertEquals(Language.ID, vm.language)
        assertEquals("Toko Uji", vm.state.value.storeName)
        assertEquals(Language.ID, vm.state.value.receiptLanguage)
        assertEquals("IDR", vm.state.value.currency)

        assertFalse(vm.setStoreName("  "))
        assertEquals("name", vm.state.value.message?.field)
        assertEquals("Toko Uji", kasir.settings.name)
        assertTrue(vm.setStoreName("Warung Sari"))
        assertEquals("Warung Sari", kasir.settings.name)

        assertTrue(vm.setReceiptLanguage(Language.EN))
        assertEquals(Locale.EN, kasir.settings.locale)
        assertEquals("Rp 12,500", kasir.formatMoney(BigDecimal(12500)))

        vm.setDeviceLanguage(Language.EN)
        assertEquals(Language.EN, preferences.language)
        assertEquals(Language.EN, SettingsViewModel(kasir, preferences, "id-ID").language)

        assertFalse(vm.setPrinter("dapur"))
        kasir.savePrinter(SavedPrinter("dapur", "bt:00:11:22:33:44:55", "generic-80"))
        vm.refresh()
        assertTrue(vm.setPrinter("dapur"))
        assertEquals("dapur", preferences.printerName)
    }
}
