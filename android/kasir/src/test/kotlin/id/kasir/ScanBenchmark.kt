package id.kasir

import id.kasir.core.rustScanBenchmark
import java.nio.file.Files

/**
 * The FFI benchmark (not a test): how long a call from Kotlin takes to add a scanned item and
 * return the sale's totals, against the same register call made from Rust in the same process
 * (`rust_scan_benchmark`, which runs the same loop without crossing the boundary). Both start
 * the sale afresh every 100 scans. Run with
 * `mvn -q test-compile exec:java` in android/kasir after scripts/bindings.sh.
 */
fun main(args: Array<String>) {
    val iterations = args.firstOrNull()?.toInt() ?: 20_000
    val rounds = 5
    val path = Files.createTempDirectory("kasir-bench").resolve("store.db").toString()
    Kasir.openOrCreate(path, "Toko Bench", "D01", sampleCatalog = true).use { kasir ->
        fun kotlinRun(): Long = kasir.newSale().use { register ->
            val started = System.nanoTime()
            for (i in 0 until iterations) {
                if (i % 100 == 0) register.clear()
                register.scan(SaleTest.COCO)
            }
            System.nanoTime() - started
        }

        fun rustRun(): Long = rustScanBenchmark(kasir.core, SaleTest.COCO, iterations.toUInt()).toLong()

        // Warm up the JIT and SQLite's page cache.
        kotlinRun()
        rustRun()
        val kotlin = (1..rounds).map { kotlinRun() }.sorted()[rounds / 2]
        val rust = (1..rounds).map { rustRun() }.sorted()[rounds / 2]
        val kotlinPerCall = kotlin.toDouble() / iterations / 1000
        val rustPerCall = rust.toDouble() / iterations / 1000
        println("scan + totals, median of $rounds rounds of $iterations calls:")
        println("  Kotlin -> Rust  %8.2f us/call".format(kotlinPerCall))
        println("  Rust only       %8.2f us/call".format(rustPerCall))
        println("  ratio %.2fx, FFI overhead %.2f us/call".format(kotlinPerCall / rustPerCall, kotlinPerCall - rustPerCall))
    }
}
