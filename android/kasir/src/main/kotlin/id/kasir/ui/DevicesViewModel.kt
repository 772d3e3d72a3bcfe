package id.kasir.ui

import id.kasir.Kasir
import id.kasir.core.SavedPrinter
import kotlinx.coroutines.flow.MutableStateFlow
import kotlinx.coroutines.flow.StateFlow
import kotlinx.coroutines.flow.asStateFlow
import kotlinx.coroutines.flow.update

/**
 * Where Bluetooth stands for the app. The platform's port reports all but [SCANNING], which is
 * the view model's own: a scan it started and the port has not ended.
 */
enum class BluetoothState {
    /** No Bluetooth LE on this device (or no port on this platform). */
    UNSUPPORTED,

    /** The adapter is off. */
    OFF,

    /** The app has not asked for the Bluetooth permission yet. */
    PERMISSION_NOT_ASKED,

    /** The clerk refused the permission; the system still lets the app ask again. */
    DENIED,

    /** The permission is refused for good: only the system settings can grant it now. */
    DENIED_PERMANENTLY,

    /** On and allowed: the app may scan and pair. */
    READY,

    /** A scan is running. */
    SCANNING,
}

/** What the clerk can do about Bluetooth from the devices screen. */
enum class BluetoothAction(val label: Label) {
    TURN_ON(Label.TURN_ON_BLUETOOTH),
    ASK_PERMISSION(Label.ALLOW_BLUETOOTH),
    OPEN_SETTINGS(Label.OPEN_SETTINGS),
}

/** What a nearby device is, as far as the platform can tell. */
enum class DeviceKind { PRINTER, CARD_READER, OTHER }

/** A device found by the platform's Bluetooth scan. */
data class FoundDevice(val name: String, val address: String, val kind: DeviceKind = DeviceKind.PRINTER)

/** What the platform's port tells the view model; called on the main thread. */
interface BluetoothListener {
    /** The adapter was turned on or off, or the permission was answered or changed in the settings. */
    fun availabilityChanged(availability: BluetoothState)

    /** The running scan saw [device] (again, perhaps). */
    fun deviceFound(device: FoundDevice)

    /** The running scan ended: its time was up, it was stopped, or it [failed]. */
    fun scanStopped(failed: Boolean)
}

/**
 * The platform's Bluetooth: adapter state, runtime permission and the scan (Android's
 * BluetoothAdapter and permissions, CoreBluetooth on iOS). The view model asks; the answers come
 * back through the [BluetoothListener] given to [observe].
 */
interface BluetoothPort {
    /** Where Bluetooth stands now: any state but [BluetoothState.SCANNING]. */
    val availability: BluetoothState

    /** Sends what happens to [listener] from now on; null stops (the latest listener replaces the one before). */
    fun observe(listener: BluetoothListener?)

    /** Shows the system's permission prompt. */
    fun requestPermission()

    /** Asks the system to turn the adapter on (Android's ACTION_REQUEST_ENABLE prompt). */
    fun requestEnable()

    /** Opens the app's page in the system settings, where a refused permission can be granted. */
    fun openSettings()

    /** Starts a scan for printers and card readers; false when the platform refused to start one. */
    fun startScan(): Boolean

    /** Ends the running scan (a [BluetoothListener.scanStopped] follows). */
    fun stopScan()
}

/** The printers and readers screen. */
data class DevicesState(
    val bluetooth: BluetoothState = BluetoothState.UNSUPPORTED,
    /** What to tell the clerk about Bluetooth (missing, off, not allowed), or null when it is usable. */
    val bluetoothMessage: String? = null,
    /** The way out of [bluetooth], if there is one, with its button's text in [bluetoothActionText]. */
    val bluetoothAction: BluetoothAction? = null,
    val bluetoothActionText: String? = null,
    val found: List<FoundDevice> = emptyList(),
    /** The printers saved in the store, by name. */
    val printers: List<SavedPrinter> = emptyList(),
    /** The core's built-in printer profiles (`generic-58`, `generic-80`...). */
    val profiles: List<String> = emptyList(),
    val message: UiMessage? = null,
) {
    /** A scan is running. */
    val searching: Boolean get() = bluetooth == BluetoothState.SCANNING

    /** Whether a scan may start now. */
    val canSearch: Boolean get() = bluetooth == BluetoothState.READY

    /** Whether a found device may be paired now (Bluetooth on and allowed). */
    val canPair: Boolean get() = bluetooth == BluetoothState.READY || bluetooth == BluetoothState.SCANNING
}

/**
 * Printers and card readers. Bluetooth's availability comes from the platform's [bluetooth]
 * port (none: [BluetoothState.UNSUPPORTED]); the screen shows its message and the one action
 * that helps ([bluetoothAction]), and scanning and pairing are refused until it is ready.
 * Pairing a printer saves it in the store with one of the core's profiles, under the target
 * `bt:ADDRESS`. [close] ends a running scan and stops listening to the port.
 */
class DevicesViewModel(
    private val kasir: Kasir,
    val language: Language,
    private val bluetooth: BluetoothPort? = null,
) : AutoCloseable {
    private val mutableState = MutableStateFlow(DevicesState(profiles = kasir.printerProfiles))

    /** The screen's state. */
    val state: StateFlow<DevicesState> = mutableState.asStateFlow()

    private val listener = object : BluetoothListener {
        override fun availabilityChanged(availability: BluetoothState) = this@DevicesViewModel.availabilityChanged(availability)

        override fun deviceFound(device: FoundDevice) = mutableState.update { s ->
            if (s.bluetooth != BluetoothState.SCANNING) {
                s // A late result of a scan that has ended.
            } else {
                s.copy(found = s.found.filterNot { it.address == device.address } + device)
            }
        }

        override fun scanStopped(failed: Boolean) = mutableState.update { s ->
            val stopped = if (s.bluetooth == BluetoothState.SCANNING) withBluetooth(s, BluetoothState.READY) else s
            if (failed) stopped.copy(message = UiMessage.of(Label.BLUETOOTH_SCAN_FAILED, language)) else stopped
        }
    }

    init {
        refresh()
        if (bluetooth != null) {
            bluetooth.observe(listener)
            availabilityChanged(bluetooth.availability)
        } else {
            availabilityChanged(BluetoothState.UNSUPPORTED)
        }
    }

    /** Reads the saved printers again. */
    fun refresh() {
        val printers = attempt(language, { m -> mutableState.update { it.copy(message = m) } }) { kasir.printers() }
        if (printers != null) mutableState.update { it.copy(printers = printers) }
    }

    /** The clerk's text and way out for each state. */
    private fun withBluetooth(s: DevicesState, bluetooth: BluetoothState): DevicesState {
        val (message, action) = when (bluetooth) {
            BluetoothState.UNSUPPORTED -> Label.BLUETOOTH_UNAVAILABLE to null
            BluetoothState.OFF -> Label.BLUETOOTH_OFF to BluetoothAction.TURN_ON
            BluetoothState.PERMISSION_NOT_ASKED -> Label.BLUETOOTH_NOT_ASKED to BluetoothAction.ASK_PERMISSION
            BluetoothState.DENIED -> Label.BLUETOOTH_DENIED to BluetoothAction.ASK_PERMISSION
            BluetoothState.DENIED_PERMANENTLY -> Label.BLUETOOTH_DENIED_PERMANENTLY to BluetoothAction.OPEN_SETTINGS
            BluetoothState.READY, BluetoothState.SCANNING -> null to null
        }
        val usable = bluetooth == BluetoothState.READY || bluetooth == BluetoothState.SCANNING
        return s.copy(
            bluetooth = bluetooth,
            bluetoothMessage = message?.text(language),
            bluetoothAction = action,
            bluetoothActionText = action?.label?.text(language),
            // Devices found before Bluetooth went away cannot be paired: they go with it.
            found = if (usable) s.found else emptyList(),
        )
    }

    private fun availabilityChanged(availability: BluetoothState) = mutableState.update { s ->
        // A scan goes on while the port says Bluetooth is ready; anything else has ended it.
        val next = if (availability == BluetoothState.READY && s.bluetooth == BluetoothState.SCANNING) BluetoothState.SCANNING else availability
        withBluetooth(s, next)
    }

    /** Does what [DevicesState.bluetoothAction] offers: turn on, ask for the permission, open the settings. */
    fun bluetoothAction() {
        val port = bluetooth ?: return
        when (state.value.bluetoothAction) {
            BluetoothAction.TURN_ON -> port.requestEnable()
            BluetoothAction.ASK_PERMISSION -> port.requestPermission()
            BluetoothAction.OPEN_SETTINGS -> port.openSettings()
            null -> {}
        }
    }

    /** Starts a scan when Bluetooth is ready, clearing the earlier results; false when it did not start. */
    fun search(): Boolean {
        val port = bluetooth ?: return false
        if (!state.value.canSearch) return false
        if (!port.startScan()) {
            mutableState.update { it.copy(message = UiMessage.of(Label.BLUETOOTH_SCAN_FAILED, language)) }
            return false
        }
        mutableState.update { withBluetooth(it, BluetoothState.SCANNING).copy(found = emptyList(), message = null) }
        return true
    }

    /** Ends the running scan. */
    fun stopSearch() {
        if (state.value.searching) bluetooth?.stopScan()
    }

    /**
     * Saves [device] as the printer [name] with [profile]; the store checks both. Refused while
     * Bluetooth is not usable (the screen says why).
     */
    fun pairPrinter(device: FoundDevice, name: String, profile: String): Boolean {
        val now = state.value
        if (!now.canPair) {
            mutableState.update { it.copy(message = UiMessage(Label.ERROR_NOT_ALLOWED.text(language), now.bluetoothMessage)) }
            return false
        }
        val saved = attempt(language, { m -> mutableState.update { it.copy(message = m) } }) {
            kasir.savePrinter(SavedPrinter(name, "bt:${device.address}", profile))
        } != null
        if (saved) {
            mutableState.update { it.copy(message = null) }
            refresh()
        }
        return saved
    }

    /** Hides the message. */
    fun dismissMessage() = mutableState.update { it.copy(message = null) }

    /** Ends a running scan and stops listening to the port. */
    override fun close() {
        stopSearch()
        bluetooth?.observe(null)
    }
}
