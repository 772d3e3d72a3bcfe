package id.kasir.desktop

import id.kasir.Kasir
import id.kasir.core.SavedPrinter
import id.kasir.ui.Language
import id.kasir.ui.ReceiptViewModel
import id.kasir.ui.RegisterViewModel
import java.net.ServerSocket
import java.nio.file.Files
import kotlin.concurrent.thread
import kotlin.test.assertContentEquals
import kotlin.test.assertEquals
import kotlin.test.assertFalse
import kotlin.test.assertTrue
import kotlinx.coroutines.runBlocking
import org.junit.jupiter.api.Test

/** The receipt screen's Print on the desktop: the core's bytes reach a network or file printer. */
class DesktopPrinterTest {
    private fun completedSale(kasir: Kasir): String {
        val register = RegisterViewModel(kasir, Language.EN)
        check(register.add(kasir.categoryItems(kasir.categories().first().name).first().gtin))
        val payment = register.payment()
        check(payment.payCashExact())
        return payment.complete()?.receiptNumber ?: error("${payment.state.value.message}")
    }

    @Test
    fun a_receipt_is_written_to_a_file_printer() {
        sampleStore().use { kasir ->
            val number = completedSale(kasir)
            val file = Files.createTempFile("receipt", ".bin").toFile()
            kasir.savePrinter(SavedPrinter("desk", "file:${file.path}", "generic-58"))
            val receipt = ReceiptViewModel(kasir, number, Language.EN, DesktopPrinter(), printerName = "desk")
            assertTrue(runBlocking { receipt.print() }, "${receipt.state.value.message}")
            assertTrue(receipt.state.value.printed)
            assertContentEquals(kasir.receiptBytes(number, "generic-58"), file.readBytes())
        }
    }

    @Test
    fun a_receipt_is_sent_to_a_network_printer() {
        sampleStore().use { kasir ->
            val number = completedSale(kasir)
            ServerSocket(0).use { server ->
                var received = ByteArray(0)
                val printer = thread { server.accept().use { received = it.getInputStream().readBytes() } }
                kasir.savePrinter(SavedPrinter("counter", "tcp:127.0.0.1:${server.localPort}", "generic-80"))
                val receipt = ReceiptViewModel(kasir, number, Language.EN, DesktopPrinter(), printerName = "counter")
                assertTrue(runBlocking { receipt.print() }, "${receipt.state.value.message}")
                printer.join()
                assertContentEquals(kasir.receiptBytes(number, "generic-80"), received)
            }
        }
    }

    @Test
    fun a_bluetooth_printer_is_refused_with_the_reason() {
        sampleStore().use { kasir ->
            val number = completedSale(kasir)
            kasir.savePrinter(SavedPrinter("bar", "bt:AA:BB:CC:DD:EE:FF", "generic-58"))
            val receipt = ReceiptViewModel(kasir, number, Language.EN, DesktopPrinter(), printerName = "bar")
            assertFalse(runBlocking { receipt.print() })
            val message = receipt.state.value.message ?: error("no message")
            assertEquals("Device problem", message.title)
            assertTrue("not reachable from this computer" in message.detail.orEmpty(), message.text)
        }
    }
}
