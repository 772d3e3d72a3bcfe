package id.kasir

import id.kasir.core.LogLevel
import id.kasir.core.LogRecord
import java.nio.file.Files
import java.util.concurrent.CopyOnWriteArrayList
import kotlin.test.assertTrue
import org.junit.jupiter.api.Test

/** The core's tracing events reach a log sink implemented in Kotlin. */
class LogSinkTest {
    @Test
    fun `a completed sale is logged to the app's sink without its items`() {
        val records = CopyOnWriteArrayList<LogRecord>()
        Kasir.logTo(LogLevel.INFO) { records.add(it) }
        val path = Files.createTempDirectory("kasir-log").resolve("store.db").toString()
        Kasir.openOrCreate(path, "Toko Log", "D01", sampleCatalog = true).use { kasir ->
            kasir.sale { register ->
                register.scan(SaleTest.COCO)
                register.payCash(null)
                register.complete()
            }
        }
        val completed = records.filter { it.message.startsWith("sale completed") }
        assertTrue(completed.isNotEmpty(), "no `sale completed` record in $records")
        assertTrue(completed.all { it.level == LogLevel.INFO && it.target == "kasir::register" }, "$completed")
        assertTrue(records.none { "coco" in it.message.lowercase() }, "item names stay out of the logs")
    }
}
