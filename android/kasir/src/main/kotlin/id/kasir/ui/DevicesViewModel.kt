package id.kasir.ui

import id.kasir.Kasir
import id.kasir.core.SavedPrinter
import kotlinx.coroutines.flow.MutableStateFlow
import kotlinx.coroutines.flow.StateFlow
import kotlinx.coroutines.flow.asStateFlow
import kotlinx.coroutines.flow.update

/** Where Bluetooth stands, as the platform layer reports it. */
enum class BluetoothState { UNKNOWN, UNAVAILABLE, OFF, DENIED, READY }

/** What a nearby device is, as far as the platform can tell. */
enum class DeviceKind { PRINTER, CARD_READER, OTHER }

/** A device found by the platform's Bluetooth scan. */
data class FoundDevice(val name: String, val address: String, val kind: DeviceKind = DeviceKind.PRINTER)

/** The printers and readers screen. */
data class DevicesState(
    val bluetooth: BluetoothState = BluetoothState.UNKNOWN,
    /** What to tell the clerk about Bluetooth (off, denied, missing), or null when it is ready. */
    val bluetoothMessage: String? = null,
    val searching: Boolean = false,
    val found: List<FoundDevice> = emptyList(),
    /** The printers saved in the store, by name. */
    val printers: List<SavedPrinter> = emptyList(),
    /** The core's built-in printer profiles (`generic-58`, `generic-80`...). */
    val profiles: List<String> = emptyList(),
    val message: UiMessage? = null,
)

/**
 * Printers and card readers. The platform layer runs the Bluetooth permission flow and the scan
 * and reports them here ([bluetoothChanged], [searchStarted], [deviceFound], [searchStopped]);
 * pairing a printer saves it in the store with one of the core's profiles, under the target
 * `bt:ADDRESS`.
 */
class DevicesViewModel(private val kasir: Kasir, val language: Language) {
    private val mutableState = MutableStateFlow(DevicesState(profiles = kasir.printerProfiles))

    /** The screen's state. */
    val state: StateFlow<DevicesState> = mutableState.asStateFlow()

    init {
        refresh()
    }

    /** Reads the saved printers again. */
    fun refresh() {
        val printers = attempt(language, { m -> mutableState.update { it.copy(message = m) } }) { kasir.printers() }
        if (printers != null) mutableState.update { it.copy(printers = printers) }
    }

    /** The platform's Bluetooth state changed (adapter off, permission denied or granted). */
    fun bluetoothChanged(bluetooth: BluetoothState) {
        val message = when (bluetooth) {
            BluetoothState.OFF -> Label.BLUETOOTH_OFF.text(language)
            BluetoothState.DENIED -> Label.BLUETOOTH_DENIED.text(language)
            BluetoothState.UNAVAILABLE -> Label.BLUETOOTH_UNAVAILABLE.text(language)
            BluetoothState.UNKNOWN, BluetoothState.READY -> null
        }
        mutableState.update {
            it.copy(
                bluetooth = bluetooth,
                bluetoothMessage = message,
                searching = it.searching && bluetooth == BluetoothState.READY,
            )
        }
    }

    /** The platform started a scan; earlier results are cleared. */
    fun searchStarted() = mutableState.update {
        if (it.bluetooth == BluetoothState.READY) it.copy(searching = true, found = emptyList()) else it
    }

    /** The platform's scan found [device] (reported again as it is seen again: kept once). */
    fun deviceFound(device: FoundDevice) = mutableState.update { s ->
        s.copy(found = s.found.filterNot { it.address == device.address } + device)
    }

    /** The platform's scan ended. */
    fun searchStopped() = mutableState.update { it.copy(searching = false) }

    /** Saves [device] as the printer [name] with [profile]; the store checks both. */
    fun pairPrinter(device: FoundDevice, name: String, profile: String): Boolean {
        val saved = attempt(language, { m -> mutableState.update { it.copy(message = m) } }) {
            kasir.savePrinter(SavedPrinter(name, "bt:${device.address}", profile))
        } != null
        if (saved) {
            mutableState.update { it.copy(message = null) }
            refresh()
        }
        return saved
    }
}
