package id.kasir.ui

import id.kasir.Kasir
import id.kasir.core.BillShare
import id.kasir.core.BillSplit
import id.kasir.core.CardReaderListener
import id.kasir.core.CartView
import id.kasir.core.KasirException
import id.kasir.core.PaymentReader
import id.kasir.core.ReaderPrompt
import id.kasir.core.Register
import id.kasir.core.domain.ChargeBasis
import id.kasir.core.domain.ChargeKind
import id.kasir.core.domain.Sale
import id.kasir.core.domain.TenderMethod
import java.math.BigDecimal
import kotlinx.coroutines.Dispatchers
import kotlinx.coroutines.channels.Channel
import kotlinx.coroutines.flow.Flow
import kotlinx.coroutines.flow.MutableStateFlow
import kotlinx.coroutines.flow.StateFlow
import kotlinx.coroutines.flow.asStateFlow
import kotlinx.coroutines.flow.receiveAsFlow
import kotlinx.coroutines.flow.update
import kotlinx.coroutines.withContext

/** A quick-amount button of the cash keypad. */
data class QuickAmount(val amount: BigDecimal, val text: String, val exact: Boolean)

/** A tender taken so far. */
data class TenderRow(val method: String, val detail: String?, val amountText: String, val changeText: String?)

/** A tip button: a percentage and what it comes to on this sale (from the core). */
data class TipChoice(val percent: BigDecimal?, val label: String, val amountText: String?, val selected: Boolean)

/** One payer's part of a split bill. */
data class SplitPart(val number: Int, val amount: BigDecimal, val totalText: String, val lines: List<Int>, val paid: Boolean)

/** The QRIS code shown full screen for the customer. */
data class QrisScreen(val payload: String, val amount: BigDecimal, val amountText: String, val prompt: String)

/** How the last card payment on the reader ended. */
enum class ReaderOutcome { APPROVED, DECLINED, CANCELLED, FAILED }

/** The payment screen. Every amount is the core's; texts are formatted by the core. */
data class PaymentState(
    val totalText: String = "",
    /** What the tenders must cover (total plus any cash rounding). */
    val amountDueText: String = "",
    val remaining: BigDecimal = BigDecimal.ZERO,
    val remainingText: String = "",
    /** What cash settles the sale now, after the store's cash rounding. */
    val cashDue: BigDecimal = BigDecimal.ZERO,
    val cashDueText: String = "",
    /** The digits typed on the keypad, and the amount they make (null while empty). */
    val keypadDigits: String = "",
    val keypadAmountText: String? = null,
    val quickAmounts: List<QuickAmount> = emptyList(),
    val change: BigDecimal = BigDecimal.ZERO,
    val changeText: String = "",
    val roundingText: String? = null,
    val isPaid: Boolean = false,
    val tenders: List<TenderRow> = emptyList(),
    val tipChoices: List<TipChoice> = emptyList(),
    val tipText: String? = null,
    val serviceChargeText: String? = null,
    /** Tips and splits are set before the first tender; then the sale is fixed. */
    val canChangeBill: Boolean = true,
    val splitParts: List<SplitPart> = emptyList(),
    val selectedPart: Int? = null,
    val qris: QrisScreen? = null,
    /** Whether a card reader is paired (the Card reader button). */
    val hasCardReader: Boolean = false,
    /** A card payment is under way on the reader. */
    val readerBusy: Boolean = false,
    /** The reader's latest prompt, then how the payment ended, in the screen's language. */
    val readerPrompt: String? = null,
    /** How the last payment on the reader ended; null before one and while one is under way. */
    val readerOutcome: ReaderOutcome? = null,
    /** The receipt number once the sale is completed. */
    val receiptNumber: String? = null,
    val message: UiMessage? = null,
)

/** What happens once on the payment screen. */
sealed interface PaymentEvent {
    /** The sale was stored: open its receipt. */
    data class Completed(val receiptNumber: String, val changeText: String) : PaymentEvent
}

/**
 * The payment screen's view model over the open sale [register]: the cash keypad with quick
 * amounts and change, QRIS shown full screen, card payments recorded from the reader, tip
 * presets and split bills. [onChange] runs after every change of the sale (the register screen
 * redraws). [tipPresets] are the percentages offered for table service (empty for a shop).
 * [cardReader] is the paired card reader (the simulated one on the desktop), if any.
 */
class PaymentViewModel(
    private val kasir: Kasir,
    private val register: Register,
    val language: Language,
    private val tipPresets: List<BigDecimal> = DEFAULT_TIPS,
    private val onChange: () -> Unit = {},
    private val cardReader: PaymentReader? = null,
) {
    // Before `init`, which draws the first state.
    private val moneyText = MoneyText(kasir, language)
    private val mutableState = MutableStateFlow(PaymentState(hasCardReader = cardReader != null))
    private val events = Channel<PaymentEvent>(Channel.BUFFERED)
    private val paidParts = mutableSetOf<Int>()
    private var tip: BigDecimal? = null

    /** The screen's state. */
    val state: StateFlow<PaymentState> = mutableState.asStateFlow()

    /** One event per completed sale. */
    val completions: Flow<PaymentEvent> = events.receiveAsFlow()

    init {
        refresh()
    }

    private fun money(amount: BigDecimal) = moneyText.text(amount)

    private fun fail(message: UiMessage) = mutableState.update { it.copy(message = message) }

    private fun show(view: CartView) {
        val payment = view.payment
        val canChange = payment.tenders.isEmpty()
        // A sale has at most one charge of each kind.
        val tipAmount = view.totals.charges.firstOrNull { it.kind == ChargeKind.TIP }?.amount
        val tipChoices = if (tipPresets.isEmpty() || view.totals.lines.isEmpty()) emptyList() else {
            val options = attempt(language, ::fail, moneyText::text) { register.tipOptions(tipPresets) }.orEmpty()
            moneyText.prepare(options.map { it.amount })
            listOf(TipChoice(null, Label.NO_TIP.text(language), null, tip == null)) + options.map {
                TipChoice(it.percent, "${it.percent.stripTrailingZeros().toPlainString()}%", money(it.amount), tip?.compareTo(it.percent) == 0)
            }
        }
        val quickAmounts = if (payment.isPaid) emptyList() else attempt(language, ::fail, moneyText::text) {
            kasir.quickCashAmounts(payment.cashDue)
        }.orEmpty()
        // Every amount this redraw shows, formatted by the core in one call.
        moneyText.prepare(
            listOf(view.totals.total, payment.amountDue, payment.remaining, payment.cashDue, payment.change, payment.roundingAdjustment) +
                quickAmounts + view.totals.charges.map { it.amount } + payment.tenders.flatMap { listOf(it.amount, it.change) },
        )
        val quick = quickAmounts.mapIndexed { i, amount -> QuickAmount(amount, money(amount), i == 0) }
        mutableState.update { s ->
            s.copy(
                totalText = money(view.totals.total),
                amountDueText = money(payment.amountDue),
                remaining = payment.remaining,
                remainingText = money(payment.remaining),
                cashDue = payment.cashDue,
                cashDueText = money(payment.cashDue),
                quickAmounts = quick,
                change = payment.change,
                changeText = money(payment.change),
                roundingText = payment.roundingAdjustment.takeIf { it.signum() != 0 }?.let(::money),
                isPaid = payment.isPaid,
                tenders = payment.tenders.map { t ->
                    val (method, detail) = when (val m = t.method) {
                        is TenderMethod.Cash -> Label.CASH.text(language) to null
                        is TenderMethod.Card -> Label.CARD.text(language) to "${m.brand} •••• ${m.last4}"
                        is TenderMethod.Qr -> Label.QRIS.text(language) to m.reference
                        is TenderMethod.GiftCard -> Label.GIFT_CARD.text(language) to "•••• ${m.number.takeLast(4)}"
                    }
                    TenderRow(method, detail, money(t.amount), t.change.takeIf { it.signum() != 0 }?.let(::money))
                },
                tipChoices = tipChoices,
                tipText = tipAmount?.let(::money),
                serviceChargeText = view.totals.charges.firstOrNull { it.kind == ChargeKind.SERVICE_CHARGE }?.amount?.let(::money),
                canChangeBill = canChange,
                splitParts = s.splitParts.map { it.copy(paid = it.number in paidParts) },
            )
        }
    }

    private fun change(action: () -> CartView): Boolean {
        val view = attempt(language, ::fail, moneyText::text, action) ?: return false
        mutableState.update { it.copy(message = null) }
        show(view)
        onChange()
        return true
    }

    /** Reads the sale again. */
    fun refresh() {
        attempt(language, ::fail, moneyText::text) { register.view() }?.let(::show)
    }

    // The cash keypad.

    /** A keypad key: a digit `0`..`9` or `000`. */
    fun keypadDigit(key: String) {
        require(key.isNotEmpty() && key.all { it in '0'..'9' }) { "a keypad key is digits, not `$key`" }
        setKeypad((mutableState.value.keypadDigits + key).trimStart('0'))
    }

    /** Removes the last digit typed. */
    fun keypadBackspace() = setKeypad(mutableState.value.keypadDigits.dropLast(1))

    /** Empties the keypad. */
    fun keypadClear() = setKeypad("")

    private fun setKeypad(digits: String) {
        if (digits.isEmpty()) {
            mutableState.update { it.copy(keypadDigits = "", keypadAmountText = null, message = null) }
            return
        }
        var refusal: UiMessage? = null
        val amount = attempt(language, { refusal = it }, moneyText::text) { kasir.parseAmount("amount", digits) }
        mutableState.update {
            if (amount == null) it.copy(message = refusal) else it.copy(keypadDigits = digits, keypadAmountText = money(amount), message = null)
        }
    }

    /** The keypad's amount, or null (with a message) when it is empty or refused. */
    private fun keypadAmount(): BigDecimal? {
        val digits = mutableState.value.keypadDigits
        if (digits.isEmpty()) return null
        return attempt(language, ::fail, moneyText::text) { kasir.parseAmount("amount", digits) }
    }

    /** Takes the cash typed on the keypad (what is due when nothing is typed). */
    fun payCashFromKeypad(): Boolean = pay { register.payCash(keypadAmount()) }

    /** Takes the cash of a quick-amount button. */
    fun payQuickAmount(amount: BigDecimal): Boolean = pay { register.payCash(amount) }

    /** Takes exactly what cash is due. */
    fun payCashExact(): Boolean = pay { register.payCash(null) }

    // Card and QRIS.

    /**
     * Records a card payment the paired reader approved: the keypad's amount, or what is still
     * due. Only the last four digits of the card ever reach the core.
     */
    fun cardPaid(approvalCode: String, last4: String, brand: String): Boolean =
        pay { register.payCard(keypadAmount(), approvalCode, last4, brand) }

    /**
     * Takes a card payment on the paired reader: the keypad's amount, or what is still due,
     * offering the customer the tip choices [tipOptions] (percents; for table service, when
     * the card pays the whole sale). The reader's prompts show in [PaymentState.readerPrompt]
     * while [PaymentState.readerBusy]; the core runs the payment off the caller's thread. An
     * approval is the sale's card tender (and a tip chosen on the reader its tip); a declined
     * or cancelled payment records nothing.
     */
    suspend fun payWithReader(tipOptions: List<Int> = emptyList()): Boolean {
        val reader = cardReader ?: run {
            fail(UiMessage(Label.NO_CARD_READER.text(language), null))
            return false
        }
        if (mutableState.value.readerBusy) return false
        val amount = if (mutableState.value.keypadDigits.isEmpty()) null else keypadAmount() ?: return false
        mutableState.update { it.copy(readerBusy = true, readerPrompt = null, readerOutcome = null, message = null) }
        val listener = object : CardReaderListener {
            override fun onPrompt(prompt: ReaderPrompt) {
                mutableState.update { it.copy(readerPrompt = promptText(prompt)) }
            }
        }
        var refusal: KasirException? = null
        val view = withContext(Dispatchers.IO) {
            try {
                register.payWithReader(reader, amount, tipOptions.map { it.toUInt() }, listener)
            } catch (e: KasirException) {
                refusal = e
                null
            }
        }
        val outcome = when {
            view != null -> ReaderOutcome.APPROVED
            refusal is KasirException.Declined -> ReaderOutcome.DECLINED
            refusal is KasirException.Cancelled -> ReaderOutcome.CANCELLED
            else -> ReaderOutcome.FAILED
        }
        val outcomeText = when (outcome) {
            ReaderOutcome.APPROVED -> Label.READER_APPROVED
            ReaderOutcome.DECLINED -> Label.READER_DECLINED
            ReaderOutcome.CANCELLED -> Label.READER_CANCELLED
            ReaderOutcome.FAILED -> Label.READER_FAILED
        }.text(language)
        mutableState.update { it.copy(readerBusy = false, readerPrompt = outcomeText, readerOutcome = outcome) }
        if (view != null) return pay { view }
        // A cancellation needs no message beyond the outcome; anything else says why.
        refusal?.takeIf { outcome != ReaderOutcome.CANCELLED }?.let { fail(UiMessage.of(it, language, moneyText::text)) }
        return false
    }

    /** Asks the reader to cancel the payment under way (the clerk's Cancel). */
    fun cancelReader() {
        if (mutableState.value.readerBusy) cardReader?.cancel()
    }

    private fun promptText(prompt: ReaderPrompt): String = when (prompt) {
        ReaderPrompt.PRESENT_CARD -> Label.READER_PRESENT_CARD
        ReaderPrompt.CHOOSE_TIP -> Label.READER_CHOOSE_TIP
        ReaderPrompt.ENTER_PIN -> Label.READER_ENTER_PIN
        ReaderPrompt.PROCESSING -> Label.READER_PROCESSING
        ReaderPrompt.REMOVE_CARD -> Label.READER_REMOVE_CARD
        ReaderPrompt.APPROVED -> Label.READER_APPROVED
        ReaderPrompt.DECLINED -> Label.READER_DECLINED
        ReaderPrompt.CANCELLED -> Label.READER_CANCELLED
    }.text(language)

    /** Shows the QRIS code of the keypad's amount (or of what is still due) full screen. */
    fun showQris(): Boolean {
        val amount = if (mutableState.value.keypadDigits.isEmpty()) null else keypadAmount() ?: return false
        val qr = attempt(language, ::fail, moneyText::text) { register.qrisPayload(amount) } ?: return false
        val amountText = money(qr.amount)
        mutableState.update {
            it.copy(qris = QrisScreen(qr.payload, qr.amount, amountText, Label.QRIS_SCAN_PROMPT.format(language, amountText)), message = null)
        }
        return true
    }

    /** The customer's app shows the QRIS payment done: records it with the provider's [reference]. */
    fun qrisPaid(reference: String): Boolean {
        val qr = mutableState.value.qris ?: return false
        val paid = pay { register.payQr(qr.amount, reference) }
        if (paid) mutableState.update { it.copy(qris = null) }
        return paid
    }

    /** Closes the QRIS screen without a payment. */
    fun dismissQris() = mutableState.update { it.copy(qris = null) }

    private fun pay(action: () -> CartView): Boolean {
        val part = mutableState.value.selectedPart
        val paid = change(action)
        if (paid) {
            if (part != null) paidParts += part
            mutableState.update { s ->
                s.copy(
                    keypadDigits = "",
                    keypadAmountText = null,
                    selectedPart = null,
                    splitParts = s.splitParts.map { it.copy(paid = it.number in paidParts) },
                )
            }
        }
        return paid
    }

    /** Voids every tender so the sale can be changed again. */
    fun voidPayments(): Boolean {
        paidParts.clear()
        val voided = change { register.voidPayments() }
        if (voided) mutableState.update { s -> s.copy(splitParts = s.splitParts.map { it.copy(paid = false) }, selectedPart = null) }
        return voided
    }

    // Tips and splits.

    /** Sets the tip to [percent] of the items (one of the presets), or removes it with null. */
    fun selectTip(percent: BigDecimal?): Boolean {
        val set = change { register.setTip(percent?.let { ChargeBasis.Percent(it) }) }
        if (set) {
            tip = percent
            // The split was of the old total.
            mutableState.update { it.copy(splitParts = emptyList(), selectedPart = null) }
            refresh()
        }
        return set
    }

    /**
     * Sets the restaurant's service charge to [percent] of the items (taxed in the store's
     * service-charge category, if it has one), or removes it with null.
     */
    fun setServiceCharge(percent: BigDecimal?): Boolean {
        val set = change { register.setServiceCharge(percent?.let { ChargeBasis.Percent(it) }) }
        if (set) {
            mutableState.update { it.copy(splitParts = emptyList(), selectedPart = null) }
            refresh()
        }
        return set
    }

    /** Splits the bill into [parts] equal parts (the core's largest-remainder split). */
    fun splitEvenly(parts: Int): Boolean = split(BillSplit.Evenly(parts.toUInt()))

    /** Splits the bill by lines: for each payer, the line numbers they take. */
    fun splitByItems(parts: List<List<Int>>): Boolean = split(BillSplit.ByItem(parts.map { p -> p.map { it.toUInt() } }))

    /** Splits the bill by the amounts each payer gives; one more part takes what is left. */
    fun splitByAmounts(amounts: List<BigDecimal>): Boolean = split(BillSplit.ByAmount(amounts))

    private fun split(rule: BillSplit): Boolean {
        val shares: List<BillShare> = attempt(language, ::fail, moneyText::text) { register.splitBill(rule) } ?: return false
        paidParts.clear()
        mutableState.update { s ->
            s.copy(
                splitParts = shares.map { SplitPart(it.number.toInt(), it.total, money(it.total), it.lines.map(UInt::toInt), false) },
                selectedPart = null,
                message = null,
            )
        }
        return true
    }

    /** Removes the split. */
    fun clearSplit() = mutableState.update { it.copy(splitParts = emptyList(), selectedPart = null) }

    /** Chooses part [number] to pay next: the keypad shows its amount for cash, card or QRIS. */
    fun selectPart(number: Int): Boolean {
        val part = mutableState.value.splitParts.firstOrNull { it.number == number } ?: return false
        setKeypad(part.amount.toPlainString())
        mutableState.update { it.copy(selectedPart = number) }
        return true
    }

    // Completing.

    /** Completes the paid sale; null (with the core's reason) while something is still due. */
    fun complete(): Sale? {
        val sale = try {
            register.complete()
        } catch (e: KasirException) {
            fail(UiMessage.of(e, language, moneyText::text))
            return null
        }
        val changeText = money(sale.change)
        paidParts.clear()
        tip = null
        mutableState.update { it.copy(receiptNumber = sale.receiptNumber, splitParts = emptyList(), selectedPart = null, qris = null, message = null) }
        events.trySend(PaymentEvent.Completed(sale.receiptNumber, changeText))
        refresh()
        onChange()
        return sale
    }

    companion object {
        /** The tip presets of table service: 5, 10 and 15 percent. */
        val DEFAULT_TIPS: List<BigDecimal> = listOf(BigDecimal(5), BigDecimal(10), BigDecimal(15))
    }
}
