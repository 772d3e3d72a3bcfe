package id.kasir

import id.kasir.core.CashMove
import id.kasir.core.CashMoveKind
import id.kasir.core.Category
import id.kasir.core.DayReport
import id.kasir.core.KasirException
import id.kasir.core.LogLevel
import id.kasir.core.LogRecord
import id.kasir.core.LogSink
import id.kasir.core.NetworkMonitor
import id.kasir.core.NewStore
import id.kasir.core.ReceiptLink
import id.kasir.core.ReceiptFile
import id.kasir.core.Register
import id.kasir.core.SaleSummary
import id.kasir.core.SavedPrinter
import id.kasir.core.SecureStorage
import id.kasir.core.ShiftReport
import id.kasir.core.StaffMember
import id.kasir.core.StaffRole
import id.kasir.core.StaffSignIn
import id.kasir.core.SyncEvent
import id.kasir.core.SyncListener
import id.kasir.core.SyncOptions
import id.kasir.core.SyncReport
import id.kasir.core.SyncStatus
import id.kasir.core.domain.Device
import id.kasir.core.domain.Discount
import id.kasir.core.domain.Item
import id.kasir.core.domain.Locale
import id.kasir.core.domain.Sale
import id.kasir.core.domain.StoreSettings
import id.kasir.core.installLogSink
import java.math.BigDecimal
import java.time.LocalDate
import kotlinx.coroutines.channels.awaitClose
import kotlinx.coroutines.flow.Flow
import kotlinx.coroutines.flow.callbackFlow
import kotlinx.coroutines.flow.map
import kotlinx.coroutines.flow.onStart
import id.kasir.core.Kasir as CoreKasir

/**
 * An open Kasir store: the entry point for a register app.
 *
 * It owns the native store; close it (or open it with `use {}`) when the app is done with it.
 * Every call can throw [KasirException], whose subclasses say what a screen can do about it
 * ([KasirException.NotFound], [KasirException.InvalidInput] with the field and the reason, ...).
 * Money is [java.math.BigDecimal] throughout, never a floating-point number.
 */
class Kasir private constructor(internal val core: CoreKasir) : AutoCloseable {
    companion object {
        /**
         * Opens the store file at [path], which must have been set up already (see [openOrCreate]).
         * With [secureStorage] the device token is kept there once the device enrols.
         */
        fun open(path: String, secureStorage: SecureStorage? = null): Kasir =
            Kasir(CoreKasir.open(path, null, secureStorage))

        /**
         * Opens the store file at [path], setting it up first as an Indonesian shop called [name]
         * (device [deviceCode], receipt numbers like `D01-000042`) when it is new; with
         * [sampleCatalog] a new store gets the sample catalog of about 900 products.
         */
        fun openOrCreate(
            path: String,
            name: String,
            deviceCode: String = "D01",
            sampleCatalog: Boolean = false,
            secureStorage: SecureStorage? = null,
        ): Kasir = Kasir(CoreKasir.open(path, NewStore(name, deviceCode, sampleCatalog), secureStorage))

        /** Sends the core's logs at [level] and above to [log] (Logcat, a test's list...). */
        fun logTo(level: LogLevel = LogLevel.INFO, log: (LogRecord) -> Unit) {
            installLogSink(
                object : LogSink {
                    override fun log(record: LogRecord) = log(record)
                },
                level,
            )
        }
    }

    /** The store's settings: name, currency, tax rules, cash rounding. */
    val settings: StoreSettings get() = core.settings()

    /** This device's identity. */
    val device: Device get() = core.device()

    /** How many items the catalog holds. */
    val itemCount: Long get() = core.itemCount().toLong()

    /** The item for a scanned or typed [code]: any GTIN form (EAN-8, UPC-E, UPC-A, EAN-13, GTIN-14) or a SKU. */
    fun findItem(code: String): Item = core.findItem(code)

    /** Items whose name, SKU or category match [text], best first. */
    fun searchItems(text: String, limit: Int = 20): List<Item> = core.searchItems(text, limit.toUInt())

    /** Starts a sale on the register; close it when the sale is completed or abandoned. */
    fun newSale(): Register = core.newSale()

    /** Rings up one sale in [block] and closes its register afterwards. */
    inline fun <T> sale(block: (Register) -> T): T = newSale().use(block)

    /** A completed sale by its receipt number (`D01-000042`). */
    fun completedSale(receiptNumber: String): Sale = core.sale(receiptNumber)

    /** The receipt of a completed sale as plain text, [columns] characters wide (58 mm paper without one). */
    fun receiptText(receiptNumber: String, columns: Int? = null): String =
        core.receiptText(receiptNumber, columns?.toUShort())

    /** The receipt of a completed sale as ESC/POS bytes for the built-in printer profile [printerProfile]. */
    fun receiptBytes(receiptNumber: String, printerProfile: String = "generic-58"): ByteArray =
        core.receiptBytes(receiptNumber, printerProfile)

    /**
     * The receipt of a completed sale as a PNG picture 80 mm wide, [columns] characters a line
     * (48 without; 24 to 64), with the file name and MIME type the share sheet needs.
     */
    fun receiptPng(receiptNumber: String, columns: Int? = null): ReceiptFile =
        core.receiptPng(receiptNumber, columns?.toUShort())

    /** The receipt of a completed sale as a one-page PDF 80 mm wide with real, selectable text. */
    fun receiptPdf(receiptNumber: String, columns: Int? = null): ReceiptFile =
        core.receiptPdf(receiptNumber, columns?.toUShort())

    /**
     * The public link to a completed sale's receipt: the enrolled cloud's address, `/r/` and the
     * sale's token. Known offline; it opens once the sale has synced. [KasirException.NotEnrolled]
     * without a cloud account.
     */
    fun receiptLink(receiptNumber: String): ReceiptLink = core.receiptLink(receiptNumber)

    /** The names of the built-in printer profiles. */
    val printerProfiles: List<String> get() = core.printerProfiles()

    /** The sales of business day [date], or of every day. */
    fun sales(date: LocalDate? = null): List<SaleSummary> = core.sales(date?.toString())

    /** The report of business day [date], or of today in the store's time zone. */
    fun dayReport(date: LocalDate? = null): DayReport = core.dayReport(date?.toString())

    /** What the sync screen shows now. */
    fun syncStatus(): SyncStatus = core.syncStatus()

    /** Enrols this device with a cloud account, trading the owner's one-time [code] for a device token. */
    suspend fun enrol(serverUrl: String, code: String) = core.enrol(serverUrl, code)

    /** Sends the waiting sales and applies the cloud's changes once; cancelling the coroutine stops it. */
    suspend fun syncOnce(): SyncReport = core.syncOnce()

    /**
     * Syncs in the background while the flow is collected: at once, then every [intervalSecs]
     * seconds, sooner when [monitor] reports the network is back. Each sync's outcome is emitted;
     * cancelling the collector stops the sync.
     */
    fun syncEvents(
        intervalSecs: Long = 300,
        batchSize: Int = 200,
        monitor: NetworkMonitor? = null,
    ): Flow<SyncEvent> = callbackFlow {
        val listener = object : SyncListener {
            override fun onSync(event: SyncEvent) {
                trySend(event)
            }
        }
        val handle = core.startSync(SyncOptions(intervalSecs.toULong(), batchSize.toUInt()), listener, monitor)
        awaitClose {
            handle.cancel()
            handle.close()
        }
    }

    /** The sync status, now and after every background sync (see [syncEvents]). */
    fun syncStatusUpdates(
        intervalSecs: Long = 300,
        monitor: NetworkMonitor? = null,
    ): Flow<SyncStatus> = syncEvents(intervalSecs, monitor = monitor)
        .map { syncStatus() }
        .onStart { emit(syncStatus()) }

    /** [amount] with the currency's symbol as people read it (`Rp 12.500` in [locale] `ID`), in the store's language without one. */
    fun formatMoney(amount: BigDecimal, locale: Locale? = null): String = core.formatMoney(amount, locale)

    /** [formatMoney] of each of [amounts], in order, in one call into the core. */
    fun formatAmounts(amounts: List<BigDecimal>, locale: Locale? = null): List<String> = core.formatAmounts(amounts, locale)

    /** An amount typed into [field] (digits, no grouping dots), checked against the store's currency. */
    fun parseAmount(field: String, text: String): BigDecimal = core.parseAmount(field, text)

    /** A discount typed by the clerk: `10%` or an amount like `5000`. */
    fun parseDiscount(text: String): Discount = core.parseDiscount(text)

    /** The banknotes of the store's currency, smallest first. */
    val cashNotes: List<BigDecimal> get() = core.cashNotes()

    /** The cash keypad's quick amounts for [due]: exact, then rounded up to each note. */
    fun quickCashAmounts(due: BigDecimal): List<BigDecimal> = core.quickCashAmounts(due)

    /** The catalog's categories with their item counts, by name. */
    fun categories(): List<Category> = core.categories()

    /** The items of [category], by name. */
    fun categoryItems(category: String, limit: Int = 200): List<Item> = core.categoryItems(category, limit.toUInt())

    /** The items in the most sales on this device. */
    fun favourites(limit: Int = 12): List<Item> = core.favourites(limit.toUInt())

    /** The printers saved on this device. */
    fun printers(): List<SavedPrinter> = core.printers()

    /** Saves (or replaces by name) a printer; its profile must be a built-in one. */
    fun savePrinter(printer: SavedPrinter) = core.savePrinter(printer)

    /** Replaces the store's settings after checking them. */
    fun updateSettings(settings: StoreSettings) = core.updateSettings(settings)

    /**
     * Imports catalog rows in Kasir's CSV layout (`gtin,sku,name,price,tax_category,unit,category,stock`),
     * adding or updating items by GTIN; one bad row refuses all of them. Returns the items written.
     */
    fun importCatalog(csv: String): Long = core.importCatalog(csv).toLong()

    /** Whether the till asks for a staff sign-in: true once a staff member is active. */
    val staffRequired: Boolean get() = core.staffRequired()

    /** Signs [name] in with [pin]; a wrong PIN is [KasirException.InvalidInput] naming `pin`. */
    fun signIn(name: String, pin: String): StaffMember = core.signIn(name, pin)

    /** Adds a staff member with a new [pin]; the first must be a manager, later ones need a manager as [by]. */
    fun addStaff(name: String, role: StaffRole, pin: String, by: StaffSignIn? = null): StaffMember =
        core.addStaff(name, role, pin, by)

    /** The open shift's report (its X report), or null when no shift is open. */
    fun currentShift(): ShiftReport? = core.currentShift()

    /** The report of shift [number], or of the open (else the last) shift. */
    fun shiftReport(number: Int? = null): ShiftReport = core.shiftReport(number?.toUInt())

    /** Opens a shift with [float] in the drawer; [by] signs in once the store has staff. */
    fun openShift(float: BigDecimal, by: StaffSignIn? = null): ShiftReport = core.openShift(float, by)

    /** Cash put into the open shift's drawer, with the [reason]. */
    fun payIn(amount: BigDecimal, reason: String, by: StaffSignIn? = null): CashMove =
        core.moveCash(CashMoveKind.PAY_IN, amount, reason, by)

    /** Cash taken out of the open shift's drawer, with the [reason]. */
    fun payOut(amount: BigDecimal, reason: String, by: StaffSignIn? = null): CashMove =
        core.moveCash(CashMoveKind.PAY_OUT, amount, reason, by)

    /** Closes the open shift with the [counted] cash; returns its Z report. */
    fun closeShift(counted: BigDecimal, by: StaffSignIn? = null): ShiftReport = core.closeShift(counted, by)

    /** Releases the native store. */
    override fun close() = core.close()
}
