package id.kasir.app.ui

import id.kasir.ui.Language

/** Labels of the screens not in id.kasir.ui.Label yet (same shape: English and Indonesian). */
enum class ScreenLabel(private val en: String, private val id: String) {
    OK("OK", "OK"),
    CANCEL("Cancel", "Batal"),
    BACK("Back", "Kembali"),
    CLOSE("Close", "Tutup"),
    CATALOG("Catalog", "Katalog"),
    ADD_ITEM("Add {0}, {1}", "Tambah {0}, {1}"),
    SCAN_CODE("Scan or type a barcode", "Pindai atau ketik barcode"),
    EDIT_LINE("Change line {0}", "Ubah baris {0}"),
    KEYPAD("Cash received", "Uang diterima"),
    BACKSPACE("Delete last digit", "Hapus angka terakhir"),
    CLEAR("Clear", "Hapus"),
    SYNC_DETAILS("Sync details", "Rincian sinkronisasi"),
    ENROL_MENU("Connect to cloud", "Hubungkan ke cloud"),
    DEVICES("Printers and readers", "Printer dan mesin kartu"),
    SCAN_DEVICES("Search for devices", "Cari perangkat"),
    APPROVAL_CODE("Approval code", "Kode persetujuan"),
    LAST4("Last 4 digits of the card", "4 angka terakhir kartu"),
    CARD_BRAND("Card brand", "Merek kartu"),
    QRIS_REFERENCE("Payment reference", "Referensi pembayaran"),
    SYNC_SENT("Sent", "Terkirim"),
    SYNC_WAITING_COUNT("Sales waiting to be sent", "Penjualan menunggu dikirim"),
    SYNC_OLDEST_AGE("Oldest waiting", "Terlama menunggu"),
    SYNC_LAST_ERROR("Last error", "Galat terakhir"),
    ADD_PRINTER("Add a printer by address", "Tambah printer lewat alamat"),
    PRINTER_NAME("Printer name", "Nama printer"),
    PRINTER_ADDRESS("Address (Bluetooth, host:port or device path)", "Alamat (Bluetooth, host:port atau path perangkat)"),
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
