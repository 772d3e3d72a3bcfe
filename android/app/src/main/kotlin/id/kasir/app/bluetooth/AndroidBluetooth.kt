package id.kasir.app.bluetooth

import android.Manifest
import android.annotation.SuppressLint
import android.bluetooth.BluetoothAdapter
import android.bluetooth.BluetoothManager
import android.bluetooth.le.ScanCallback
import android.bluetooth.le.ScanFilter
import android.bluetooth.le.ScanResult
import android.bluetooth.le.ScanSettings
import android.content.BroadcastReceiver
import android.content.Context
import android.content.Intent
import android.content.IntentFilter
import android.content.pm.PackageManager
import android.net.Uri
import android.os.Build
import android.os.Handler
import android.os.Looper
import android.os.ParcelUuid
import android.provider.Settings
import androidx.activity.ComponentActivity
import androidx.activity.result.contract.ActivityResultContracts
import androidx.core.content.ContextCompat
import androidx.lifecycle.DefaultLifecycleObserver
import androidx.lifecycle.LifecycleOwner
import id.kasir.ui.BluetoothListener
import id.kasir.ui.BluetoothPort
import id.kasir.ui.BluetoothState
import id.kasir.ui.DeviceKind
import id.kasir.ui.FoundDevice
import id.kasir.ui.printerServices
import java.util.UUID

/**
 * Android's Bluetooth for the devices screen ([BluetoothPort]): the adapter's state (a
 * receiver of `ACTION_STATE_CHANGED`), the runtime permissions (`BLUETOOTH_SCAN` and
 * `BLUETOOTH_CONNECT` from Android 12, API 31; fine location before, which BLE scans need
 * there), the system's prompt to turn Bluetooth on (`ACTION_REQUEST_ENABLE`) and a BLE scan for
 * the printer services the core drives.
 *
 * Make it in the activity's `onCreate`: it registers its activity-result launchers then, as
 * Android requires. The answers go to the listener on the main thread.
 *
 * Android tells a refusal that may be asked again from a final one only through
 * `shouldShowRequestPermissionRationale`, which is also false before the first request: whether
 * the app has asked is kept in the app's preferences.
 */
class AndroidBluetooth(private val activity: ComponentActivity) : BluetoothPort {
    private val main = Handler(Looper.getMainLooper())
    private val adapter: BluetoothAdapter? =
        (activity.getSystemService(Context.BLUETOOTH_SERVICE) as BluetoothManager?)?.adapter
    private val prefs = activity.getSharedPreferences("kasir-bluetooth", Context.MODE_PRIVATE)
    private var listener: BluetoothListener? = null
    private var scan: ScanCallback? = null
    private var last: BluetoothState? = null

    private val permissions: Array<String> =
        if (Build.VERSION.SDK_INT >= Build.VERSION_CODES.S) {
            arrayOf(Manifest.permission.BLUETOOTH_SCAN, Manifest.permission.BLUETOOTH_CONNECT)
        } else {
            arrayOf(Manifest.permission.ACCESS_FINE_LOCATION)
        }

    private val askPermissions = activity.registerForActivityResult(ActivityResultContracts.RequestMultiplePermissions()) {
        prefs.edit().putBoolean(ASKED, true).apply()
        report()
    }

    // The adapter's broadcast tells the outcome; the result itself says nothing more.
    private val askEnable = activity.registerForActivityResult(ActivityResultContracts.StartActivityForResult()) { report() }

    private val stateReceiver = object : BroadcastReceiver() {
        override fun onReceive(context: Context, intent: Intent) {
            if (intent.action == BluetoothAdapter.ACTION_STATE_CHANGED) report()
        }
    }

    init {
        // Back from the settings (a permission granted there sends no broadcast): read it all again.
        activity.lifecycle.addObserver(object : DefaultLifecycleObserver {
            override fun onResume(owner: LifecycleOwner) = report()
        })
    }

    override val availability: BluetoothState
        get() {
            val adapter = adapter
            return when {
                adapter == null || !activity.packageManager.hasSystemFeature(PackageManager.FEATURE_BLUETOOTH_LE) -> BluetoothState.UNSUPPORTED
                !permissions.all { ContextCompat.checkSelfPermission(activity, it) == PackageManager.PERMISSION_GRANTED } -> when {
                    !prefs.getBoolean(ASKED, false) -> BluetoothState.PERMISSION_NOT_ASKED
                    permissions.any { activity.shouldShowRequestPermissionRationale(it) } -> BluetoothState.DENIED
                    else -> BluetoothState.DENIED_PERMANENTLY
                }
                // isEnabled needs no runtime permission.
                !adapter.isEnabled -> BluetoothState.OFF
                else -> BluetoothState.READY
            }
        }

    /** Tells the listener when the availability changed; a scan ends with the adapter. */
    private fun report() {
        val now = availability
        if (now != BluetoothState.READY && scan != null) endScan(failed = false)
        if (now != last) {
            last = now
            listener?.availabilityChanged(now)
        }
    }

    override fun observe(listener: BluetoothListener?) {
        if (listener != null && this.listener == null) {
            ContextCompat.registerReceiver(
                activity,
                stateReceiver,
                IntentFilter(BluetoothAdapter.ACTION_STATE_CHANGED),
                ContextCompat.RECEIVER_NOT_EXPORTED,
            )
        } else if (listener == null && this.listener != null) {
            activity.unregisterReceiver(stateReceiver)
        }
        this.listener = listener
        last = availability
    }

    override fun requestPermission() = askPermissions.launch(permissions)

    @SuppressLint("MissingPermission") // BLUETOOTH_CONNECT is granted: availability is OFF only then.
    override fun requestEnable() = askEnable.launch(Intent(BluetoothAdapter.ACTION_REQUEST_ENABLE))

    override fun openSettings() {
        activity.startActivity(Intent(Settings.ACTION_APPLICATION_DETAILS_SETTINGS, Uri.fromParts("package", activity.packageName, null)))
    }

    @SuppressLint("MissingPermission") // Called only when READY, that is with the permissions granted.
    override fun startScan(): Boolean {
        if (availability != BluetoothState.READY || scan != null) return false
        val scanner = adapter?.bluetoothLeScanner ?: return false
        val callback = object : ScanCallback() {
            override fun onScanResult(callbackType: Int, result: ScanResult) {
                val device = result.device
                val name = result.scanRecord?.deviceName ?: device.name ?: device.address
                main.post { if (scan === this) listener?.deviceFound(FoundDevice(name, device.address, DeviceKind.PRINTER)) }
            }

            override fun onScanFailed(errorCode: Int) {
                main.post { if (scan === this) endScan(failed = true) }
            }
        }
        val filters = PRINTER_SERVICES.map { ScanFilter.Builder().setServiceUuid(ParcelUuid(it)).build() }
        val settings = ScanSettings.Builder().setScanMode(ScanSettings.SCAN_MODE_LOW_LATENCY).build()
        return try {
            scanner.startScan(filters, settings, callback)
            scan = callback
            main.postDelayed({ if (scan === callback) endScan(failed = false) }, SCAN_MILLIS)
            true
        } catch (e: SecurityException) {
            false
        }
    }

    override fun stopScan() {
        if (scan != null) endScan(failed = false)
    }

    @SuppressLint("MissingPermission")
    private fun endScan(failed: Boolean) {
        val callback = scan ?: return
        scan = null
        try {
            adapter?.bluetoothLeScanner?.stopScan(callback)
        } catch (e: SecurityException) {
            // The permission went while scanning: the scan has ended with it.
        } catch (e: IllegalStateException) {
            // The adapter is already off: so is the scan.
        }
        listener?.scanStopped(failed)
    }

    private companion object {
        const val ASKED = "permission-asked"

        /** How long a search runs: printers advertise every second or so. */
        const val SCAN_MILLIS = 10_000L

        /**
         * The services of the receipt printers the core drives (`kasir_devices::ble::PRINTER_SERVICES`,
         * through the core's `blePrinterServices()`; `kasir printer scan` looks for the same).
         */
        val PRINTER_SERVICES: List<UUID> by lazy { printerServices().map { UUID.fromString(it.service) } }
    }
}
