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
        // JNA allocates native memory for every call's status and returned buffer and frees it
        // only after a GC (a global map tracks it), so each round starts from a collected heap.
        fun kotlinRun(): Long = kasir.newSale().use { register ->
            System.gc()
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

        // Where the overhead goes: a call returning a short string (one buffer each way), and
        // the sale's view alone (lifting the whole CartView, nothing looked up or changed).
        fun perCall(block: () -> Unit): Double {
            repeat(iterations) { block() }
            System.gc()
            val started = System.nanoTime()
            repeat(iterations) { block() }
            return (System.nanoTime() - started).toDouble() / iterations / 1000
        }
        println("  libraryVersion()  %8.2f us/call".format(perCall { id.kasir.core.libraryVersion() }))
        kasir.newSale().use { register ->
            register.scan(SaleTest.COCO)
            println("  view() of 1 line  %8.2f us/call".format(perCall { register.view() }))
        }
    }
}
