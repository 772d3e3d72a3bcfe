package id.kasir.ui

import java.nio.file.Files
import id.kasir.Kasir

/**
 * The view-model benchmark (not a test): how long `RegisterViewModel.scan` takes from the
 * scanner's code to the redrawn state (the core's scan, the item lookup for the scan event and
 * one `formatMoney` crossing per amount shown), for carts of 1 and of 20 lines. Run with
 * `mvn -q test-compile exec:java -Dbench.main=id.kasir.ui.ViewModelBenchmarkKt` in
 * android/kasir after scripts/bindings.sh.
 */
fun main(args: Array<String>) {
    val iterations = args.firstOrNull()?.toInt() ?: 2_000
    val rounds = 5
    val path = Files.createTempDirectory("kasir-bench").resolve("store.db").toString()
    Kasir.openOrCreate(path, "Toko Bench", "D01", sampleCatalog = true).use { kasir ->
        val codes = kasir.categories().flatMap { kasir.categoryItems(it.name) }
            .filter { it.unit == id.kasir.core.domain.ItemUnit.EACH }.take(20).map { it.gtin }
        check(codes.size == 20) { "the sample catalog has 20 items sold by the piece" }

        fun run(lines: Int): Double = RegisterViewModel(kasir, Language.ID).use { vm ->
            for (code in codes.take(lines)) vm.scan(code)
            System.gc()
            val started = System.nanoTime()
            repeat(iterations) { vm.scan(codes[0]) }
            (System.nanoTime() - started).toDouble() / iterations / 1000
        }

        run(1) // warm up the JIT and SQLite's page cache
        for (lines in listOf(1, 20)) {
            val median = (1..rounds).map { run(lines) }.sorted()[rounds / 2]
            println("RegisterViewModel.scan, cart of %2d lines: %8.1f us/scan (median of %d rounds of %d)".format(lines, median, rounds, iterations))
        }
        val perFormat = run {
            repeat(iterations) { kasir.formatMoney(java.math.BigDecimal(12500)) }
            val started = System.nanoTime()
            repeat(iterations) { kasir.formatMoney(java.math.BigDecimal(12500)) }
            (System.nanoTime() - started).toDouble() / iterations / 1000
        }
        println("formatMoney alone: %.1f us/call".format(perFormat))
    }
}
