package id.kasir.desktop

import id.kasir.Kasir
import java.nio.file.Files

/** A new store on a temporary file with the sample catalog: the same data on every run. */
fun sampleStore(): Kasir {
    val dir = Files.createTempDirectory("kasir-desktop-test").toFile()
    dir.deleteOnExit()
    return Kasir.openOrCreate(
        path = dir.resolve("kasir.db").path,
        name = "Toko Contoh Kasir",
        deviceCode = "D01",
        sampleCatalog = true,
    )
}

/** Codes of items in the sample catalog (data/catalog). */
object SampleItems {
    fun first(kasir: Kasir, count: Int): List<String> {
        val category = kasir.categories().first().name
        return kasir.categoryItems(category).take(count).map { it.gtin }
    }
}
