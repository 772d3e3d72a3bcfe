package id.kasir.ui

import id.kasir.core.KasirException
import id.kasir.core.domain.Locale as CoreLocale

/** The language of the app's own labels, chosen per device (receipts follow the store's). */
enum class Language(val code: String, val core: CoreLocale) {
    EN("en", CoreLocale.EN),
    ID("id", CoreLocale.ID);

    companion object {
        /**
         * The language for a device's locale tag (`id-ID`, `in_ID`, `en-US`): Indonesian for
         * Indonesian (Android still reports the old code `in`), English otherwise.
         */
        fun forDevice(tag: String): Language {
            val primary = tag.trim().lowercase().split('-', '_').firstOrNull().orEmpty()
            return if (primary == "id" || primary == "in") ID else EN
        }

        /** The language of the core's [CoreLocale]. */
        fun of(locale: CoreLocale): Language = entries.first { it.core == locale }
    }
}

/**
 * The app's string table: every label in English and Indonesian, side by side so that neither
 * can be missing. `{0}`, `{1}` are filled by [format].
 */
enum class Label(private val en: String, private val id: String) {
    // Enrolment
    ENROL_TITLE("Connect this device", "Hubungkan perangkat ini"),
    SERVER_URL("Server address", "Alamat server"),
    ENROLMENT_CODE("Enrolment code", "Kode pendaftaran"),
    SCAN_ENROLMENT_QR("Scan the enrolment QR code", "Pindai kode QR pendaftaran"),
    ENROL("Connect", "Hubungkan"),
    ENROLLING("Connecting…", "Menghubungkan…"),
    ENROLLED("This device is connected", "Perangkat ini sudah terhubung"),

    // Register
    REGISTER("Register", "Kasir"),
    SEARCH("Search items", "Cari barang"),
    CATEGORIES("Categories", "Kategori"),
    FAVOURITES("Favourites", "Favorit"),
    CART("Cart", "Keranjang"),
    CART_EMPTY("Scan or pick an item", "Pindai atau pilih barang"),
    QUANTITY("Quantity", "Jumlah"),
    DISCOUNT("Discount", "Diskon"),
    ORDER_DISCOUNT("Order discount", "Diskon pesanan"),
    VOID("Void", "Batalkan"),
    VOIDED("Voided", "Dibatalkan"),
    SUBTOTAL("Subtotal", "Subtotal"),
    TAX("Tax", "Pajak"),
    TAX_INCLUDED("incl. tax {0}", "termasuk pajak {0}"),
    CHARGES("Charges", "Biaya"),
    TOTAL("Total", "Total"),
    ITEMS_COUNT("{0} items", "{0} barang"),
    SCAN_ADDED("{0} added", "{0} ditambahkan"),
    NEW_SALE("New sale", "Penjualan baru"),

    // Camera scanning on the register
    CAMERA("Camera", "Kamera"),
    OPEN_SCANNER("Scan with camera", "Pindai dengan kamera"),
    SCANNER_TITLE("Camera scanner", "Pemindai kamera"),
    SCANNER_HINT("Hold the barcode inside the frame", "Arahkan barcode ke dalam bingkai"),
    CLOSE_SCANNER("Close camera", "Tutup kamera"),
    VIEWFINDER("Camera view: the barcode is read inside the frame", "Tampilan kamera: barcode dibaca di dalam bingkai"),
    NO_CAMERA(
        "No camera here: scan with a barcode scanner or type the code",
        "Tidak ada kamera di sini: pindai dengan pemindai barcode atau ketik kodenya",
    ),
    CAMERA_NOT_ASKED("Kasir needs the camera to scan barcodes", "Kasir perlu kamera untuk memindai barcode"),
    CAMERA_REFUSED(
        "Camera permission was refused: Kasir cannot scan with the camera without it",
        "Izin kamera ditolak: Kasir tidak bisa memindai dengan kamera tanpanya",
    ),
    CAMERA_DENIED(
        "Kasir may not use the camera: allow it in the system settings to scan barcodes",
        "Kasir tidak diizinkan memakai kamera: izinkan di pengaturan sistem untuk memindai barcode",
    ),
    ALLOW_CAMERA("Allow camera", "Izinkan kamera"),
    SCAN_TOTAL("Total {0}", "Total {0}"),
    SCAN_NOT_ADDED("Not added: {0}", "Tidak ditambahkan: {0}"),

    // Payment
    PAY("Pay", "Bayar"),
    PAYMENT("Payment", "Pembayaran"),
    CASH("Cash", "Tunai"),
    CARD("Card", "Kartu"),
    QRIS("QRIS", "QRIS"),
    GIFT_CARD("Gift card", "Kartu hadiah"),
    EXACT("Exact", "Uang pas"),
    AMOUNT_DUE("Due", "Tagihan"),
    REMAINING("Remaining", "Sisa"),
    CHANGE("Change", "Kembalian"),
    PAID("Paid", "Lunas"),
    TIP("Tip", "Tip"),
    NO_TIP("No tip", "Tanpa tip"),
    SPLIT("Split bill", "Bagi tagihan"),
    SPLIT_PART("Part {0}", "Bagian {0}"),
    SHOW_QRIS("Show QRIS to the customer", "Tunjukkan QRIS ke pelanggan"),
    QRIS_SCAN_PROMPT("Scan to pay {0}", "Pindai untuk membayar {0}"),
    QRIS_CONFIRM("Customer has paid", "Pelanggan sudah membayar"),
    CARD_ON_READER("Charge {0} on the card reader", "Tagih {0} di mesin kartu"),
    VOID_PAYMENTS("Void payments", "Batalkan pembayaran"),
    COMPLETE("Complete sale", "Selesaikan penjualan"),

    // Receipt
    RECEIPT("Receipt", "Struk"),
    PRINT("Print", "Cetak"),
    PRINTING("Printing…", "Mencetak…"),
    PRINTED("Printed", "Tercetak"),
    SHARE("Share", "Bagikan"),
    NO_PRINTER("No printer is paired", "Belum ada printer yang dipasangkan"),

    // Printers and readers
    PRINTERS("Printers", "Printer"),
    READERS("Card readers", "Mesin kartu"),
    BLUETOOTH_OFF("Bluetooth is off: turn it on to find printers", "Bluetooth mati: nyalakan untuk mencari printer"),
    BLUETOOTH_NOT_ASKED(
        "Kasir needs your permission to find and connect to Bluetooth printers and card readers",
        "Kasir perlu izin Anda untuk mencari dan menghubungkan printer dan mesin kartu Bluetooth",
    ),
    BLUETOOTH_DENIED(
        "Bluetooth permission was refused: Kasir cannot find printers without it",
        "Izin Bluetooth ditolak: Kasir tidak bisa mencari printer tanpanya",
    ),
    BLUETOOTH_DENIED_PERMANENTLY(
        "Kasir may not use Bluetooth: allow it in the system settings",
        "Kasir tidak diizinkan memakai Bluetooth: izinkan di pengaturan sistem",
    ),
    BLUETOOTH_UNAVAILABLE("Kasir cannot use Bluetooth on this device", "Kasir tidak bisa memakai Bluetooth di perangkat ini"),
    BLUETOOTH_SCAN_FAILED("The Bluetooth search stopped with an error: try again", "Pencarian Bluetooth berhenti karena galat: coba lagi"),
    TURN_ON_BLUETOOTH("Turn on Bluetooth", "Nyalakan Bluetooth"),
    ALLOW_BLUETOOTH("Allow Bluetooth", "Izinkan Bluetooth"),
    OPEN_SETTINGS("Open settings", "Buka pengaturan"),
    SEARCHING("Searching…", "Mencari…"),
    STOP_SEARCH("Stop searching", "Berhenti mencari"),
    PAIR("Pair", "Pasangkan"),
    PAIRED("Paired", "Terpasang"),

    // Sync
    SYNC("Sync", "Sinkronisasi"),
    SYNC_NOW("Sync now", "Sinkronkan sekarang"),
    SYNC_WAITING("{0} waiting", "{0} menunggu"),
    SYNC_ALL_SENT("All sent", "Semua terkirim"),
    SYNC_OLDEST("oldest {0}", "terlama {0}"),
    SYNC_LAST("last sync {0}", "sinkron terakhir {0}"),
    SYNC_NEVER("never synced", "belum pernah sinkron"),
    SYNC_NOT_ENROLLED("Not connected to a cloud account", "Belum terhubung ke akun cloud"),
    SYNC_REJECTED("{0} refused by the cloud", "{0} ditolak oleh cloud"),
    AGE_SECONDS("{0} s ago", "{0} dtk lalu"),
    AGE_MINUTES("{0} min ago", "{0} mnt lalu"),
    AGE_HOURS("{0} h ago", "{0} jam lalu"),
    AGE_DAYS("{0} d ago", "{0} hari lalu"),

    // Settings
    SETTINGS("Settings", "Pengaturan"),
    STORE_NAME("Store name", "Nama toko"),
    LANGUAGE("Language", "Bahasa"),
    RECEIPT_LANGUAGE("Receipt language", "Bahasa struk"),
    ENGLISH("English", "Bahasa Inggris"),
    INDONESIAN("Indonesian", "Bahasa Indonesia"),
    DEFAULT_PRINTER("Receipt printer", "Printer struk"),
    SAVED("Saved", "Tersimpan"),

    // Shifts
    SHIFT("Shift", "Shift"),
    OPEN_SHIFT("Open shift", "Buka shift"),
    CLOSE_SHIFT("Close shift", "Tutup shift"),
    NO_SHIFT("No shift is open", "Belum ada shift yang dibuka"),
    OPENING_FLOAT("Opening float", "Modal awal laci"),
    PAY_IN("Pay in", "Kas masuk"),
    PAY_OUT("Pay out", "Kas keluar"),
    CASH_AMOUNT("Amount paid in or out, or counted to close", "Jumlah kas masuk atau keluar, atau uang dihitung untuk tutup"),
    CASH_REASON("Reason", "Alasan"),
    COUNTED_CASH("Counted cash", "Uang dihitung"),
    EXPECTED_CASH("Expected in drawer", "Seharusnya di laci"),
    CASH_DIFFERENCE("Difference", "Selisih"),
    CASH_MATCHES("Cash matches", "Kas sesuai"),
    CASH_OVER("Over by {0}", "Lebih {0}"),
    CASH_SHORT("Short by {0}", "Kurang {0}"),
    X_REPORT("Shift {0} so far", "Shift {0} sejauh ini"),
    Z_REPORT("Z report, shift {0}", "Laporan Z, shift {0}"),
    SHIFT_OPENED("Shift {0} opened with {1}", "Shift {0} dibuka dengan {1}"),
    SHIFT_CLOSED("Shift {0} closed", "Shift {0} ditutup"),
    PAID_IN("Paid in {0}: {1}", "Kas masuk {0}: {1}"),
    PAID_OUT("Paid out {0}: {1}", "Kas keluar {0}: {1}"),
    SALES_COUNT("Sales", "Penjualan"),
    SALES_TOTAL("Sales total", "Total penjualan"),
    CASH_TENDERED("Cash received", "Tunai diterima"),
    CASH_CHANGE("Change given", "Kembalian diberikan"),
    CASH_REFUNDS("Cash refunds", "Pengembalian tunai"),
    TAKINGS_BY_TENDER("Takings by payment", "Pendapatan per pembayaran"),
    TIPS_BY_STAFF("Tips by staff", "Tip per staf"),
    NO_STAFF("No sign-in", "Tanpa staf"),
    OPENED_BY("Opened by", "Dibuka oleh"),
    CLOSED_BY("Closed by", "Ditutup oleh"),
    STAFF_NAME("Staff name", "Nama staf"),
    PIN("PIN", "PIN"),
    SIGN_IN("Sign in", "Masuk"),
    SIGN_OUT("Sign out", "Keluar"),
    SIGNED_IN_AS("Signed in: {0}", "Masuk sebagai {0}"),
    SIGN_IN_FIRST("Sign in to open or close a shift", "Masuk dulu untuk membuka atau menutup shift"),

    // Common actions and screen-reader descriptions.
    OK("OK", "OK"),
    CANCEL("Cancel", "Batal"),
    BACK("Back", "Kembali"),
    CLOSE("Close", "Tutup"),
    CLEAR("Clear", "Hapus"),
    CATALOG("Catalog", "Katalog"),
    ADD_ITEM("Add {0}, {1}", "Tambah {0}, {1}"),
    ADD_ONE("Add one", "Tambah satu"),
    REMOVE_ONE("Remove one", "Kurangi satu"),
    EDIT_LINE("Change line {0}", "Ubah baris {0}"),
    VOID_LINE("Void line {0}", "Batalkan baris {0}"),
    SEARCH_CATALOG("Search the catalog", "Cari di katalog"),
    SCAN_OR_TYPE("Scan or type a barcode", "Pindai atau ketik barcode"),
    KEYPAD("Cash received", "Uang diterima"),
    BACKSPACE("Delete last digit", "Hapus angka terakhir"),
    SYNC_DETAILS("Sync details", "Rincian sinkronisasi"),
    SYNC_STATUS("Sync status: {0}", "Status sinkronisasi: {0}"),
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
    PROFILE("Paper and profile", "Kertas dan profil"),
    MENU("Menu", "Menu"),
    SAVE("Save", "Simpan"),
    FAVOURITES_EMPTY(
        "The best sellers appear here after the first sales: pick a category or search",
        "Barang terlaris muncul di sini setelah penjualan pertama: pilih kategori atau cari",
    ),

    // Errors: the title a screen shows above the core's explanation.
    ERROR_NOT_FOUND("Not found", "Tidak ditemukan"),
    ERROR_INVALID("Check this entry", "Periksa isian ini"),
    ERROR_NOT_ALLOWED("Not possible now", "Tidak bisa sekarang"),
    ERROR_DECLINED("Declined", "Ditolak"),
    ERROR_DEVICE("Device problem", "Masalah perangkat"),
    ERROR_STORAGE("Storage problem", "Masalah penyimpanan"),
    ERROR_NETWORK("No connection: try again later", "Tidak ada koneksi: coba lagi nanti"),
    ERROR_NOT_ENROLLED("Not connected to a cloud account", "Belum terhubung ke akun cloud"),
    ERROR_CANCELLED("Cancelled", "Dibatalkan"),
    ERROR_INTERNAL("Something went wrong", "Terjadi kesalahan");

    /** The label in [language]. */
    fun text(language: Language): String = if (language == Language.ID) id else en

    /** The label in [language] with `{0}`, `{1}`... replaced by [args]. */
    fun format(language: Language, vararg args: Any): String =
        args.foldIndexed(text(language)) { i, text, arg -> text.replace("{$i}", arg.toString()) }
}

/**
 * A message a screen shows: a [title] in the device's language and the core's [detail] (which
 * names the input at fault), with the [field] at fault when there is one, for the screen to
 * mark.
 */
data class UiMessage(val title: String, val detail: String?, val field: String? = null) {
    /** Title and detail on one line. */
    val text: String get() = if (detail.isNullOrEmpty()) title else "$title: $detail"

    companion object {
        /** The message of a refused call into the core. */
        fun of(error: KasirException, language: Language): UiMessage = when (error) {
            is KasirException.NotFound ->
                UiMessage(Label.ERROR_NOT_FOUND.text(language), "${error.what} `${error.key}`")
            is KasirException.InvalidInput ->
                UiMessage(Label.ERROR_INVALID.text(language), "${error.field}: ${error.reason}", error.field)
            is KasirException.NotAllowed -> UiMessage(Label.ERROR_NOT_ALLOWED.text(language), error.reason)
            is KasirException.Declined -> UiMessage(Label.ERROR_DECLINED.text(language), error.reason)
            is KasirException.DeviceUnavailable -> UiMessage(Label.ERROR_DEVICE.text(language), error.reason)
            is KasirException.Storage -> UiMessage(Label.ERROR_STORAGE.text(language), error.reason)
            is KasirException.Network -> UiMessage(Label.ERROR_NETWORK.text(language), error.reason)
            is KasirException.NotEnrolled -> UiMessage(Label.ERROR_NOT_ENROLLED.text(language), null)
            is KasirException.Cancelled -> UiMessage(Label.ERROR_CANCELLED.text(language), null)
            is KasirException.Internal -> UiMessage(Label.ERROR_INTERNAL.text(language), error.reason)
        }

        /** A message of the app's own, from the string table. */
        fun of(label: Label, language: Language, vararg args: Any): UiMessage =
            UiMessage(label.format(language, *args), null)
    }
}

/**
 * Runs [call] into the core; a refusal becomes a [UiMessage] given to [onError] and the result
 * is null.
 */
internal inline fun <T> attempt(language: Language, onError: (UiMessage) -> Unit, call: () -> T): T? =
    try {
        call()
    } catch (e: KasirException) {
        onError(UiMessage.of(e, language))
        null
    }
