package id.kasir.app.ui

import androidx.compose.foundation.layout.Arrangement
import androidx.compose.foundation.layout.Box
import androidx.compose.foundation.layout.BoxWithConstraints
import androidx.compose.foundation.layout.Column
import androidx.compose.foundation.layout.Row
import androidx.compose.foundation.layout.fillMaxSize
import androidx.compose.foundation.layout.fillMaxWidth
import androidx.compose.foundation.layout.heightIn
import androidx.compose.foundation.layout.padding
import androidx.compose.foundation.layout.widthIn
import androidx.compose.material3.DropdownMenu
import androidx.compose.material3.DropdownMenuItem
import androidx.compose.material3.HorizontalDivider
import androidx.compose.material3.MaterialTheme
import androidx.compose.material3.Surface
import androidx.compose.material3.Text
import androidx.compose.material3.TextButton
import androidx.compose.runtime.Composable
import androidx.compose.runtime.DisposableEffect
import androidx.compose.runtime.LaunchedEffect
import androidx.compose.runtime.collectAsState
import androidx.compose.runtime.getValue
import androidx.compose.runtime.key
import androidx.compose.runtime.mutableStateOf
import androidx.compose.runtime.remember
import androidx.compose.runtime.setValue
import androidx.compose.ui.Alignment
import androidx.compose.ui.Modifier
import androidx.compose.ui.text.style.TextOverflow
import androidx.compose.ui.unit.dp
import id.kasir.Kasir
import id.kasir.core.PaymentReader
import id.kasir.ui.BluetoothPort
import id.kasir.ui.DevicePreferences
import id.kasir.ui.DevicesViewModel
import id.kasir.ui.EnrolmentViewModel
import id.kasir.ui.Label
import id.kasir.ui.Language
import id.kasir.ui.MemoryPreferences
import id.kasir.ui.PaymentEvent
import id.kasir.ui.ReceiptPrinter
import id.kasir.ui.ReceiptSharePort
import id.kasir.ui.ReceiptViewModel
import id.kasir.ui.RegisterViewModel
import id.kasir.ui.ScanEvent
import id.kasir.ui.SettingsViewModel
import id.kasir.ui.ShiftViewModel
import id.kasir.ui.SyncViewModel
import kotlinx.coroutines.delay

/** The screens of the register app. */
enum class Destination { REGISTER, PAYMENT, RECEIPT, SYNC, DEVICES, SETTINGS, ENROL, SHIFT }

/**
 * What the platform gives the app: where device preferences live, the receipt printer port,
 * the camera for the enrolment QR code, Bluetooth and the register's camera preview (null
 * where there is none).
 */
class Platform(
    val preferences: DevicePreferences = MemoryPreferences(),
    val deviceLocale: String = "en-US",
    val printer: ReceiptPrinter? = null,
    /**
     * Where a receipt's PNG, PDF or public link goes to be shared (the share sheet; a folder and
     * the clipboard on the desktop). None: the receipt screen offers only the text.
     */
    val share: ReceiptSharePort? = null,
    val scanEnrolmentQr: (() -> Unit)? = null,
    /** Bluetooth's adapter, permission and scan (none: the devices screen says Kasir cannot use Bluetooth here). */
    val bluetooth: BluetoothPort? = null,
    /** The live camera of the register's scanner (none: no camera button). */
    val cameraPreview: CameraPreview? = null,
    /** Whether the register's search field takes the focus, for a scanner that types into it. */
    val focusScanField: Boolean = false,
    /** A scan's sound or haptic: an accepted item, or a refused code. */
    val scanFeedback: (ScanEvent) -> Unit = {},
    /** How often the sync bar re-reads the status so that its ages move on (0: only after a sale). */
    val syncRefreshMillis: Long = 30_000,
    /** The paired card reader of the payment screen's Card reader button (none: no button). */
    val cardReader: PaymentReader? = null,
)

/**
 * The whole register app on one open store: the sync bar always on top, the register with its
 * payment and receipt, and the setup screens. The same composable is the Android app's content
 * and the desktop window's.
 */
@Composable
fun KasirRegisterApp(kasir: Kasir, platform: Platform = remember { Platform() }) {
    val settings = remember { SettingsViewModel(kasir, platform.preferences, platform.deviceLocale) }
    val settingsState by settings.state.collectAsState()
    val current = settingsState.deviceLanguage
    // The open sale outlives a change of language: the register's view models are made again over it.
    val sale = remember { RegisterViewModel(kasir, current) }
    DisposableEffect(Unit) { onDispose { sale.close() } }
    // Where the clerk is survives a change of language too.
    val navigation = remember { Navigation() }
    Surface(Modifier.fillMaxSize(), color = MaterialTheme.colorScheme.background) {
        key(current) {
            val register = remember { if (current == sale.language) sale else RegisterViewModel(kasir, current, register = sale.register) }
            AppContent(kasir, current, platform, settings, register, navigation)
        }
    }
}

/** The screen shown and the receipt it shows. */
private class Navigation {
    var destination by mutableStateOf(Destination.REGISTER)
    var receiptNumber by mutableStateOf<String?>(null)
}

@Composable
private fun AppContent(
    kasir: Kasir,
    language: Language,
    platform: Platform,
    settings: SettingsViewModel,
    register: RegisterViewModel,
    navigation: Navigation,
) {
    var destination by navigation::destination
    var receiptNumber by navigation::receiptNumber
    val sync = remember { SyncViewModel(kasir, language) }
    val payment = remember(register) { register.payment(platform.cardReader) }
    if (platform.syncRefreshMillis > 0) LaunchedEffect(sync) {
        while (true) {
            delay(platform.syncRefreshMillis)
            sync.refresh()
        }
    }
    LaunchedEffect(register) { register.scanEvents.collect(platform.scanFeedback) }
    LaunchedEffect(payment) {
        payment.completions.collect { event ->
            if (event is PaymentEvent.Completed) {
                receiptNumber = event.receiptNumber
                destination = Destination.RECEIPT
                sync.refresh()
            }
        }
    }
    Column(Modifier.fillMaxSize()) {
        TopBar(kasir, language, sync, onOpen = { destination = it })
        HorizontalDivider()
        Box(Modifier.weight(1f).fillMaxWidth()) {
            val back = { destination = Destination.REGISTER }
            when (destination) {
                Destination.REGISTER -> RegisterScreen(
                    register,
                    onPay = {
                        payment.refresh()
                        destination = Destination.PAYMENT
                    },
                    focusSearch = platform.focusScanField,
                    cameraPreview = platform.cameraPreview,
                )
                Destination.PAYMENT -> PaymentScreen(register, payment, onBack = back)
                Destination.RECEIPT -> {
                    val number = receiptNumber
                    if (number == null) {
                        back()
                    } else {
                        val receipt = remember(number) {
                            ReceiptViewModel(
                                kasir, number, language, platform.printer, settings.state.value.printerName,
                                sharePort = platform.share,
                            )
                        }
                        ReceiptScreen(receipt, onNewSale = {
                            register.refresh()
                            back()
                        })
                    }
                }
                Destination.SYNC -> SyncScreen(sync, onBack = back)
                Destination.DEVICES -> {
                    val devices = remember { DevicesViewModel(kasir, language, platform.bluetooth) }
                    DisposableEffect(devices) { onDispose { devices.close() } }
                    DevicesScreen(devices, onBack = back)
                }
                Destination.SETTINGS -> SettingsScreen(settings, onBack = back)
                Destination.SHIFT -> ShiftScreen(remember { ShiftViewModel(kasir, language) }, onBack = back)
                Destination.ENROL -> EnrolmentScreen(
                    remember { EnrolmentViewModel(kasir, language) },
                    onBack = {
                        sync.refresh()
                        back()
                    },
                    onScanQr = platform.scanEnrolmentQr,
                )
            }
        }
    }
}

/** The store's name, the sync bar and the way to the other screens (a menu on a phone). */
@Composable
private fun TopBar(kasir: Kasir, language: Language, sync: SyncViewModel, onOpen: (Destination) -> Unit) {
    val links = listOf(
        Destination.SHIFT to Label.SHIFT.text(language),
        Destination.ENROL to Label.ENROL_MENU.text(language),
        Destination.DEVICES to Label.PRINTERS.text(language),
        Destination.SETTINGS to Label.SETTINGS.text(language),
    )
    Surface(color = MaterialTheme.colorScheme.surface) {
        BoxWithConstraints(Modifier.fillMaxWidth()) {
            val wide = maxWidth >= TwoPaneMinWidth
            val storeName = @Composable { modifier: Modifier ->
                TextButton(onClick = { onOpen(Destination.REGISTER) }, modifier = modifier.heightIn(min = MinTouchTarget)) {
                    Text(kasir.settings.name, style = MaterialTheme.typography.titleMedium, maxLines = 1, overflow = TextOverflow.Ellipsis)
                }
            }
            if (wide) {
                Row(
                    Modifier.fillMaxWidth().padding(horizontal = 8.dp, vertical = 4.dp),
                    verticalAlignment = Alignment.CenterVertically,
                    horizontalArrangement = Arrangement.spacedBy(8.dp),
                ) {
                    storeName(Modifier.widthIn(max = 320.dp))
                    SyncBar(sync, onOpen = { onOpen(Destination.SYNC) }, modifier = Modifier.weight(1f))
                    links.forEach { (destination, text) ->
                        TextButton(onClick = { onOpen(destination) }, modifier = Modifier.heightIn(min = MinTouchTarget)) { Text(text) }
                    }
                }
            } else {
                // A phone: the name and the menu, the sync bar on a line of its own.
                Column(Modifier.fillMaxWidth().padding(horizontal = 8.dp, vertical = 4.dp)) {
                    Row(verticalAlignment = Alignment.CenterVertically) {
                        storeName(Modifier.weight(1f))
                        PhoneMenu(language, links, onOpen)
                    }
                    SyncBar(sync, onOpen = { onOpen(Destination.SYNC) }, modifier = Modifier.fillMaxWidth())
                }
            }
        }
    }
}

@Composable
private fun PhoneMenu(language: Language, links: List<Pair<Destination, String>>, onOpen: (Destination) -> Unit) {
    var open by remember { mutableStateOf(false) }
    Box {
        TextButton(onClick = { open = true }, modifier = Modifier.heightIn(min = MinTouchTarget)) {
            Text(Label.MENU.text(language))
        }
        DropdownMenu(expanded = open, onDismissRequest = { open = false }) {
            links.forEach { (destination, text) ->
                DropdownMenuItem(
                    text = { Text(text) },
                    onClick = {
                        open = false
                        onOpen(destination)
                    },
                    modifier = Modifier.heightIn(min = MinTouchTarget),
                )
            }
        }
    }
}
