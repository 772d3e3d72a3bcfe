package id.kasir.desktop

import androidx.compose.runtime.Composable
import id.kasir.Kasir
import id.kasir.app.ui.DevicesScreen
import id.kasir.app.ui.EnrolmentScreen
import id.kasir.app.ui.KasirRegisterApp
import id.kasir.app.ui.NoCameraPreview
import id.kasir.app.ui.PaymentScreen
import id.kasir.app.ui.Platform
import id.kasir.app.ui.ReceiptContent
import id.kasir.app.ui.RegisterScreen
import id.kasir.app.ui.SettingsScreen
import id.kasir.app.ui.ShiftScreen
import id.kasir.app.ui.SyncScreen
import id.kasir.core.PaymentReader
import id.kasir.core.SimulatedCard
import id.kasir.ui.BluetoothState
import id.kasir.ui.DevicesViewModel
import id.kasir.ui.EnrolmentViewModel
import id.kasir.ui.FoundDevice
import id.kasir.ui.Language
import id.kasir.ui.MemoryPreferences
import id.kasir.ui.ReceiptState
import id.kasir.ui.ReceiptViewModel
import id.kasir.ui.RegisterViewModel
import id.kasir.ui.SettingsViewModel
import id.kasir.ui.ShiftViewModel
import id.kasir.ui.SyncViewModel
import kotlinx.coroutines.runBlocking
import org.junit.jupiter.api.AfterAll
import org.junit.jupiter.api.DynamicTest
import org.junit.jupiter.api.TestFactory
import org.junit.jupiter.api.TestInstance

/**
 * Every screen at a phone and a tablet size, in English and Indonesian, driven by the real view
 * models over the real core (a new store with the sample catalog), compared with the reviewed
 * reference images.
 */
/** A static QRIS sticker (DANA, published test data; see rust-core/domain/tests/data/emvqr). */
private const val QRIS_STICKER = "00020101021126570011ID.DANA.WWW011893600915300060605702090006060570303UMI" +
    "51440014ID.CO.QRIS.WWW0215ID10190046990790303UMI5204481453033605802ID5912" +
    "Saifullah.id6014Kota Pontianak61057812463045F72"
private const val FIXED_STAMP = "14-03-2026 10:00:00"

@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ScreenshotTest {
    /** The store of the picture being drawn: a new one for each, so no picture depends on another. */
    private lateinit var kasir: Kasir
    private val stores = mutableListOf<Kasir>()

    @AfterAll
    fun closeStores() = stores.forEach { it.close() }

    /** One screen state: its name and how to draw it in a language on a device. */
    private class Shot(
        val name: String,
        val devices: List<Device> = Device.entries,
        val fontScale: Float = 1f,
        val draw: (Language, Device) -> @Composable () -> Unit,
    )

    private fun shots(): List<Shot> = listOf(
        Shot("register-empty") { language, _ ->
            val model = RegisterViewModel(kasir, language)
            ({ RegisterScreen(model, onPay = {}) })
        },
        Shot("register-cart") { language, device ->
            val model = cartWithItems(language)
            ({ RegisterScreen(model, onPay = {}, startWithCart = device == Device.PHONE) })
        },
        Shot("register-catalog", devices = listOf(Device.PHONE)) { language, _ ->
            val model = cartWithItems(language)
            model.selectCategory(kasir.categories().first().name)
            ({ RegisterScreen(model, onPay = {}) })
        },
        Shot("register-line-editor") { language, device ->
            val model = cartWithItems(language)
            ({ RegisterScreen(model, onPay = {}, startWithCart = device == Device.PHONE, editLine = 2) })
        },
        Shot("register-search", devices = listOf(Device.TABLET)) { language, _ ->
            val model = cartWithItems(language)
            model.search("teh")
            ({ RegisterScreen(model, onPay = {}) })
        },
        Shot("register-large-text", devices = listOf(Device.PHONE), fontScale = 1.5f) { language, _ ->
            val model = cartWithItems(language)
            ({ RegisterScreen(model, onPay = {}, startWithCart = true) })
        },
        Shot("payment-cash") { language, _ ->
            val register = cartWithItems(language)
            // With a paired card reader: the Card reader button under the tenders.
            val payment = register.payment(PaymentReader.simulated(SimulatedCard.APPROVE, null))
            "50".forEach { payment.keypadDigit(it.toString()) }
            payment.keypadDigit("000")
            ({ PaymentScreen(register, payment, onBack = {}) })
        },
        Shot("payment-paid") { language, _ ->
            val register = cartWithItems(language)
            val payment = register.payment()
            check(payment.payQuickAmount(payment.state.value.quickAmounts.last().amount)) { "${payment.state.value.message}" }
            ({ PaymentScreen(register, payment, onBack = {}) })
        },
        Shot("payment-card") { language, _ ->
            val register = cartWithItems(language)
            val payment = register.payment()
            "20000".forEach { payment.keypadDigit(it.toString()) }
            check(payment.cardPaid("A1B2C3", "4242", "VISA")) { "${payment.state.value.message}" }
            ({ PaymentScreen(register, payment, onBack = {}) })
        },
        Shot("payment-split-tip") { language, _ ->
            val register = cartWithItems(language)
            val payment = register.payment()
            check(payment.selectTip(java.math.BigDecimal(10))) { "${payment.state.value.message}" }
            check(payment.splitEvenly(3)) { "${payment.state.value.message}" }
            check(payment.selectPart(1))
            check(payment.payCashFromKeypad()) { "${payment.state.value.message}" }
            check(payment.selectPart(2))
            ({ PaymentScreen(register, payment, onBack = {}) })
        },
        Shot("payment-qris") { language, _ ->
            kasir.updateSettings(kasir.settings.copy(qris = QRIS_STICKER))
            val register = cartWithItems(language)
            val payment = register.payment()
            check(payment.showQris()) { "${payment.state.value.message}" }
            ({ PaymentScreen(register, payment, onBack = {}) })
        },
        Shot("receipt") { language, _ ->
            val register = cartWithItems(language)
            val payment = register.payment()
            check(payment.payQuickAmount(java.math.BigDecimal(100000))) { "${payment.state.value.message}" }
            val sale = payment.complete() ?: error("${payment.state.value.message}")
            val receipt = ReceiptViewModel(kasir, sale.receiptNumber, language)
            val state = fixedTime(receipt.state.value)
            // As the desktop window has it: Share image, Share PDF and Send link next to Share.
            ({ ReceiptContent(state, language, onPrint = {}, onShare = {}, onNewSale = {}, onShareImage = {}, onSharePdf = {}, onSendLink = {}) })
        },
        Shot("receipt-saved", devices = listOf(Device.PHONE)) { language, _ ->
            // The desktop after Share PDF: where the file was saved, under the buttons.
            val payment = cartWithItems(language).payment()
            check(payment.payCashExact()) { "${payment.state.value.message}" }
            val sale = payment.complete() ?: error("${payment.state.value.message}")
            val receipt = ReceiptViewModel(kasir, sale.receiptNumber, language)
            val state = fixedTime(receipt.state.value).copy(savedTo = "/home/ana/Downloads/struk-${sale.receiptNumber}.pdf")
            ({ ReceiptContent(state, language, onPrint = {}, onShare = {}, onNewSale = {}, onShareImage = {}, onSharePdf = {}, onSendLink = {}) })
        },
        Shot("sync") { language, _ ->
            val payment = cartWithItems(language).payment()
            check(payment.payCashExact()) { "${payment.state.value.message}" }
            payment.complete() ?: error("${payment.state.value.message}")
            // Five minutes after the sale, whenever the test runs.
            val sold = kasir.syncStatus().oldestWaiting ?: error("the sale is not waiting to be synced")
            val sync = SyncViewModel(kasir, language, clock = { sold.plusSeconds(300) })
            ({ SyncScreen(sync, onBack = {}) })
        },
        Shot("devices") { language, _ ->
            val bluetooth = ScriptedBluetooth(BluetoothState.READY)
            val devices = DevicesViewModel(kasir, language, bluetooth)
            check(devices.search())
            bluetooth.found(FoundDevice("RPP02N", "86:67:7A:12:34:56"))
            bluetooth.found(FoundDevice("MTP-II", "66:22:B1:9C:0D:11"))
            bluetooth.stopped()
            ({ DevicesScreen(devices, onBack = {}) })
        },
        Shot("devices-bluetooth-off", devices = listOf(Device.PHONE)) { language, _ ->
            val devices = DevicesViewModel(kasir, language, ScriptedBluetooth(BluetoothState.OFF))
            ({ DevicesScreen(devices, onBack = {}) })
        },
        Shot("devices-bluetooth-denied", devices = listOf(Device.PHONE)) { language, _ ->
            val devices = DevicesViewModel(kasir, language, ScriptedBluetooth(BluetoothState.DENIED_PERMANENTLY))
            ({ DevicesScreen(devices, onBack = {}) })
        },
        Shot("register-scanner") { language, _ ->
            val model = cartWithItems(language)
            model.openScanner()
            check(model.scan(SampleItems.first(kasir, 3)[2])) { "${model.state.value.message}" }
            ({ RegisterScreen(model, onPay = {}, cameraPreview = { register, modifier -> NoCameraPreview(register, modifier) }) })
        },
        Shot("register-scanner-refused", devices = listOf(Device.PHONE)) { language, _ ->
            val model = cartWithItems(language)
            model.openScanner()
            // A valid EAN-13 that is not in the catalog.
            check(!model.scan("4006381333931"))
            ({ RegisterScreen(model, onPay = {}, cameraPreview = { register, modifier -> NoCameraPreview(register, modifier) }) })
        },
        Shot("settings") { language, _ ->
            val settings = SettingsViewModel(kasir, MemoryPreferences(language = language), language.code)
            ({ SettingsScreen(settings, onBack = {}) })
        },
        Shot("enrolment") { language, _ ->
            val enrolment = EnrolmentViewModel(kasir, language)
            enrolment.setServerUrl("https://cloud.kasir.example")
            enrolment.setCode("7K2M-QX9D")
            runBlocking { enrolment.enrol() }
            ({ EnrolmentScreen(enrolment, onBack = {}, onScanQr = {}) })
        },
        Shot("shift-open") { language, _ ->
            val shift = shiftWithCash(language)
            ({ ShiftScreen(shift, onBack = {}) })
        },
        Shot("shift-closed") { language, _ ->
            val shift = shiftWithCash(language)
            val expected = kasir.currentShift()?.expectedCash ?: error("no shift is open")
            shift.setAmount((expected - java.math.BigDecimal(1500)).toPlainString())
            check(shift.close()) { "${shift.state.value.message}" }
            ({ ShiftScreen(shift, onBack = {}) })
        },
        Shot("shift-sign-in", devices = listOf(Device.PHONE)) { language, _ ->
            kasir.addStaff("Sari", id.kasir.core.StaffRole.MANAGER, "1234")
            val shift = ShiftViewModel(kasir, language)
            shift.setAmount("200000")
            check(!shift.open())
            ({ ShiftScreen(shift, onBack = {}) })
        },
        Shot("app") { language, _ ->
            // As the desktop window has it: the camera button opens a scanner that says there is no camera.
            val platform = Platform(
                preferences = MemoryPreferences(language = language),
                syncRefreshMillis = 0,
                cameraPreview = { register, modifier -> NoCameraPreview(register, modifier) },
            )
            ({ KasirRegisterApp(kasir, platform) })
        },
    )

    /** The receipt's date and time are the moment of the test's sale: a fixed one keeps the image still. */
    private fun fixedTime(state: ReceiptState): ReceiptState {
        val stamp = Regex("""\d{2}[-/.]\d{2}[-/.]\d{4} \d{2}:\d{2}(:\d{2})?|\d{4}-\d{2}-\d{2} \d{2}:\d{2}(:\d{2})?""")
        check(stamp.containsMatchIn(state.text)) { "no date and time found in the receipt:\n${state.text}" }
        return state.copy(text = stamp.replace(state.text) { m -> FIXED_STAMP.take(m.value.length).padEnd(m.value.length, '0') })
    }

    /** A shift opened with Rp 200.000, one cash sale, Rp 50.000 paid in and Rp 25.000 paid out. */
    private fun shiftWithCash(language: Language): ShiftViewModel {
        val shift = ShiftViewModel(kasir, language)
        shift.setAmount("200000")
        check(shift.open()) { "${shift.state.value.message}" }
        val payment = cartWithItems(language).payment()
        check(payment.payQuickAmount(java.math.BigDecimal(100000))) { "${payment.state.value.message}" }
        payment.complete() ?: error("${payment.state.value.message}")
        shift.setAmount("50000")
        shift.setReason("Change from the safe")
        check(shift.payIn()) { "${shift.state.value.message}" }
        shift.setAmount("25000")
        shift.setReason("Ice")
        check(shift.payOut()) { "${shift.state.value.message}" }
        shift.refresh()
        return shift
    }

    private fun cartWithItems(language: Language): RegisterViewModel {
        val model = RegisterViewModel(kasir, language)
        val codes = SampleItems.first(kasir, 3)
        codes.forEach { check(model.add(it)) { "could not add $it: ${model.state.value.message}" } }
        check(model.add(codes[0]))
        check(model.setLineDiscount(2, "10%")) { "${model.state.value.message}" }
        return model
    }

    @TestFactory
    fun screens(): List<DynamicTest> = shots().flatMap { shot ->
        shot.devices.flatMap { device ->
            Language.entries.map { language ->
                val name = "${shot.name}-${device.name.lowercase()}-${language.code}"
                DynamicTest.dynamicTest(name) {
                    kasir = sampleStore().also { stores += it }
                    val content = shot.draw(language, device)
                    Screenshots.verify(name, Screenshots.render(device, shot.fontScale, content))
                }
            }
        }
    }
}
