package id.kasir.app.bluetooth

import android.annotation.SuppressLint
import android.bluetooth.BluetoothDevice
import android.bluetooth.BluetoothGatt
import android.bluetooth.BluetoothGattCallback
import android.bluetooth.BluetoothGattCharacteristic
import android.bluetooth.BluetoothManager
import android.bluetooth.BluetoothProfile
import android.bluetooth.BluetoothStatusCodes
import android.content.Context
import android.os.Build
import id.kasir.core.BleLinkException
import id.kasir.core.BlePrinterLink
import id.kasir.core.KasirException
import id.kasir.ui.BlePrinterConnection
import id.kasir.ui.BleReceiptPrinter
import id.kasir.ui.ReceiptPrinter
import id.kasir.ui.printerServices
import java.util.UUID
import java.util.concurrent.LinkedBlockingQueue
import java.util.concurrent.TimeUnit
import kotlinx.coroutines.CompletableDeferred
import kotlinx.coroutines.withTimeout

/**
 * The receipt printer of a phone: printers saved with a `ble:ADDRESS` target print over a
 * [GattPrinterLink] to that address; the core (`printOverBle`) chunks and orders the bytes.
 * Needs the `BLUETOOTH_CONNECT` permission (Android 12+), which the devices screen asks for.
 *
 * Written against the Android SDK but not compiled in this repository's checks (no Android SDK
 * there); the chunking it relies on is tested in the core and on the JVM (BlePrintTest).
 */
fun androidBlePrinter(context: Context): ReceiptPrinter =
    BleReceiptPrinter { address -> GattPrinterLink.connect(context.applicationContext, address) }

/**
 * One GATT connection to a receipt printer, as the core's [BlePrinterLink]:
 * - [connect] opens it: `connectGatt` over LE, service discovery, the first of the core's
 *   printer services ([printerServices], `kasir_devices::ble::PRINTER_SERVICES`) the printer
 *   has, its known write characteristic (else any writable one of that service), then an MTU
 *   request (517, the most ATT allows; the printer answers with what it takes).
 * - [write] is called by the core on a background thread, one chunk at a time: it starts the
 *   write and blocks until `onCharacteristicWrite` says how it went. Android calls it for
 *   writes without response too, once the stack has queued the packet, which is the flow
 *   control: no next chunk until the stack has room. On API 33+ `writeCharacteristic` returns
 *   a status; `ERROR_GATT_WRITE_REQUEST_BUSY` (a write still in flight) is retried after a short
 *   pause, any other non-success fails the write.
 * - Android does not tell its write-without-response maximum: chunks are MTU - 3.
 */
@SuppressLint("MissingPermission") // The devices screen has BLUETOOTH_CONNECT granted before a print; a SecurityException is reported.
class GattPrinterLink private constructor(
    private val gatt: BluetoothGatt,
    private val characteristic: BluetoothGattCharacteristic,
    private val mtu: Int,
    private val writes: LinkedBlockingQueue<Int>,
) : BlePrinterLink, BlePrinterConnection {
    override val link: BlePrinterLink get() = this

    override fun mtu(): UShort = mtu.coerceIn(23, 517).toUShort()

    override fun maxWriteWithoutResponse(): UInt? = null

    override fun supportsWriteWithoutResponse(): Boolean =
        characteristic.properties and BluetoothGattCharacteristic.PROPERTY_WRITE_NO_RESPONSE != 0

    override fun write(chunk: ByteArray, withResponse: Boolean) {
        val type = if (withResponse) {
            BluetoothGattCharacteristic.WRITE_TYPE_DEFAULT
        } else {
            BluetoothGattCharacteristic.WRITE_TYPE_NO_RESPONSE
        }
        // What is left is a late answer to an earlier write, unless the link went down since.
        if (writes.contains(DISCONNECTED)) throw BleLinkException.WriteFailed("the printer disconnected")
        writes.clear()
        try {
            if (Build.VERSION.SDK_INT >= Build.VERSION_CODES.TIRAMISU) {
                var attempts = 0
                while (true) {
                    val status = gatt.writeCharacteristic(characteristic, chunk, type)
                    if (status == BluetoothStatusCodes.SUCCESS) break
                    if (status != BluetoothStatusCodes.ERROR_GATT_WRITE_REQUEST_BUSY || ++attempts > BUSY_RETRIES) {
                        throw BleLinkException.WriteFailed("writeCharacteristic returned status $status")
                    }
                    Thread.sleep(BUSY_PAUSE_MILLIS)
                }
            } else if (!writeBefore33(chunk, type)) {
                throw BleLinkException.WriteFailed("writeCharacteristic was refused (a write in flight or the link is down)")
            }
        } catch (e: SecurityException) {
            throw BleLinkException.WriteFailed("the Bluetooth permission was withdrawn")
        }
        val status = writes.poll(WRITE_TIMEOUT_SECONDS, TimeUnit.SECONDS)
            ?: throw BleLinkException.WriteFailed("the printer did not answer a write within $WRITE_TIMEOUT_SECONDS s")
        if (status == DISCONNECTED) throw BleLinkException.WriteFailed("the printer disconnected")
        if (status != BluetoothGatt.GATT_SUCCESS) throw BleLinkException.WriteFailed("GATT status $status")
    }

    /** Before API 33 the value travels on the characteristic object; the call says only whether it started. */
    @Suppress("DEPRECATION")
    private fun writeBefore33(chunk: ByteArray, type: Int): Boolean {
        characteristic.writeType = type
        characteristic.value = chunk
        return gatt.writeCharacteristic(characteristic)
    }

    override fun close() {
        try {
            gatt.disconnect()
            gatt.close()
        } catch (e: SecurityException) {
            // The permission went: the connection goes with it.
        }
    }

    companion object {
        private const val WANTED_MTU = 517
        private const val CONNECT_TIMEOUT_MILLIS = 15_000L
        private const val WRITE_TIMEOUT_SECONDS = 5L
        private const val BUSY_RETRIES = 200
        private const val BUSY_PAUSE_MILLIS = 5L

        /** Put in the write queue when the link drops, so that a waiting write ends at once. */
        private const val DISCONNECTED = -1

        /** Connects to the printer at [address] (`AA:BB:CC:DD:EE:FF`) and readies its write characteristic. */
        suspend fun connect(context: Context, address: String): GattPrinterLink {
            val adapter = (context.getSystemService(Context.BLUETOOTH_SERVICE) as BluetoothManager?)?.adapter
                ?: throw KasirException.DeviceUnavailable("this device has no Bluetooth")
            if (!adapter.isEnabled) throw KasirException.DeviceUnavailable("Bluetooth is off")
            val device: BluetoothDevice = try {
                adapter.getRemoteDevice(address)
            } catch (e: IllegalArgumentException) {
                throw KasirException.DeviceUnavailable("`$address` is not a Bluetooth address")
            }
            val ready = CompletableDeferred<Pair<BluetoothGattCharacteristic, Int>>()
            val writes = LinkedBlockingQueue<Int>()
            val callback = object : BluetoothGattCallback() {
                override fun onConnectionStateChange(gatt: BluetoothGatt, status: Int, newState: Int) {
                    if (newState == BluetoothProfile.STATE_CONNECTED && status == BluetoothGatt.GATT_SUCCESS) {
                        if (!gatt.discoverServices()) ready.completeExceptionally(failure("service discovery did not start"))
                    } else if (newState == BluetoothProfile.STATE_DISCONNECTED) {
                        ready.completeExceptionally(failure("the printer disconnected (status $status)"))
                        writes.offer(DISCONNECTED)
                    }
                }

                override fun onServicesDiscovered(gatt: BluetoothGatt, status: Int) {
                    val characteristic = if (status == BluetoothGatt.GATT_SUCCESS) printerCharacteristic(gatt) else null
                    if (characteristic == null) {
                        ready.completeExceptionally(failure("the printer has no known printer service (status $status)"))
                        return
                    }
                    pending = characteristic
                    // The printer answers onMtuChanged; one that cannot renegotiate stays at 23.
                    if (!gatt.requestMtu(WANTED_MTU)) ready.complete(characteristic to 23)
                }

                override fun onMtuChanged(gatt: BluetoothGatt, mtu: Int, status: Int) {
                    val characteristic = pending ?: return
                    ready.complete(characteristic to if (status == BluetoothGatt.GATT_SUCCESS) mtu else 23)
                }

                override fun onCharacteristicWrite(gatt: BluetoothGatt, characteristic: BluetoothGattCharacteristic, status: Int) {
                    writes.offer(status)
                }

                private var pending: BluetoothGattCharacteristic? = null
            }
            val gatt = try {
                device.connectGatt(context, false, callback, BluetoothDevice.TRANSPORT_LE)
            } catch (e: SecurityException) {
                throw KasirException.DeviceUnavailable("Kasir may not use Bluetooth: allow it in the devices screen")
            } ?: throw KasirException.DeviceUnavailable("cannot open a Bluetooth connection to $address")
            try {
                val (characteristic, mtu) = withTimeout(CONNECT_TIMEOUT_MILLIS) { ready.await() }
                return GattPrinterLink(gatt, characteristic, mtu, writes)
            } catch (e: Throwable) {
                try {
                    gatt.disconnect()
                    gatt.close()
                } catch (closing: SecurityException) {
                    // The permission went: the connection goes with it.
                }
                throw when (e) {
                    is KasirException -> e
                    is kotlinx.coroutines.TimeoutCancellationException ->
                        KasirException.DeviceUnavailable("the printer at $address did not answer within ${CONNECT_TIMEOUT_MILLIS / 1000} s")
                    else -> e
                }
            }
        }

        /** The first printer service the core knows on [gatt], and its write characteristic. */
        private fun printerCharacteristic(gatt: BluetoothGatt): BluetoothGattCharacteristic? {
            val writable = BluetoothGattCharacteristic.PROPERTY_WRITE or BluetoothGattCharacteristic.PROPERTY_WRITE_NO_RESPONSE
            for (known in printerServices()) {
                val service = gatt.getService(UUID.fromString(known.service)) ?: continue
                service.getCharacteristic(UUID.fromString(known.characteristic))
                    ?.takeIf { it.properties and writable != 0 }
                    ?.let { return it }
                service.characteristics.firstOrNull { it.properties and writable != 0 }?.let { return it }
            }
            return null
        }

        private fun failure(reason: String) = KasirException.DeviceUnavailable(reason)
    }
}
