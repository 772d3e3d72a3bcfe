package id.kasir.ui

import id.kasir.Kasir
import id.kasir.core.CashMove
import id.kasir.core.ShiftReport
import id.kasir.core.StaffSignIn
import java.math.BigDecimal
import kotlinx.coroutines.flow.MutableStateFlow
import kotlinx.coroutines.flow.StateFlow
import kotlinx.coroutines.flow.asStateFlow
import kotlinx.coroutines.flow.update

/** Whether the counted cash matched what the drawer should hold. */
enum class CashDifference { EVEN, OVER, SHORT }

/** One tender method's takings in a shift. */
data class ShiftTenderRow(val method: String, val count: Long, val amountText: String)

/** One staff member's tips in a shift. */
data class ShiftTipRow(val staff: String, val sales: Long, val netText: String)

/** A shift's report as the screen shows it: the X report while open, the Z report once closed. */
data class ShiftSummary(
    val shift: Int,
    val closed: Boolean,
    val title: String,
    val openedBy: String?,
    val closedBy: String?,
    val sales: Long,
    val salesTotalText: String,
    val floatText: String,
    val cashTenderedText: String,
    val changeText: String,
    val cashRefundsText: String,
    val payInsText: String,
    val payOutsText: String,
    val expectedText: String,
    val countedText: String?,
    val differenceText: String?,
    val difference: CashDifference?,
    /** `Short by Rp 1.500`, `Over by Rp 500`, `Cash matches`, once counted. */
    val differenceLabel: String?,
    val tenders: List<ShiftTenderRow>,
    val tips: List<ShiftTipRow>,
)

/** The shift screen: open with a float, pay in and out, close with the counted cash. */
data class ShiftState(
    /** The open shift's number; null when no shift is open. */
    val openShift: Int? = null,
    /** Whether the till asks for a staff sign-in (once the store has staff). */
    val staffRequired: Boolean = false,
    /** Who is signed in for the shift's actions. */
    val signedInAs: String? = null,
    /** The amount being typed: the float, a pay in or out, or the counted cash. */
    val amount: String = "",
    /** Why cash is paid in or out. */
    val reason: String = "",
    /** The open shift's X report, or the last closed shift's Z report. */
    val report: ShiftSummary? = null,
    /** What the last action did (`Paid out Rp 20.000: ice`). */
    val notice: String? = null,
    /** What is wrong; its `field` is `float`, `amount`, `reason`, `counted`, `staff` or `pin`. */
    val message: UiMessage? = null,
) {
    /** Whether the shift's actions may go ahead: nobody needs to sign in, or someone has. */
    val canAct: Boolean get() = !staffRequired || signedInAs != null
}

/**
 * The till's shift from the core: the float, cash paid in and out with a reason, the close with
 * the counted cash and its Z report (expected, counted, difference, takings per tender, tips per
 * staff). Every amount and the difference come from the core; the typed amounts are checked by
 * it. Once the store has staff, [signIn] first: the name and PIN are kept in memory only while
 * the screen is open, to sign each action as the terminal register does.
 */
class ShiftViewModel(private val kasir: Kasir, val language: Language) {
    private val mutableState = MutableStateFlow(ShiftState())
    private val moneyText = MoneyText(kasir, language)
    private var signIn: StaffSignIn? = null

    /** The screen's state. */
    val state: StateFlow<ShiftState> = mutableState.asStateFlow()

    init {
        refresh()
    }

    private fun fail(message: UiMessage) = mutableState.update { it.copy(message = message, notice = null) }

    /** Reads the shift again (after sales, which change what the drawer should hold). */
    fun refresh() {
        val required = attempt(language, ::fail, moneyText::text) { kasir.staffRequired } ?: return
        val open = attempt(language, ::fail, moneyText::text) { kasir.currentShift() }
        mutableState.update { it.copy(staffRequired = required) }
        if (open != null) {
            show(open)
        } else {
            // The last closed shift's Z report stays on screen until the next one opens.
            val last = mutableState.value.report?.takeIf { it.closed }
            mutableState.update { it.copy(openShift = null, report = last) }
        }
    }

    fun setAmount(text: String) = mutableState.update { it.copy(amount = text, message = null) }

    fun setReason(text: String) = mutableState.update { it.copy(reason = text, message = null) }

    /** Signs [name] in with [pin] for the shift's actions; a wrong PIN names `pin`. */
    fun signIn(name: String, pin: String): Boolean {
        val member = attempt(language, ::fail, moneyText::text) { kasir.signIn(name, pin) } ?: return false
        signIn = StaffSignIn(member.name, pin)
        mutableState.update { it.copy(signedInAs = member.name, message = null, notice = null) }
        return true
    }

    /** Forgets the signed-in staff member. */
    fun signOut() {
        signIn = null
        mutableState.update { it.copy(signedInAs = null) }
    }

    private fun typed(field: String): BigDecimal? = attempt(language, ::fail, moneyText::text) { kasir.parseAmount(field, mutableState.value.amount) }

    /** Opens a shift with the typed float. */
    fun open(): Boolean {
        val float = typed("float") ?: return false
        val report = attempt(language, ::fail, moneyText::text) { kasir.openShift(float, signIn) } ?: return false
        show(report)
        mutableState.update {
            it.copy(amount = "", reason = "", message = null, notice = Label.SHIFT_OPENED.format(language, report.shift, money(report.float)))
        }
        return true
    }

    /** Records the typed amount as cash put into the drawer, with the typed reason. */
    fun payIn(): Boolean = move(true)

    /** Records the typed amount as cash taken out of the drawer, with the typed reason. */
    fun payOut(): Boolean = move(false)

    private fun move(into: Boolean): Boolean {
        val amount = typed("amount") ?: return false
        val reason = mutableState.value.reason
        val moved: CashMove = attempt(language, ::fail, moneyText::text) {
            if (into) kasir.payIn(amount, reason, signIn) else kasir.payOut(amount, reason, signIn)
        } ?: return false
        attempt(language, ::fail, moneyText::text) { kasir.currentShift() }?.let(::show)
        val label = if (into) Label.PAID_IN else Label.PAID_OUT
        mutableState.update {
            it.copy(amount = "", reason = "", message = null, notice = label.format(language, money(moved.amount), moved.reason))
        }
        return true
    }

    /** Closes the shift with the typed counted cash; the state then holds its Z report. */
    fun close(): Boolean {
        val counted = typed("counted") ?: return false
        val report = attempt(language, ::fail, moneyText::text) { kasir.closeShift(counted, signIn) } ?: return false
        show(report)
        mutableState.update {
            it.copy(amount = "", reason = "", message = null, notice = Label.SHIFT_CLOSED.format(language, report.shift))
        }
        return true
    }

    private fun money(amount: BigDecimal) = moneyText.text(amount)

    private fun show(report: ShiftReport) {
        // Every amount this redraw shows, formatted by the core in one call.
        moneyText.prepare(
            listOfNotNull(
                report.salesTotal, report.float, report.cashTendered, report.cashChange, report.cashRefunds,
                report.payIns, report.payOuts, report.expectedCash, report.countedCash, report.difference,
            ) + report.tenders.map { it.amount } + report.tipsByStaff.map { it.net } +
                listOfNotNull(report.difference?.abs()),
        )
        val difference = report.difference?.let {
            when (it.signum()) {
                0 -> CashDifference.EVEN
                1 -> CashDifference.OVER
                else -> CashDifference.SHORT
            }
        }
        val differenceLabel = report.difference?.let {
            when (difference) {
                CashDifference.EVEN -> Label.CASH_MATCHES.text(language)
                CashDifference.OVER -> Label.CASH_OVER.format(language, money(it.abs()))
                else -> Label.CASH_SHORT.format(language, money(it.abs()))
            }
        }
        val shift = report.shift.toInt()
        val summary = ShiftSummary(
            shift = shift,
            closed = report.closed,
            title = (if (report.closed) Label.Z_REPORT else Label.X_REPORT).format(language, shift),
            openedBy = report.openedBy,
            closedBy = report.closedBy,
            sales = report.sales.toLong(),
            salesTotalText = money(report.salesTotal),
            floatText = money(report.float),
            cashTenderedText = money(report.cashTendered),
            changeText = money(report.cashChange),
            cashRefundsText = money(report.cashRefunds),
            payInsText = money(report.payIns),
            payOutsText = money(report.payOuts),
            expectedText = money(report.expectedCash),
            countedText = report.countedCash?.let(::money),
            differenceText = report.difference?.let(::money),
            difference = difference,
            differenceLabel = differenceLabel,
            tenders = report.tenders.map { t ->
                val method = when (t.method) {
                    "cash" -> Label.CASH.text(language)
                    "card" -> Label.CARD.text(language)
                    "qr" -> Label.QRIS.text(language)
                    "giftcard" -> Label.GIFT_CARD.text(language)
                    else -> t.method
                }
                ShiftTenderRow(method, t.count.toLong(), money(t.amount))
            },
            tips = report.tipsByStaff.map { t ->
                ShiftTipRow(t.staff ?: Label.NO_STAFF.text(language), t.sales.toLong(), money(t.net))
            },
        )
        mutableState.update { it.copy(openShift = if (report.closed) null else shift, report = summary) }
    }
}
