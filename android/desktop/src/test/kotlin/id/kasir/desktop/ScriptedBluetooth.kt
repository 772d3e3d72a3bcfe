package id.kasir.desktop

import id.kasir.ui.BluetoothListener
import id.kasir.ui.BluetoothPort
import id.kasir.ui.BluetoothState
import id.kasir.ui.FoundDevice

/** A Bluetooth port whose adapter and scan the screenshots set, as a phone would report them. */
class ScriptedBluetooth(override var availability: BluetoothState) : BluetoothPort {
    private var listener: BluetoothListener? = null

    override fun observe(listener: BluetoothListener?) {
        this.listener = listener
    }

    override fun requestPermission() {}

    override fun requestEnable() {}

    override fun openSettings() {}

    override fun startScan(): Boolean = availability == BluetoothState.READY

    override fun stopScan() = stopped()

    fun found(device: FoundDevice) = listener?.deviceFound(device) ?: error("no one listens to the port")

    fun stopped() = listener?.scanStopped(failed = false) ?: error("no one listens to the port")
}
