package id.kasir.ui

import id.kasir.Kasir
import java.nio.file.Files

/** A new store with the sample catalog in a temporary directory. */
fun sampleStore(name: String = "Toko Uji"): Kasir {
    val dir = Files.createTempDirectory("kasir-ui")
    return Kasir.openOrCreate(dir.resolve("store.db").toString(), name, "D01", sampleCatalog = true)
}

/** Products of the sample catalog (data/catalog/sample-catalog.csv). */
object Catalog {
    /** "100% coco", Rp 11.500. */
    const val COCO = "8858652601388"

    /** "72CL Coeur De Celeri", Rp 37.000. */
    const val CELERI = "3245413119520"

    /** A valid EAN-13 the sample catalog lacks. */
    const val UNKNOWN = "4006381333931"

    /** COCO with a wrong check digit. */
    const val BAD_CHECK_DIGIT = "8858652601389"

    /** A static QRIS sticker (DANA, published test data; see rust-core/domain/tests/data/emvqr). */
    const val QRIS_STICKER = "00020101021126570011ID.DANA.WWW011893600915300060605702090006060570303UMI" +
        "51440014ID.CO.QRIS.WWW0215ID10190046990790303UMI5204481453033605802ID5912" +
        "Saifullah.id6014Kota Pontianak61057812463045F72"
}
