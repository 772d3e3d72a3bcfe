package id.kasir.ui

import id.kasir.core.BlePrintException
import id.kasir.core.BlePrinterLink
import id.kasir.core.BlePrintReport
import id.kasir.core.KasirException
import id.kasir.core.SavedPrinter
import id.kasir.core.blePrinterServices
import id.kasir.core.printOverBle

/**
 * One open connection to a Bluetooth LE printer: the [link] the core writes the receipt
 * through, closed (the GATT connection let go) once the job is done or failed.
 */
interface BlePrinterConnection : AutoCloseable {
    val link: BlePrinterLink
}

/**
 * A printer service and its write characteristic, as the core knows them
 * (`kasir_devices::ble::PRINTER_SERVICES` through `blePrinterServices()`), most common first.
 */
data class PrinterService(val service: String, val characteristic: String)

/** The printer services the core drives, for a scan filter or a GATT service lookup. */
fun printerServices(): List<PrinterService> = blePrinterServices().map { PrinterService(it.service, it.characteristic) }

/**
 * The phones' [ReceiptPrinter] for printers saved with a `ble:ADDRESS` target (the target
 * naming of `kasir_devices::Target`), or `bt:ADDRESS` as the devices screen saves the printers
 * its BLE scan finds: [connect] opens the platform's GATT link to the address
 * (Android's `BluetoothGatt` in the app), and the core's `printOverBle` sends the receipt's
 * bytes over it, chunked (MTU - 3, never more than the platform's write-without-response
 * limit) and in order. Failures are thrown as [KasirException.DeviceUnavailable] with the
 * printer's name and what reached the printer, which the receipt screen shows.
 */
class BleReceiptPrinter(
    private val connect: suspend (address: String) -> BlePrinterConnection,
) : ReceiptPrinter {
    /** What the last print did (bytes, writes, chunk size), for diagnostics and tests. */
    @Volatile
    var lastReport: BlePrintReport? = null
        private set

    override suspend fun send(printer: SavedPrinter, bytes: ByteArray) {
        val address = bleAddress(printer.target)
            ?: throw KasirException.DeviceUnavailable(
                "printer ${printer.name} (`${printer.target}`) is not a Bluetooth LE printer (ble:ADDRESS)",
            )
        val connection = try {
            connect(address)
        } catch (e: KasirException) {
            throw e
        } catch (e: kotlinx.coroutines.CancellationException) {
            throw e
        } catch (e: Exception) {
            throw KasirException.DeviceUnavailable("printer ${printer.name}: cannot connect (${e.message ?: e.javaClass.simpleName})")
        }
        connection.use {
            lastReport = try {
                printOverBle(it.link, bytes)
            } catch (e: BlePrintException) {
                throw KasirException.DeviceUnavailable("printer ${printer.name}: ${describe(e)}")
            }
        }
    }

    companion object {
        /**
         * The address of a `ble:ADDRESS` target (the core's name for a Bluetooth LE printer), or
         * of a `bt:ADDRESS` one (what the devices screen saves for a printer its BLE scan found);
         * null for any other kind.
         */
        fun bleAddress(target: String): String? =
            listOf("ble:", "bt:").firstOrNull { target.startsWith(it) }
                ?.let { target.removePrefix(it).trim() }
                ?.takeIf { it.isNotEmpty() }

        /** The core's error in words for the clerk. */
        fun describe(e: BlePrintException): String = when (e) {
            is BlePrintException.EmptyJob -> "the receipt is empty"
            is BlePrintException.NotSent -> "nothing was printed (${e.reason}); try again"
            is BlePrintException.Interrupted ->
                "the connection broke after ${e.sentBytes} of ${e.totalBytes} bytes (${e.reason}); " +
                    "the receipt may be partly printed, check the paper before printing again"
            is BlePrintException.Cancelled -> "printing stopped after ${e.sentBytes} of ${e.totalBytes} bytes"
            is BlePrintException.Internal -> e.reason
        }
    }
}
