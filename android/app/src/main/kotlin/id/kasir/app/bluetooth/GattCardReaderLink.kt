package id.kasir.app.bluetooth

import android.annotation.SuppressLint
import android.bluetooth.BluetoothAdapter
import android.bluetooth.BluetoothDevice
import android.bluetooth.BluetoothGatt
import android.bluetooth.BluetoothGattCallback
import android.bluetooth.BluetoothGattCharacteristic
import android.bluetooth.BluetoothGattDescriptor
import android.bluetooth.BluetoothManager
import android.bluetooth.BluetoothProfile
import android.bluetooth.BluetoothStatusCodes
import android.bluetooth.le.ScanCallback
import android.bluetooth.le.ScanFilter
import android.bluetooth.le.ScanResult
import android.bluetooth.le.ScanSettings
import android.content.Context
import android.os.Build
import android.os.ParcelUuid
import id.kasir.core.BleLinkException
import id.kasir.core.CardReaderLink
import id.kasir.core.KasirException
import id.kasir.core.PaymentReader
import id.kasir.core.cardReaderService
import java.util.UUID
import java.util.concurrent.LinkedBlockingQueue
import java.util.concurrent.TimeUnit

/**
 * The phone's paired card reader: the core's reference reader ([PaymentReader.overLink]) over a
 * [GattCardReaderLink], which is given the reader so that the event characteristic's
 * notifications reach [PaymentReader.notify].
 *
 * Written against the Android SDK but not compiled in this repository's checks (no Android SDK
 * there); the framing and chunking it relies on are the core's, tested there.
 */
fun androidCardReader(context: Context): PaymentReader {
    val link = GattCardReaderLink(context.applicationContext)
    val reader = PaymentReader.overLink(link)
    link.reader = reader
    return reader
}

/**
 * The GATT link to the card reader, as the core's [CardReaderLink]. It connects lazily, on the
 * core's first call during a payment (always off the UI thread, so the call blocks):
 * - the address remembered in the app's shared preferences (`kasir`, key `card-reader`), else
 *   the first device found advertising the reader's service ([cardReaderService]) in a scan of
 *   at most [SCAN_MILLIS]; the address found is remembered once the link is ready, and
 *   forgotten when connecting to it fails, so that the next payment scans again;
 * - `connectGatt` over LE, service discovery, the service's command and events
 *   characteristics, an MTU request (517; the reader answers with what it takes), then
 *   notifications of the events characteristic turned on: `setCharacteristicNotification` and
 *   the CCCD descriptor written with `ENABLE_NOTIFICATION_VALUE`, awaited in `onDescriptorWrite`.
 * - Every notification goes to [reader]'s `notify`. API 33+ calls both `onCharacteristicChanged`
 *   overloads; the old one forwards only below 33, so each notification is forwarded once.
 * - [write] writes with response and blocks until `onCharacteristicWrite` gives the status; on
 *   API 33+ a busy stack (`ERROR_GATT_WRITE_REQUEST_BUSY`) is retried after a short pause.
 * - A disconnection ends a waiting write at once with "the card reader disconnected" and drops
 *   the connection; the next write connects again.
 *
 * Needs `BLUETOOTH_SCAN` and `BLUETOOTH_CONNECT` (Android 12+), which the devices screen asks
 * for; a withdrawn permission is reported as such.
 */
@SuppressLint("MissingPermission") // The devices screen has the permissions granted; a SecurityException is reported.
class GattCardReaderLink(private val context: Context) : CardReaderLink {
    /** The reader the notifications go to; set by [androidCardReader] right after it is made. */
    @Volatile
    var reader: PaymentReader? = null

    private val prefs = context.getSharedPreferences("kasir", Context.MODE_PRIVATE)
    private val lock = Any()

    /** The open connection, if any; replaced on a reconnection. */
    @Volatile
    private var connection: Connection? = null

    private class Connection(
        val gatt: BluetoothGatt,
        val command: BluetoothGattCharacteristic,
        val mtu: Int,
        val writes: LinkedBlockingQueue<Int>,
    ) {
        @Volatile
        var down = false
    }

    /** The negotiated MTU; connects first if needed (23 when the reader cannot be reached yet: the next write says why). */
    override fun mtu(): UShort {
        val mtu = try {
            connected().mtu
        } catch (e: BleLinkException) {
            23
        }
        return mtu.coerceIn(23, 517).toUShort()
    }

    override fun write(chunk: ByteArray) {
        val link = connected()
        // What is left is a late answer to an earlier write, unless the link went down since.
        if (link.down || link.writes.contains(DISCONNECTED)) throw dropped(link)
        link.writes.clear()
        val type = BluetoothGattCharacteristic.WRITE_TYPE_DEFAULT
        try {
            if (Build.VERSION.SDK_INT >= Build.VERSION_CODES.TIRAMISU) {
                var attempts = 0
                while (true) {
                    val status = link.gatt.writeCharacteristic(link.command, chunk, type)
                    if (status == BluetoothStatusCodes.SUCCESS) break
                    if (status != BluetoothStatusCodes.ERROR_GATT_WRITE_REQUEST_BUSY || ++attempts > BUSY_RETRIES) {
                        throw BleLinkException.WriteFailed("writeCharacteristic to the card reader returned status $status")
                    }
                    Thread.sleep(BUSY_PAUSE_MILLIS)
                }
            } else if (!writeBefore33(link, chunk, type)) {
                throw BleLinkException.WriteFailed("writeCharacteristic to the card reader was refused (a write in flight or the link is down)")
            }
        } catch (e: SecurityException) {
            throw BleLinkException.WriteFailed("the Bluetooth permission was withdrawn")
        }
        val status = link.writes.poll(WRITE_TIMEOUT_SECONDS, TimeUnit.SECONDS)
            ?: throw BleLinkException.WriteFailed("the card reader did not answer a write within $WRITE_TIMEOUT_SECONDS s")
        if (status == DISCONNECTED) throw dropped(link)
        if (status != BluetoothGatt.GATT_SUCCESS) throw BleLinkException.WriteFailed("the card reader refused a write (GATT status $status)")
    }

    /** Before API 33 the value travels on the characteristic object; the call says only whether it started. */
    @Suppress("DEPRECATION")
    private fun writeBefore33(link: Connection, chunk: ByteArray, type: Int): Boolean {
        link.command.writeType = type
        link.command.value = chunk
        return link.gatt.writeCharacteristic(link.command)
    }

    /** Drops [link] (closing it) and says so. */
    private fun dropped(link: Connection): BleLinkException {
        synchronized(lock) { if (connection === link) connection = null }
        closeQuietly(link.gatt)
        return BleLinkException.WriteFailed("the card reader disconnected")
    }

    /** The open connection, connecting first when there is none (blocking). */
    private fun connected(): Connection = synchronized(lock) {
        connection?.takeIf { !it.down }?.let { return it }
        connection = null
        val adapter = (context.getSystemService(Context.BLUETOOTH_SERVICE) as BluetoothManager?)?.adapter
            ?: throw BleLinkException.WriteFailed("this device has no Bluetooth")
        if (!adapter.isEnabled) throw BleLinkException.WriteFailed("Bluetooth is off")
        val remembered = prefs.getString(ADDRESS_KEY, null)
        val address = remembered ?: scan(adapter)
        val opened = try {
            open(adapter, address)
        } catch (e: BleLinkException) {
            // A remembered reader that cannot be reached is forgotten: the next payment scans.
            if (remembered != null) prefs.edit().remove(ADDRESS_KEY).apply()
            throw e
        }
        if (remembered == null) prefs.edit().putString(ADDRESS_KEY, address).apply()
        connection = opened
        opened
    }

    /** The address of the first device advertising the reader's service within [SCAN_MILLIS]. */
    private fun scan(adapter: BluetoothAdapter): String {
        val scanner = adapter.bluetoothLeScanner ?: throw BleLinkException.WriteFailed("Bluetooth LE scanning is not available")
        val found = LinkedBlockingQueue<String>()
        val callback = object : ScanCallback() {
            override fun onScanResult(callbackType: Int, result: ScanResult) {
                found.offer(result.device.address)
            }

            override fun onScanFailed(errorCode: Int) {
                found.offer(SCAN_FAILED + errorCode)
            }
        }
        val filter = ScanFilter.Builder().setServiceUuid(ParcelUuid(UUID.fromString(cardReaderService().service))).build()
        val settings = ScanSettings.Builder().setScanMode(ScanSettings.SCAN_MODE_LOW_LATENCY).build()
        try {
            scanner.startScan(listOf(filter), settings, callback)
        } catch (e: SecurityException) {
            throw BleLinkException.WriteFailed("Kasir may not scan for Bluetooth devices: allow it in the devices screen")
        }
        val address = try {
            found.poll(SCAN_MILLIS, TimeUnit.MILLISECONDS)
        } finally {
            try {
                scanner.stopScan(callback)
            } catch (e: SecurityException) {
                // The permission went while scanning: the scan has ended with it.
            } catch (e: IllegalStateException) {
                // The adapter is already off: so is the scan.
            }
        }
        if (address == null) throw BleLinkException.WriteFailed("no card reader found nearby within ${SCAN_MILLIS / 1000} s: is it on?")
        if (address.startsWith(SCAN_FAILED)) throw BleLinkException.WriteFailed("the Bluetooth scan failed (code ${address.removePrefix(SCAN_FAILED)})")
        return address
    }

    /** Connects to the reader at [address] and readies its characteristics, MTU and notifications. */
    private fun open(adapter: BluetoothAdapter, address: String): Connection {
        val device: BluetoothDevice = try {
            adapter.getRemoteDevice(address)
        } catch (e: IllegalArgumentException) {
            throw BleLinkException.WriteFailed("`$address` is not a Bluetooth address")
        }
        val uuids = cardReaderService()
        val serviceUuid = UUID.fromString(uuids.service)
        val commandUuid = UUID.fromString(uuids.command)
        val eventsUuid = UUID.fromString(uuids.events)
        // Either the ready link's MTU or why it failed.
        val ready = LinkedBlockingQueue<Result<Int>>()
        val writes = LinkedBlockingQueue<Int>()
        var opened: Connection? = null
        val callback = object : BluetoothGattCallback() {
            private var mtu = 23

            override fun onConnectionStateChange(gatt: BluetoothGatt, status: Int, newState: Int) {
                if (newState == BluetoothProfile.STATE_CONNECTED && status == BluetoothGatt.GATT_SUCCESS) {
                    if (!gatt.discoverServices()) ready.offer(failure("service discovery on the card reader did not start"))
                } else if (newState == BluetoothProfile.STATE_DISCONNECTED) {
                    ready.offer(failure("the card reader disconnected (status $status)"))
                    opened?.down = true
                    writes.offer(DISCONNECTED)
                }
            }

            override fun onServicesDiscovered(gatt: BluetoothGatt, status: Int) {
                val service = if (status == BluetoothGatt.GATT_SUCCESS) gatt.getService(serviceUuid) else null
                if (service == null) {
                    ready.offer(failure("the device at $address is not a card reader: it lacks the reader's service (status $status)"))
                    return
                }
                if (service.getCharacteristic(commandUuid) == null || service.getCharacteristic(eventsUuid) == null) {
                    ready.offer(failure("the card reader's service lacks its command or events characteristic"))
                    return
                }
                // The reader answers onMtuChanged; one that cannot renegotiate stays at 23.
                if (!gatt.requestMtu(WANTED_MTU)) subscribe(gatt)
            }

            override fun onMtuChanged(gatt: BluetoothGatt, mtu: Int, status: Int) {
                if (status == BluetoothGatt.GATT_SUCCESS) this.mtu = mtu
                subscribe(gatt)
            }

            /** Turns on the events characteristic's notifications, locally and in its CCCD. */
            private fun subscribe(gatt: BluetoothGatt) {
                val events = gatt.getService(serviceUuid)?.getCharacteristic(eventsUuid)
                val cccd = events?.getDescriptor(CCCD)
                if (events == null || cccd == null) {
                    ready.offer(failure("the card reader's events characteristic cannot notify (no CCCD)"))
                    return
                }
                if (!gatt.setCharacteristicNotification(events, true)) {
                    ready.offer(failure("notifications of the card reader's events could not be turned on"))
                    return
                }
                val value = BluetoothGattDescriptor.ENABLE_NOTIFICATION_VALUE
                val started = if (Build.VERSION.SDK_INT >= Build.VERSION_CODES.TIRAMISU) {
                    gatt.writeDescriptor(cccd, value) == BluetoothStatusCodes.SUCCESS
                } else {
                    writeDescriptorBefore33(gatt, cccd, value)
                }
                if (!started) ready.offer(failure("the card reader's notification descriptor could not be written"))
            }

            @Suppress("DEPRECATION")
            private fun writeDescriptorBefore33(gatt: BluetoothGatt, descriptor: BluetoothGattDescriptor, value: ByteArray): Boolean {
                descriptor.value = value
                return gatt.writeDescriptor(descriptor)
            }

            override fun onDescriptorWrite(gatt: BluetoothGatt, descriptor: BluetoothGattDescriptor, status: Int) {
                if (descriptor.uuid != CCCD) return
                ready.offer(
                    if (status == BluetoothGatt.GATT_SUCCESS) Result.success(mtu)
                    else failure("the card reader refused its notifications (GATT status $status)"),
                )
            }

            override fun onCharacteristicWrite(gatt: BluetoothGatt, characteristic: BluetoothGattCharacteristic, status: Int) {
                writes.offer(status)
            }

            // API 33+: the value comes with the call.
            override fun onCharacteristicChanged(gatt: BluetoothGatt, characteristic: BluetoothGattCharacteristic, value: ByteArray) {
                if (characteristic.uuid == eventsUuid) forward(value)
            }

            // Below API 33 the value is on the characteristic; 33+ calls this too, after the one above.
            @Deprecated("Replaced on API 33 by the overload with the value")
            @Suppress("DEPRECATION")
            override fun onCharacteristicChanged(gatt: BluetoothGatt, characteristic: BluetoothGattCharacteristic) {
                if (Build.VERSION.SDK_INT >= Build.VERSION_CODES.TIRAMISU) return
                if (characteristic.uuid == eventsUuid) characteristic.value?.let { forward(it.copyOf()) }
            }
        }
        val gatt = try {
            device.connectGatt(context, false, callback, BluetoothDevice.TRANSPORT_LE)
        } catch (e: SecurityException) {
            throw BleLinkException.WriteFailed("Kasir may not use Bluetooth: allow it in the devices screen")
        } ?: throw BleLinkException.WriteFailed("cannot open a Bluetooth connection to the card reader at $address")
        val outcome = ready.poll(CONNECT_TIMEOUT_MILLIS, TimeUnit.MILLISECONDS)
        val mtu = outcome?.getOrNull()
        val command = gatt.getService(serviceUuid)?.getCharacteristic(commandUuid)
        if (mtu == null || command == null) {
            closeQuietly(gatt)
            val reason = outcome?.exceptionOrNull()?.message
                ?: "the card reader at $address did not answer within ${CONNECT_TIMEOUT_MILLIS / 1000} s"
            throw BleLinkException.WriteFailed(reason)
        }
        return Connection(gatt, command, mtu, writes).also { opened = it }
    }

    /** One notification to the core; the reader takes it unless it is going away. */
    private fun forward(bytes: ByteArray) {
        try {
            reader?.notify(bytes)
        } catch (e: KasirException) {
            // Only the simulated reader refuses notifications; this link's reader is never one.
        }
    }

    private fun closeQuietly(gatt: BluetoothGatt) {
        try {
            gatt.disconnect()
            gatt.close()
        } catch (e: SecurityException) {
            // The permission went: the connection goes with it.
        }
    }

    companion object {
        private const val ADDRESS_KEY = "card-reader"
        private const val WANTED_MTU = 517
        private const val SCAN_MILLIS = 8_000L
        private const val CONNECT_TIMEOUT_MILLIS = 15_000L
        private const val WRITE_TIMEOUT_SECONDS = 5L
        private const val BUSY_RETRIES = 200
        private const val BUSY_PAUSE_MILLIS = 5L
        private const val SCAN_FAILED = "scan-failed:"

        /** Put in the write queue when the link drops, so that a waiting write ends at once. */
        private const val DISCONNECTED = -1

        /** The Client Characteristic Configuration descriptor, which turns notifications on. */
        private val CCCD: UUID = UUID.fromString("00002902-0000-1000-8000-00805f9b34fb")

        private fun failure(reason: String): Result<Int> = Result.failure(IllegalStateException(reason))
    }
}
