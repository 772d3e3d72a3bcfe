package id.kasir.app.ui

import id.kasir.ui.Language

/**
 * The screens' own labels, beside the view models' [id.kasir.ui.Label] table (same shape: English
 * and Indonesian side by side): words only the Compose screens show.
 */
enum class ScreenLabel(private val en: String, private val id: String) {
    APPROVAL_CODE("Approval code", "Kode persetujuan"),
    LAST4("Last 4 digits of the card", "4 angka terakhir kartu"),
    CARD_BRAND("Card brand", "Merek kartu"),
    QRIS_REFERENCE("Payment reference", "Referensi pembayaran"),
    SYNC_SENT("Sent", "Terkirim"),
    SYNC_WAITING_COUNT("Sales waiting to be sent", "Penjualan menunggu dikirim"),
    SYNC_OLDEST_AGE("Oldest waiting", "Terlama menunggu"),
    SYNC_LAST_ERROR("Last error", "Galat terakhir"),
    PROFILE("Paper and profile", "Kertas dan profil"),
    MENU("Menu", "Menu"),
    SAVE("Save", "Simpan"),
    FAVOURITES_EMPTY(
        "The best sellers appear here after the first sales: pick a category or search",
        "Barang terlaris muncul di sini setelah penjualan pertama: pilih kategori atau cari",
    );

    fun text(language: Language): String = if (language == Language.ID) id else en

    fun format(language: Language, vararg args: Any): String =
        args.foldIndexed(text(language)) { i, text, arg -> text.replace("{$i}", arg.toString()) }
}
