package id.kasir.desktop

import id.kasir.ui.BluetoothListener
import id.kasir.ui.BluetoothPort
import id.kasir.ui.BluetoothState
import id.kasir.ui.FoundDevice

/**
 * A Bluetooth port whose adapter and scan the tests set, as a phone would report them; it
 * records what the screen asked of it, and with [enableTurnsOn] the system's prompt turns
 * Bluetooth on.
 */
class ScriptedBluetooth(override var availability: BluetoothState, private val enableTurnsOn: Boolean = false) : BluetoothPort {
    private var listener: BluetoothListener? = null
    val asked = mutableListOf<String>()

    /** Whether a view model listens. */
    val listening: Boolean get() = listener != null

    override fun observe(listener: BluetoothListener?) {
        this.listener = listener
    }

    override fun requestPermission() {
        asked += "permission"
    }

    override fun requestEnable() {
        asked += "enable"
        if (enableTurnsOn) {
            availability = BluetoothState.READY
            listener?.availabilityChanged(availability)
        }
    }

    override fun openSettings() {
        asked += "settings"
    }

    override fun startScan(): Boolean {
        asked += "scan"
        return availability == BluetoothState.READY
    }

    override fun stopScan() {
        asked += "stop"
        stopped()
    }

    fun found(device: FoundDevice) = listener?.deviceFound(device) ?: error("no one listens to the port")

    fun stopped() = listener?.scanStopped(failed = false) ?: error("no one listens to the port")
}
