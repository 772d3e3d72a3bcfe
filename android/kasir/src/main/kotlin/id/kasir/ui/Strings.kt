package id.kasir.ui

import id.kasir.core.KasirException
import java.math.BigDecimal
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
    CARD_READER("Card reader", "Mesin kartu"),
    NO_CARD_READER("No card reader is paired", "Belum ada mesin kartu yang terhubung"),
    READER_PRESENT_CARD("Insert, tap or swipe the card", "Masukkan, tempelkan, atau gesek kartu"),
    READER_CHOOSE_TIP("The customer is choosing a tip", "Pelanggan sedang memilih tip"),
    READER_ENTER_PIN("The customer is entering the PIN", "Pelanggan sedang memasukkan PIN"),
    READER_PROCESSING("Processing…", "Memproses…"),
    READER_REMOVE_CARD("Remove the card", "Cabut kartu"),
    READER_APPROVED("Approved", "Disetujui"),
    READER_DECLINED("Declined: nothing was charged", "Ditolak: tidak ada yang ditagih"),
    READER_CANCELLED("Cancelled: nothing was charged", "Dibatalkan: tidak ada yang ditagih"),
    READER_FAILED("The card reader failed", "Mesin kartu gagal"),
    VOID_PAYMENTS("Void payments", "Batalkan pembayaran"),
    COMPLETE("Complete sale", "Selesaikan penjualan"),

    // Receipt
    RECEIPT("Receipt", "Struk"),
    PRINT("Print", "Cetak"),
    PRINTING("Printing…", "Mencetak…"),
    PRINTED("Printed", "Tercetak"),
    SHARE("Share", "Bagikan"),
    SHARE_IMAGE("Share image", "Bagikan gambar"),
    SHARE_PDF("Share PDF", "Bagikan PDF"),
    SEND_LINK("Send link", "Kirim tautan"),
    SHARE_IMAGE_FOR("Share receipt {0} as a picture", "Bagikan struk {0} sebagai gambar"),
    SHARE_PDF_FOR("Share receipt {0} as a PDF", "Bagikan struk {0} sebagai PDF"),
    SEND_LINK_FOR("Send the link to receipt {0}", "Kirim tautan struk {0}"),
    SAVED_TO("Saved to {0}", "Disimpan di {0}"),
    LINK_AFTER_SYNC("The link opens once this sale has synced", "Tautan bisa dibuka setelah penjualan ini tersinkron"),
    LINK_NEEDS_CLOUD(
        "Connect this device to a cloud account to send receipt links",
        "Hubungkan perangkat ini ke akun cloud untuk mengirim tautan struk",
    ),
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

    // Errors: the detail of each variant of the core's error, with its fields.
    ERROR_NOT_FOUND_DETAIL("{0} `{1}`", "{0} `{1}`"),
    ERROR_INVALID_DETAIL("{0}: {1}", "{0}: {1}"),
    ERROR_NOT_ALLOWED_DETAIL("{0}", "{0}"),
    ERROR_DECLINED_DETAIL("{0}", "{0}"),
    ERROR_DEVICE_DETAIL("{0}", "{0}"),
    ERROR_STORAGE_DETAIL("{0}", "{0}"),
    ERROR_NETWORK_DETAIL("{0}", "{0}"),
    ERROR_NOT_ENROLLED_DETAIL(
        "connect this device in the menu first",
        "hubungkan perangkat ini lewat menu dulu",
    ),
    ERROR_CANCELLED_DETAIL("the work was stopped before it finished", "pekerjaan dihentikan sebelum selesai"),
    ERROR_INTERNAL_DETAIL("{0}", "{0}"),

    // What the core looked for (`NotFound.what`), in the core's English words.
    WHAT_ITEM("item", "barang"),
    WHAT_LINE("line", "baris"),
    WHAT_SALE("sale", "penjualan"),
    WHAT_RECEIPT("receipt", "struk"),
    WHAT_PRODUCT("product", "produk"),
    WHAT_PRINTER("printer", "printer"),
    WHAT_PRINTER_PROFILE("printer profile", "profil printer"),
    WHAT_PRINT_JOB("print job", "tugas cetak"),
    WHAT_CUSTOMER("customer", "pelanggan"),
    WHAT_STAFF("staff member", "staf"),
    WHAT_SHIFT("shift", "shift"),
    WHAT_REFUND("refund", "pengembalian"),

    // The fields the core names (`InvalidInput.field`), in the core's English words.
    FIELD_QUANTITY("quantity", "jumlah"),
    FIELD_DISCOUNT("discount", "diskon"),
    FIELD_LINE_DISCOUNT("line {0} discount", "diskon baris {0}"),
    FIELD_ORDER_DISCOUNT("order discount", "diskon pesanan"),
    FIELD_GTIN("gtin", "barcode"),
    FIELD_AMOUNT("amount", "jumlah uang"),
    FIELD_PRICE("price", "harga"),
    FIELD_TIP("tip", "tip"),
    FIELD_LAST4("last4", "4 angka terakhir kartu"),
    FIELD_APPROVAL("approval", "kode persetujuan"),
    FIELD_FLOAT("float", "modal awal laci"),
    FIELD_COUNTED("counted", "uang dihitung"),
    FIELD_PIN("pin", "PIN"),
    FIELD_LANGUAGE("language", "bahasa"),
    FIELD_ENROLMENT("enrolment", "pendaftaran"),

    // The core's reasons, word for word in English, for the templates are matched against them.
    // An amount in one is written again by the core (see `ErrorTemplates.amountArguments`).
    REASON_MORE_THAN_ZERO("must be more than zero", "harus lebih dari nol"),
    REASON_VALUE_MORE_THAN_ZERO("{0} must be more than zero", "{0} harus lebih dari nol"),
    REASON_DISCOUNT_TOO_LARGE("{0} is more than the {1} it applies to", "{0} lebih dari {1} yang didiskon"),
    REASON_PERCENT_RANGE(
        "{0}% must be more than 0 and at most 100",
        "{0}% harus lebih dari 0 dan paling banyak 100",
    ),
    REASON_PERCENT_DECIMALS("{0}% has more than two decimals", "{0}% punya lebih dari dua desimal"),
    REASON_NOT_PERCENT("`{0}%` is not a percentage", "`{0}%` bukan persentase"),
    REASON_CHECK_DIGIT(
        "{0} `{1}` has check digit {2}, but it must be {3}",
        "{0} `{1}` berdigit periksa {2}, seharusnya {3}",
    ),
    REASON_WHOLE_AMOUNTS(
        "`{0}`: {1} amounts are whole numbers; type them without dots or commas, like {2}",
        "`{0}`: jumlah {1} adalah bilangan bulat; ketik tanpa titik atau koma, misalnya {2}",
    ),
    REASON_WHOLE_AMOUNT_TYPE(
        "`{0}`: {1} amounts are whole numbers; type {2}",
        "`{0}`: jumlah {1} adalah bilangan bulat; ketik {2}",
    ),
    REASON_NO_DECIMALS(
        "`{0}`: {1} has no decimals; type a whole amount, without dots or commas",
        "`{0}`: {1} tidak punya desimal; ketik jumlah bulat, tanpa titik atau koma",
    ),
    REASON_DIGITS_ONLY("`{0}` must be digits only", "`{0}` hanya boleh berisi angka"),
    REASON_GTIN_LENGTH(
        "`{0}` has {1} digits; a GTIN has 8, 12, 13 or 14",
        "`{0}` punya {1} angka; GTIN punya 8, 12, 13 atau 14 angka",
    ),
    REASON_NEGATIVE("`{0}` is negative", "`{0}` negatif"),
    REASON_NOT_AMOUNT(
        "`{0}` is not an amount (digits, optionally a `.` and decimals)",
        "`{0}` bukan jumlah uang (angka, boleh dengan `.` dan desimal)",
    ),
    REASON_EMPTY("is empty", "kosong"),
    REASON_TOO_LARGE("`{0}` is too large", "`{0}` terlalu besar"),
    REASON_PAYMENT_STARTED(
        "a payment has started: void the payments before changing the sale",
        "pembayaran sudah dimulai: batalkan pembayaran sebelum mengubah penjualan",
    ),
    REASON_CHARGE_NEEDS_ITEMS("add items before a charge", "tambahkan barang sebelum biaya"),
    REASON_NO_ITEMS("the sale has no items", "penjualan ini belum berisi barang"),
    REASON_NO_ITEMS_TO_SPLIT("the sale has no items to split", "penjualan ini belum berisi barang untuk dibagi"),
    REASON_SPLIT_AFTER_PAYMENT(
        "payments are already taken: split the bill before the first payment (or void the payments)",
        "pembayaran sudah diterima: bagi tagihan sebelum pembayaran pertama (atau batalkan pembayaran)",
    ),
    REASON_CARD_OVER_DUE(
        "card of {0} is more than the {1} still due; only cash makes change",
        "kartu sebesar {0} lebih dari sisa tagihan {1}; hanya tunai yang memberi kembalian",
    ),
    REASON_QR_OVER_DUE(
        "qr of {0} is more than the {1} still due; only cash makes change",
        "QRIS sebesar {0} lebih dari sisa tagihan {1}; hanya tunai yang memberi kembalian",
    ),
    REASON_PAYMENT_MISMATCH("the payment is for {0}, but the sale totals {1}", "pembayaran sebesar {0}, padahal total penjualan {1}"),
    REASON_APPROVAL("must be 1 to 12 letters or digits", "harus 1 sampai 12 huruf atau angka"),
    REASON_LAST4("must be exactly the last four digits of the card", "harus tepat empat angka terakhir kartu"),
    REASON_FOUR_DIGITS("must be exactly four digits", "harus tepat empat angka"),
    REASON_PIN_LENGTH("must be 4 to 8 digits", "harus 4 sampai 8 angka"),
    REASON_WRONG_PIN("wrong PIN for {0}", "PIN salah untuk {0}"),
    REASON_NO_QRIS(
        "this store has no QRIS payload: set it in the store's settings",
        "toko ini belum punya kode QRIS: atur di pengaturan toko",
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
        /**
         * The message of a refused call into the core, in [language]: the variant's title and
         * its detail template filled with its fields. The fields the core writes in English
         * (what was looked for, the field, the reason) are put in [language] when the string
         * table has their words ([Label] entries `WHAT_`, `FIELD_`, `REASON_`); a reason
         * without a template stays the core's English. Amounts inside a reason are written
         * again by [money] (the core's `formatMoney`) when given.
         */
        fun of(error: KasirException, language: Language, money: ((BigDecimal) -> String)? = null): UiMessage {
            val (title, detail) = ErrorTemplates.of(error)
            val words = ErrorWords(language, money)
            val text = when (error) {
                is KasirException.NotFound -> detail.format(language, words.what(error.what), error.key)
                is KasirException.InvalidInput ->
                    detail.format(language, words.field(error.field), words.reason(error.reason))
                is KasirException.NotAllowed -> detail.format(language, words.reason(error.reason))
                is KasirException.Declined -> detail.format(language, words.reason(error.reason))
                is KasirException.DeviceUnavailable -> detail.format(language, words.reason(error.reason))
                is KasirException.Storage -> detail.format(language, words.reason(error.reason))
                is KasirException.Network -> detail.format(language, words.reason(error.reason))
                is KasirException.NotEnrolled -> detail.text(language)
                is KasirException.Cancelled -> detail.text(language)
                is KasirException.Internal -> detail.format(language, words.reason(error.reason))
            }
            val field = (error as? KasirException.InvalidInput)?.field
            return UiMessage(title.text(language), text, field)
        }

        /** A message of the app's own, from the string table. */
        fun of(label: Label, language: Language, vararg args: Any): UiMessage =
            UiMessage(label.format(language, *args), null)
    }
}

/** The title and the detail template of each variant of the core's error. */
object ErrorTemplates {
    fun of(error: KasirException): Pair<Label, Label> = when (error) {
        is KasirException.NotFound -> Label.ERROR_NOT_FOUND to Label.ERROR_NOT_FOUND_DETAIL
        is KasirException.InvalidInput -> Label.ERROR_INVALID to Label.ERROR_INVALID_DETAIL
        is KasirException.NotAllowed -> Label.ERROR_NOT_ALLOWED to Label.ERROR_NOT_ALLOWED_DETAIL
        is KasirException.Declined -> Label.ERROR_DECLINED to Label.ERROR_DECLINED_DETAIL
        is KasirException.DeviceUnavailable -> Label.ERROR_DEVICE to Label.ERROR_DEVICE_DETAIL
        is KasirException.Storage -> Label.ERROR_STORAGE to Label.ERROR_STORAGE_DETAIL
        is KasirException.Network -> Label.ERROR_NETWORK to Label.ERROR_NETWORK_DETAIL
        is KasirException.NotEnrolled -> Label.ERROR_NOT_ENROLLED to Label.ERROR_NOT_ENROLLED_DETAIL
        is KasirException.Cancelled -> Label.ERROR_CANCELLED to Label.ERROR_CANCELLED_DETAIL
        is KasirException.Internal -> Label.ERROR_INTERNAL to Label.ERROR_INTERNAL_DETAIL
    }

    /** The arguments of a reason template that are amounts of money (written by the core). */
    val amountArguments: Map<Label, Set<Int>> = mapOf(
        Label.REASON_DISCOUNT_TOO_LARGE to setOf(0, 1),
        Label.REASON_CARD_OVER_DUE to setOf(0, 1),
        Label.REASON_QR_OVER_DUE to setOf(0, 1),
        Label.REASON_PAYMENT_MISMATCH to setOf(0, 1),
    )
}

/**
 * The core's English words of an error's fields in [language]: a field's text is matched, whole,
 * against the English text of each label of a group (`{0}`... standing for any text), and the
 * matching label's text in [language] is filled with what the placeholders stood for.
 */
internal class ErrorWords(private val language: Language, private val money: ((BigDecimal) -> String)?) {
    fun what(text: String): String = translate(text, "WHAT_")
    fun field(text: String): String = translate(text, "FIELD_")
    fun reason(text: String): String = translate(text, "REASON_")

    private fun translate(text: String, group: String): String {
        for ((label, pattern) in patterns(group)) {
            val match = pattern.matchEntire(text) ?: continue
            val amounts = ErrorTemplates.amountArguments[label].orEmpty()
            val args = match.groupValues.drop(1).mapIndexed { i, arg ->
                val amount = if (i in amounts) arg.toBigDecimalOrNull() else null
                if (amount != null && money != null) money.invoke(amount) else arg
            }
            return label.format(language, *args.toTypedArray())
        }
        return text
    }

    private companion object {
        private val placeholder = Regex("\\{([0-9]+)\\}")
        private val groups = HashMap<String, List<Pair<Label, Regex>>>()

        /** The labels of [group], each with its English text as a pattern, in table order. */
        fun patterns(group: String): List<Pair<Label, Regex>> = synchronized(groups) {
            groups.getOrPut(group) {
                Label.entries.filter { it.name.startsWith(group) }.map { label ->
                    val english = label.text(Language.EN)
                    // Placeholders are in order ({0} first), which `format` relies on too.
                    val parts = english.split(placeholder)
                    label to Regex(parts.joinToString("(.+?)") { Regex.escape(it) })
                }
            }
        }
    }
}

/**
 * Runs [call] into the core; a refusal becomes a [UiMessage] given to [onError] (its amounts
 * written by [money] when given) and the result is null.
 */
internal inline fun <T> attempt(
    language: Language,
    onError: (UiMessage) -> Unit,
    noinline money: ((BigDecimal) -> String)? = null,
    call: () -> T,
): T? =
    try {
        call()
    } catch (e: KasirException) {
        onError(UiMessage.of(e, language, money))
        null
    }
