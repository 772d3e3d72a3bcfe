package id.kasir.desktop

import id.kasir.core.SavedPrinter
import id.kasir.ui.ReceiptPrinter
import java.io.File
import java.net.InetSocketAddress
import java.net.Socket
import kotlinx.coroutines.Dispatchers
import kotlinx.coroutines.withContext

/**
 * Sends a receipt's ESC/POS bytes (made by the core for the printer's profile) to a printer this
 * computer reaches: a network printer (`tcp:HOST:PORT`, raw TCP, usually port 9100) or a file or
 * device (`file:PATH`, e.g. `file:/dev/usb/lp0`), the targets `kasir printer add` saves.
 * Bluetooth printers (`bt:`, `ble:`) print from the phones.
 */
class DesktopPrinter(
    private val connectTimeoutMillis: Int = 3_000,
    private val writeTimeoutMillis: Int = 10_000,
) : ReceiptPrinter {
    override suspend fun send(printer: SavedPrinter, bytes: ByteArray): Unit = withContext(Dispatchers.IO) {
        val target = printer.target
        when {
            target.startsWith("tcp:") -> {
                val address = target.removePrefix("tcp:")
                val host = address.substringBeforeLast(':', "")
                val port = address.substringAfterLast(':', "").toIntOrNull()
                require(host.isNotEmpty() && port != null && port in 1..65535) {
                    "printer ${printer.name}: `$target` is not tcp:HOST:PORT"
                }
                Socket().use { socket ->
                    socket.connect(InetSocketAddress(host, port), connectTimeoutMillis)
                    socket.soTimeout = writeTimeoutMillis
                    socket.getOutputStream().apply {
                        write(bytes)
                        flush()
                    }
                }
            }
            target.startsWith("file:") -> File(target.removePrefix("file:")).writeBytes(bytes)
            else -> throw IllegalArgumentException(
                "printer ${printer.name} (`$target`) is not reachable from this computer: " +
                    "it prints network (tcp:) and file (file:) printers",
            )
        }
    }
}
