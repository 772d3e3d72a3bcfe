package id.kasir.ui

import id.kasir.CameraScanner
import id.kasir.Kasir
import id.kasir.core.CartView
import id.kasir.core.FrameRegion
import id.kasir.core.PaymentReader
import id.kasir.core.Register
import id.kasir.core.domain.Discount
import id.kasir.core.domain.Item
import id.kasir.core.domain.ItemUnit
import java.math.BigDecimal
import java.nio.ByteBuffer
import kotlinx.coroutines.channels.Channel
import kotlinx.coroutines.flow.Flow
import kotlinx.coroutines.flow.MutableStateFlow
import kotlinx.coroutines.flow.StateFlow
import kotlinx.coroutines.flow.asStateFlow
import kotlinx.coroutines.flow.receiveAsFlow
import kotlinx.coroutines.flow.update

/** An item on the grid, in the search results or among the favourites. */
data class ItemTile(val code: String, val name: String, val priceText: String, val category: String?, val weighed: Boolean)

/** A category of the grid. */
data class CategoryTile(val name: String, val itemCount: Int)

/** A line of the cart as the screen shows it; every amount text comes from the core. */
data class LineRow(
    val number: Int,
    val code: String,
    val name: String,
    val quantityText: String,
    val unitPriceText: String,
    /** The line's amount after its discounts; null for a voided line (it is in no total). */
    val amountText: String?,
    /** The line's own discount as given (`10%`, `Rp 5.000`), if any. */
    val discountText: String?,
    /** What the line's own discount took off, if anything (shown negative: `Rp -3.700`). */
    val discountAmountText: String?,
    /** The line's share of the order discounts, if any (largest remainder, from the core). */
    val orderDiscountText: String?,
    val voided: Boolean,
)

/** The register screen: search, categories, favourites and the cart. */
data class RegisterState(
    val lines: List<LineRow> = emptyList(),
    val subtotalText: String = "",
    val discountText: String? = null,
    val chargesText: String? = null,
    val taxText: String = "",
    /** Whether the tax is inside the total (PPN-inclusive prices) rather than added to it. */
    val taxIncluded: Boolean = true,
    val totalText: String = "",
    val total: BigDecimal = BigDecimal.ZERO,
    /** Active lines. */
    val lineCount: Int = 0,
    /** The order discounts given, as texts (`10%`, `Rp 5.000`). */
    val orderDiscounts: List<String> = emptyList(),
    /** False once a payment has started: the cart is fixed until the payments are voided. */
    val canEdit: Boolean = true,
    val isEmpty: Boolean = true,
    val query: String = "",
    val results: List<ItemTile> = emptyList(),
    val categories: List<CategoryTile> = emptyList(),
    val selectedCategory: String? = null,
    val categoryItems: List<ItemTile> = emptyList(),
    val favourites: List<ItemTile> = emptyList(),
    val message: UiMessage? = null,
    /** Whether the camera scanner is open over the catalog (a phone: over the whole register). */
    val scannerOpen: Boolean = false,
    /** The last scan since the scanner opened, for its feedback: the item added, or why not. */
    val lastScan: ScanEvent? = null,
)

/** What the platform does once: a sound or haptic for an accepted scan, a message for a refused one. */
sealed interface ScanEvent {
    /** The item was added: play the accept sound / haptic. */
    data class Accepted(val code: String, val name: String, val line: Int, val totalText: String) : ScanEvent

    /** The code was refused (unknown, malformed, cart fixed): play the error sound, show [message]. */
    data class Rejected(val code: String, val message: UiMessage) : ScanEvent
}

/**
 * The register screen's view model. It owns the open sale ([register]) and answers every
 * action with the core's [CartView]; it computes nothing itself. Calls are synchronous and
 * short (a local SQLite store): a platform may call them from its main thread or hand them to
 * a background dispatcher.
 */
class RegisterViewModel(
    private val kasir: Kasir,
    val language: Language,
    /** The open sale; shared with the [PaymentViewModel] made by [payment]. */
    val register: Register = kasir.newSale(),
    private val favouriteCount: Int = 12,
    private val searchLimit: Int = 30,
) : AutoCloseable {
    // Before `init`, which draws the first state.
    private val moneyText = MoneyText(kasir, language)
    private val mutableState = MutableStateFlow(RegisterState())
    private val scans = Channel<ScanEvent>(Channel.BUFFERED)

    /** The screen's state. */
    val state: StateFlow<RegisterState> = mutableState.asStateFlow()

    /** One event per scan, for the platform's sound, haptic and message. */
    val scanEvents: Flow<ScanEvent> = scans.receiveAsFlow()

    init {
        mutableState.update {
            it.copy(
                categories = attempt(language, ::fail, moneyText::text) {
                    kasir.categories().map { c -> CategoryTile(c.name, c.items.toInt()) }
                }.orEmpty(),
            )
        }
        refresh()
    }

    private fun fail(message: UiMessage) = mutableState.update { it.copy(message = message) }

    private fun tiles(items: List<Item>): List<ItemTile> {
        moneyText.prepare(items.map { it.price })
        return items.map(::tile)
    }

    private fun tile(item: Item) = ItemTile(
        code = item.gtin,
        name = item.name,
        priceText = moneyText.text(item.price),
        category = item.category,
        weighed = item.unit == ItemUnit.KG,
    )

    private fun quantityText(quantity: BigDecimal): String {
        val plain = quantity.stripTrailingZeros().toPlainString()
        return if (language == Language.ID) plain.replace('.', ',') else plain
    }

    private fun discountText(discount: Discount): String = when (discount) {
        is Discount.Percent -> "${quantityText(discount.v1)}%"
        is Discount.Amount -> money(discount.v1)
    }

    private fun money(amount: BigDecimal) = moneyText.text(amount)

    /**
     * Redraws the screen from [view], the core's answer to the last action. For a scan,
     * [scanned] makes its event from the view, shown as `lastScan` in the same redraw; the event
     * is returned.
     */
    private fun show(view: CartView, scanned: ((CartView) -> ScanEvent?)? = null): ScanEvent? {
        val totals = view.totals
        val lineTotals = totals.lines.associateBy { it.number }
        // Every amount this redraw shows, formatted by the core in one call.
        moneyText.prepare(
            view.lines.map { it.unitPrice } +
                totals.lines.flatMap { listOf(it.amount, it.lineDiscount.negate(), it.orderDiscount.negate()) } +
                view.orderDiscounts.filterIsInstance<Discount.Amount>().map { it.v1 } +
                listOf(totals.subtotal, totals.discountTotal.negate(), totals.chargesTotal, totals.taxTotal, totals.total),
        )
        val event = scanned?.invoke(view)
        val rows = view.lines.map { line ->
            val total = lineTotals[line.number]
            LineRow(
                number = line.number.toInt(),
                code = line.gtin,
                name = line.name,
                quantityText = quantityText(line.quantity),
                unitPriceText = money(line.unitPrice),
                amountText = total?.let { money(it.amount) },
                discountText = line.discount?.let(::discountText),
                discountAmountText = total?.lineDiscount?.takeIf { it.signum() != 0 }?.let { money(it.negate()) },
                orderDiscountText = total?.orderDiscount?.takeIf { it.signum() != 0 }?.let { money(it.negate()) },
                voided = line.voided,
            )
        }
        mutableState.update {
            it.copy(
                lines = rows,
                subtotalText = money(totals.subtotal),
                discountText = totals.discountTotal.takeIf { d -> d.signum() != 0 }?.let { d -> money(d.negate()) },
                chargesText = totals.chargesTotal.takeIf { c -> c.signum() != 0 }?.let(::money),
                taxText = money(totals.taxTotal),
                taxIncluded = totals.priceMode == id.kasir.core.domain.PriceMode.TAX_INCLUDED,
                totalText = money(totals.total),
                total = totals.total,
                lineCount = totals.lines.size,
                orderDiscounts = view.orderDiscounts.map(::discountText),
                canEdit = view.payment.tenders.isEmpty(),
                isEmpty = totals.lines.isEmpty(),
                message = null,
                lastScan = event ?: it.lastScan,
            )
        }
        return event
    }

    private fun change(action: () -> CartView): Boolean {
        val view = attempt(language, ::fail, moneyText::text, action) ?: return false
        show(view)
        return true
    }

    /** Reads the sale and the favourites again (after a payment or a completed sale). */
    fun refresh() {
        change { register.view() }
        mutableState.update {
            it.copy(favourites = attempt(language, ::fail, moneyText::text) { tiles(kasir.favourites(favouriteCount)) }.orEmpty())
        }
    }

    /** Searches the catalog by name, SKU or category as the clerk types; a blank [text] clears the results. */
    fun search(text: String) {
        val results = if (text.isBlank()) emptyList() else attempt(language, ::fail, moneyText::text) {
            tiles(kasir.searchItems(text, searchLimit))
        }.orEmpty()
        mutableState.update { it.copy(query = text, results = results) }
    }

    /** Opens category [name] of the grid, or closes it with null. */
    fun selectCategory(name: String?) {
        val items = name?.let { attempt(language, ::fail, moneyText::text) { tiles(kasir.categoryItems(it)) } }.orEmpty()
        mutableState.update { it.copy(selectedCategory = name, categoryItems = items) }
    }

    /** Adds one of the item with [code] (a tile tapped): true when it was added. */
    fun add(code: String): Boolean = change { register.scan(code) }

    /** Adds [quantity] (typed, `1,5` or `1.5` kg) of the item with [code]. */
    fun add(code: String, quantity: String): Boolean {
        val amount = quantity.trim().replace(',', '.').toBigDecimalOrNull()
        if (amount == null) {
            fail(UiMessage(Label.ERROR_INVALID.text(language), "${Label.FIELD_QUANTITY.text(language)}: `$quantity`", "quantity"))
            return false
        }
        return change { register.addItem(code, amount) }
    }

    /**
     * A code from the scanner or the camera: the item is added and [ScanEvent.Accepted] sent for
     * the sound or haptic, or [ScanEvent.Rejected] with the core's reason.
     */
    fun scan(code: String): Boolean {
        var refusal: UiMessage? = null
        val added = attempt(language, { refusal = it }, moneyText::text) {
            val item = kasir.findItem(code)
            item to register.scan(item.gtin)
        }
        if (added == null) {
            val message = refusal ?: return false
            val event = ScanEvent.Rejected(code, message)
            mutableState.update { it.copy(message = message, lastScan = event) }
            scans.trySend(event)
            return false
        }
        val (item, view) = added
        val event = show(view) { shown ->
            // The same item scanned again adds to its active line.
            val line = shown.lines.last { it.gtin == item.gtin && !it.voided }
            ScanEvent.Accepted(code, line.name, line.number.toInt(), money(shown.totals.total))
        } ?: return false
        scans.trySend(event)
        return true
    }

    /** Opens the camera scanner; its feedback starts empty. */
    fun openScanner() = mutableState.update { it.copy(scannerOpen = true, lastScan = null) }

    /** Closes the camera scanner. */
    fun closeScanner() = mutableState.update { it.copy(scannerOpen = false, lastScan = null) }

    /**
     * One camera frame (its luminance plane, see [CameraScanner.frame]): decoded by the core, and
     * a new read scanned into the sale as [scan] does, with its [ScanEvent]. A repeat of a code
     * still in view, or a frame without one, changes nothing. True when an item was added.
     */
    fun frame(
        camera: CameraScanner,
        pixels: ByteArray,
        width: Int,
        height: Int,
        rowStride: Int,
        timestampMs: Long,
        region: FrameRegion? = null,
    ): Boolean {
        val read = attempt(language, ::fail, moneyText::text) { camera.frame(pixels, width, height, rowStride, timestampMs, region) }
        return read != null && read.isNew && scan(read.code)
    }

    /** The same for a camera's plane buffer (CameraX `ImageProxy.planes[0].buffer`). */
    fun frame(
        camera: CameraScanner,
        plane: ByteBuffer,
        width: Int,
        height: Int,
        rowStride: Int,
        timestampMs: Long,
        region: FrameRegion? = null,
    ): Boolean {
        val read = attempt(language, ::fail, moneyText::text) { camera.frame(plane, width, height, rowStride, timestampMs, region) }
        return read != null && read.isNew && scan(read.code)
    }

    /** Sets the quantity of [line] to [text] (`3`, `0,75`). */
    fun setQuantity(line: Int, text: String): Boolean {
        val quantity = text.trim().replace(',', '.').toBigDecimalOrNull()
        if (quantity == null) {
            fail(UiMessage(Label.ERROR_INVALID.text(language), "${Label.FIELD_QUANTITY.text(language)}: `$text`", "quantity"))
            return false
        }
        return change { register.setQuantity(line.toUInt(), quantity) }
    }

    /** Sets the discount of [line] (`10%`, `5000`), or removes it with a blank [text]. */
    fun setLineDiscount(line: Int, text: String): Boolean = change {
        register.setLineDiscount(line.toUInt(), if (text.isBlank()) null else kasir.parseDiscount(text))
    }

    /** Voids [line]: it stays on record, struck through, and leaves every total. */
    fun voidLine(line: Int): Boolean = change { register.voidLine(line.toUInt()) }

    /** Adds a discount on the whole order (`10%`, `5000`). */
    fun addOrderDiscount(text: String): Boolean = change { register.addOrderDiscount(kasir.parseDiscount(text)) }

    /** Removes every order discount. */
    fun clearOrderDiscounts(): Boolean = change { register.clearOrderDiscounts() }

    /** Drops the open sale (nothing is stored). */
    fun clearSale(): Boolean = change { register.clear() }

    /** Hides the message. */
    fun dismissMessage() = mutableState.update { it.copy(message = null) }

    /** The payment screen of this sale, with the paired [cardReader] if any; its changes redraw this screen. */
    fun payment(cardReader: PaymentReader? = null): PaymentViewModel =
        PaymentViewModel(kasir, register, language, onChange = ::refresh, cardReader = cardReader)

    /** Releases the open sale. */
    override fun close() {
        scans.close()
        register.close()
    }
}
