// The payment screen: the cash keypad with quick amounts and change, QRIS shown full screen for
// the customer, a card paid on the paired reader, tips for table service, and split bills
// (Kotlin `PaymentViewModel`).

import Foundation
import KasirKit

/// A quick-amount button of the cash keypad.
public struct QuickAmount: Equatable, Sendable {
    public let amount: Decimal
    public let text: String
    /// The first button: exactly what cash is due.
    public let exact: Bool
}

/// A tender taken so far.
public struct TenderRow: Equatable, Sendable {
    /// `Cash`, `Card` or `QRIS` in the device's language.
    public let method: String
    /// The card (`VISA •••• 1234`) or the QRIS reference.
    public let detail: String?
    public let amountText: String
    /// The change it gave, when there was some.
    public let changeText: String?

    public init(method: String, detail: String?, amountText: String, changeText: String?) {
        self.method = method
        self.detail = detail
        self.amountText = amountText
        self.changeText = changeText
    }
}

/// A tip button: a percentage and what it comes to on this sale (from the core); the first
/// choice is no tip.
public struct TipChoice: Equatable, Sendable {
    public let percent: Decimal?
    public let label: String
    public let amountText: String?
    public let selected: Bool
}

/// One payer's part of a split bill.
public struct SplitPart: Equatable, Sendable {
    public let number: Int
    public let amount: Decimal
    public let totalText: String
    /// The lines the part takes (a split by item).
    public let lines: [Int]
    public var paid: Bool
}

/// The QRIS code shown full screen for the customer.
public struct QrisScreen: Equatable, Sendable {
    /// The EMV payload to draw as a QR code.
    public let payload: String
    public let amount: Decimal
    public let amountText: String
    /// `Scan to pay Rp 20.000`.
    public let prompt: String
}

/// How the last card payment on the reader ended.
public enum ReaderOutcome: Equatable, Sendable {
    case approved, declined, cancelled, failed
}

/// The payment screen (Kotlin `PaymentState`; in Swift `PaymentState` is the core's record of
/// the payment). Every amount is the core's; texts are formatted by the core.
public struct PaymentScreenState: Equatable, Sendable {
    public var totalText = ""
    /// What the tenders must cover (total plus any cash rounding).
    public var amountDueText = ""
    public var remaining: Decimal = 0
    public var remainingText = ""
    /// What cash settles the sale now, after the store's cash rounding.
    public var cashDue: Decimal = 0
    public var cashDueText = ""
    /// The digits typed on the keypad, and the amount they make (nil while empty).
    public var keypadDigits = ""
    public var keypadAmountText: String?
    public var quickAmounts: [QuickAmount] = []
    public var change: Decimal = 0
    public var changeText = ""
    public var roundingText: String?
    public var isPaid = false
    public var tenders: [TenderRow] = []
    public var tipChoices: [TipChoice] = []
    public var tipText: String?
    public var serviceChargeText: String?
    /// Tips and splits are set before the first tender; then the sale is fixed.
    public var canChangeBill = true
    public var splitParts: [SplitPart] = []
    public var selectedPart: Int?
    public var qris: QrisScreen?
    /// Whether a card reader is paired (the Card reader button).
    public var hasCardReader = false
    /// A card payment is under way on the reader.
    public var readerBusy = false
    /// The reader's latest prompt, then how the payment ended, in the screen's language.
    public var readerPrompt: String?
    /// How the last payment on the reader ended; nil before one and while one is under way.
    public var readerOutcome: ReaderOutcome?
    /// The receipt number once the sale is completed.
    public var receiptNumber: String?
    public var message: UiMessage?
}

/// What happens once on the payment screen.
public enum PaymentEvent: Equatable, Sendable {
    /// The sale was stored: open its receipt.
    case completed(receiptNumber: String, changeText: String)
}

/// The payment screen's view model over the open sale `register`: the cash keypad with quick
/// amounts and change, QRIS shown full screen, card payments recorded from the reader, tip
/// presets and split bills. `onChange` runs after every change of the sale (the register screen
/// redraws). `tipPresets` are the percentages offered for table service (empty for a shop).
/// `cardReader` is the paired card reader (the simulated one in tests), if any.
@MainActor
public final class PaymentViewModel: ViewModel<PaymentScreenState, PaymentEvent> {
    /// The tip presets of table service: 5, 10 and 15 percent.
    public static let defaultTips: [Decimal] = [5, 10, 15]

    private let kasir: KasirStore
    private let register: OpenSale
    public let language: Language
    private let tipPresets: [Decimal]
    private let onChange: () -> Void
    private var paidParts = Set<Int>()
    private var tip: Decimal?
    private let moneyText: MoneyText
    private let cardReader: PaymentReader?

    public init(kasir: KasirStore, register: OpenSale, language: Language,
                tipPresets: [Decimal] = PaymentViewModel.defaultTips, onChange: @escaping () -> Void = {},
                cardReader: PaymentReader? = nil) {
        self.cardReader = cardReader
        self.kasir = kasir
        self.register = register
        self.language = language
        self.tipPresets = tipPresets
        self.onChange = onChange
        moneyText = MoneyText(kasir: kasir, language: language)
        var first = PaymentScreenState()
        first.hasCardReader = cardReader != nil
        super.init(state: first)
        refresh()
    }

    private func money(_ amount: Decimal) -> String {
        moneyText.text(amount)
    }

    /// `attempt` with this screen's amounts in a refusal written by the core.
    private func attempt<T>(_ language: Language, _ onError: (UiMessage) -> Void, _ call: () throws -> T) -> T? {
        KasirViewModels.attempt(language, onError, money: { [moneyText] in moneyText.text($0) }, call)
    }

    private func fail(_ message: UiMessage) {
        update { $0.message = message }
    }

    private func show(_ view: CartView) {
        let payment = view.payment
        let canChange = payment.tenders.isEmpty
        // A sale has at most one charge of each kind.
        let tipAmount = view.totals.charges.first { $0.kind == .tip }?.amount
        let serviceCharge = view.totals.charges.first { $0.kind == .serviceCharge }?.amount
        var tipChoices: [TipChoice] = []
        if !tipPresets.isEmpty && !view.totals.lines.isEmpty {
            let options = attempt(language, fail) { try register.tipOptions(tipPresets) } ?? []
            moneyText.prepare(options.map(\.amount))
            tipChoices = [TipChoice(percent: nil, label: Label.noTip.text(language), amountText: nil, selected: tip == nil)]
                + options.map {
                    TipChoice(percent: $0.percent, label: "\(plainText($0.percent))%", amountText: money($0.amount),
                              selected: tip == $0.percent)
                }
        }
        let quickAmounts = payment.isPaid ? [] : (attempt(language, fail) { try kasir.quickCashAmounts(due: payment.cashDue) } ?? [])
        // Every amount this redraw shows, formatted by the core in one call.
        moneyText.prepare([view.totals.total, payment.amountDue, payment.remaining, payment.cashDue, payment.change,
                           payment.roundingAdjustment] + quickAmounts + view.totals.charges.map(\.amount)
                          + payment.tenders.flatMap { [$0.amount, $0.change] })
        let quick = quickAmounts.enumerated().map { QuickAmount(amount: $1, text: money($1), exact: $0 == 0) }
        let tenders = payment.tenders.map { tender -> TenderRow in
            let (method, detail): (String, String?) = switch tender.method {
            case .cash: (Label.cash.text(language), nil)
            case .card(_, let last4, let brand): (Label.card.text(language), "\(brand) •••• \(last4)")
            case .qr(let reference): (Label.qris.text(language), reference)
            case .giftCard(let number): (Label.giftCard.text(language), "•••• \(number.suffix(4))")
            }
            return TenderRow(method: method, detail: detail, amountText: money(tender.amount),
                             changeText: tender.change != 0 ? money(tender.change) : nil)
        }
        let texts = (total: money(view.totals.total), due: money(payment.amountDue),
                     remaining: money(payment.remaining), cashDue: money(payment.cashDue),
                     change: money(payment.change),
                     rounding: payment.roundingAdjustment != 0 ? money(payment.roundingAdjustment) : nil,
                     tip: tipAmount.map(money), serviceCharge: serviceCharge.map(money))
        let paidParts = paidParts
        update { s in
            s.totalText = texts.total
            s.amountDueText = texts.due
            s.remaining = payment.remaining
            s.remainingText = texts.remaining
            s.cashDue = payment.cashDue
            s.cashDueText = texts.cashDue
            s.quickAmounts = quick
            s.change = payment.change
            s.changeText = texts.change
            s.roundingText = texts.rounding
            s.isPaid = payment.isPaid
            s.tenders = tenders
            s.tipChoices = tipChoices
            s.tipText = texts.tip
            s.serviceChargeText = texts.serviceCharge
            s.canChangeBill = canChange
            if !(canChange && paidParts.isEmpty) {
                s.splitParts = s.splitParts.map { var part = $0; part.paid = paidParts.contains(part.number); return part }
            }
        }
    }

    @discardableResult
    private func change(_ action: () throws -> CartView) -> Bool {
        guard let view = attempt(language, fail, action) else { return false }
        update { $0.message = nil }
        show(view)
        onChange()
        return true
    }

    /// Reads the sale again.
    public func refresh() {
        if let view = attempt(language, fail, { try register.view }) { show(view) }
    }

    // MARK: The cash keypad

    /// A keypad key: a digit `0`...`9` or `000` (anything else is ignored).
    public func keypadDigit(_ key: String) {
        guard !key.isEmpty, key.allSatisfy({ ("0"..."9").contains($0) }) else { return }
        setKeypad(String((state.keypadDigits + key).drop { $0 == "0" }))
    }

    /// Removes the last digit typed.
    public func keypadBackspace() {
        setKeypad(String(state.keypadDigits.dropLast()))
    }

    /// Empties the keypad.
    public func keypadClear() {
        setKeypad("")
    }

    private func setKeypad(_ digits: String) {
        if digits.isEmpty {
            update {
                $0.keypadDigits = ""
                $0.keypadAmountText = nil
                $0.message = nil
            }
            return
        }
        var refusal: UiMessage?
        let amount = attempt(language, { refusal = $0 }) { try kasir.parseAmount(field: "amount", digits) }
        let text = amount.map(money)
        update {
            if text == nil {
                $0.message = refusal
            } else {
                $0.keypadDigits = digits
                $0.keypadAmountText = text
                $0.message = nil
            }
        }
    }

    /// The keypad's amount, or nil (with a message when refused) when it is empty or refused.
    private func keypadAmount() throws -> Decimal? {
        let digits = state.keypadDigits
        if digits.isEmpty { return nil }
        return try kasir.parseAmount(field: "amount", digits)
    }

    /// Takes the cash typed on the keypad (what is due when nothing is typed).
    @discardableResult
    public func payCashFromKeypad() -> Bool {
        pay { try register.pay(cash: keypadAmount()) }
    }

    /// Takes the cash of a quick-amount button.
    @discardableResult
    public func payQuickAmount(_ amount: Decimal) -> Bool {
        pay { try register.pay(cash: amount) }
    }

    /// Takes exactly what cash is due.
    @discardableResult
    public func payCashExact() -> Bool {
        pay { try register.pay(cash: nil) }
    }

    // MARK: Card and QRIS

    /// Records a card payment the paired reader approved: the keypad's amount, or what is still
    /// due. Only the last four digits of the card ever reach the core.
    @discardableResult
    public func cardPaid(approvalCode: String, last4: String, brand: String) -> Bool {
        pay { try register.pay(card: keypadAmount(), approvalCode: approvalCode, last4: last4, brand: brand) }
    }

    /// Takes a card payment on the paired reader: the keypad's amount, or what is still due,
    /// offering the customer the tip choices `tipOptions` (percents; for table service, when the
    /// card pays the whole sale). The reader's prompts show in `readerPrompt` while
    /// `readerBusy`; the core's call runs off the main actor. An approval is the sale's card
    /// tender (and a tip chosen on the reader its tip); declined or cancelled records nothing.
    @discardableResult
    public func payWithReader(tipOptions: [Int] = []) async -> Bool {
        guard let reader = cardReader else {
            fail(UiMessage(title: Label.noCardReader.text(language), detail: nil))
            return false
        }
        if state.readerBusy { return false }
        let amount: Decimal?
        if state.keypadDigits.isEmpty {
            amount = nil
        } else {
            guard let typed = attempt(language, fail, { try keypadAmount() }) else { return false }
            amount = typed
        }
        update {
            $0.readerBusy = true
            $0.readerPrompt = nil
            $0.readerOutcome = nil
            $0.message = nil
        }
        let listener = ReaderPrompts(language: language) { [weak self] text in
            Task { @MainActor [weak self] in
                guard let self, self.state.readerBusy else { return }
                self.update { $0.readerPrompt = text }
            }
        }
        let core = register.core
        let tips = tipOptions.map { UInt32(clamping: $0) }
        let result: Result<CartView, Error> = await Task.detached {
            Result { try core.payWithReader(reader: reader, amount: amount, tipPercents: tips, listener: listener) }
        }.value
        let outcome: ReaderOutcome
        switch result {
        case .success: outcome = .approved
        case .failure(let error):
            switch error as? KasirError {
            case .Declined?: outcome = .declined
            case .Cancelled?: outcome = .cancelled
            default: outcome = .failed
            }
        }
        let label: Label = switch outcome {
        case .approved: .readerApproved
        case .declined: .readerDeclined
        case .cancelled: .readerCancelled
        case .failed: .readerFailed
        }
        update {
            $0.readerBusy = false
            $0.readerPrompt = label.text(language)
            $0.readerOutcome = outcome
        }
        switch result {
        case .success(let view):
            return pay { view }
        case .failure(let error):
            // A cancellation needs no message beyond the outcome; anything else says why.
            if outcome != .cancelled { fail(UiMessage.of(error, language, money: { [moneyText] in moneyText.text($0) })) }
            return false
        }
    }

    /// Asks the reader to cancel the payment under way (the clerk's Cancel).
    public func cancelReader() {
        if state.readerBusy { cardReader?.cancel() }
    }

    /// Shows the QRIS code of the keypad's amount (or of what is still due) full screen.
    @discardableResult
    public func showQris() -> Bool {
        guard let qr = attempt(language, fail, { try register.qrisPayload(amount: keypadAmount()) }) else {
            return false
        }
        let amountText = money(qr.amount)
        let prompt = Label.qrisScanPrompt.format(language, amountText)
        update {
            $0.qris = QrisScreen(payload: qr.payload, amount: qr.amount, amountText: amountText, prompt: prompt)
            $0.message = nil
        }
        return true
    }

    /// The customer's app shows the QRIS payment done: records it with the provider's `reference`.
    @discardableResult
    public func qrisPaid(reference: String) -> Bool {
        guard let qr = state.qris else { return false }
        let paid = pay { try register.pay(qr: qr.amount, reference: reference) }
        if paid { update { $0.qris = nil } }
        return paid
    }

    /// Closes the QRIS screen without a payment.
    public func dismissQris() {
        update { $0.qris = nil }
    }

    private func pay(_ action: () throws -> CartView) -> Bool {
        let part = state.selectedPart
        let paid = change(action)
        if paid {
            if let part { paidParts.insert(part) }
            let paidParts = paidParts
            update { s in
                s.keypadDigits = ""
                s.keypadAmountText = nil
                s.selectedPart = nil
                s.splitParts = s.splitParts.map { var p = $0; p.paid = paidParts.contains(p.number); return p }
            }
        }
        return paid
    }

    /// Voids every tender so the sale can be changed again.
    @discardableResult
    public func voidPayments() -> Bool {
        paidParts.removeAll()
        let voided = change { try register.voidPayments() }
        if voided {
            update { s in
                s.splitParts = s.splitParts.map { var p = $0; p.paid = false; return p }
                s.selectedPart = nil
            }
        }
        return voided
    }

    // MARK: Tips and splits

    /// Sets the tip to `percent` of the items (one of the presets), or removes it with nil.
    @discardableResult
    public func selectTip(_ percent: Decimal?) -> Bool {
        let set = change { try register.setTip(percent.map { .percent($0) }) }
        if set {
            tip = percent
            // The split was of the old total.
            update {
                $0.splitParts = []
                $0.selectedPart = nil
            }
            refresh()
        }
        return set
    }

    /// Sets the restaurant's service charge to `percent` of the items (taxed in the store's
    /// service-charge category, if it has one), or removes it with nil.
    @discardableResult
    public func setServiceCharge(_ percent: Decimal?) -> Bool {
        let set = change { try register.setServiceCharge(percent.map { .percent($0) }) }
        if set {
            // The split was of the old total.
            update {
                $0.splitParts = []
                $0.selectedPart = nil
            }
            refresh()
        }
        return set
    }

    /// Splits the bill into `parts` equal parts (the core's largest-remainder split).
    @discardableResult
    public func splitEvenly(_ parts: Int) -> Bool {
        split(.evenly(parts: UInt32(clamping: parts)))
    }

    /// Splits the bill by lines: for each payer, the line numbers they take.
    @discardableResult
    public func splitByItems(_ parts: [[Int]]) -> Bool {
        split(.byItem(parts: parts.map { $0.map { UInt32(clamping: $0) } }))
    }

    /// Splits the bill by the amounts each payer gives; one more part takes what is left.
    @discardableResult
    public func splitByAmounts(_ amounts: [Decimal]) -> Bool {
        split(.byAmount(amounts: amounts))
    }

    private func split(_ rule: BillSplit) -> Bool {
        guard let shares = attempt(language, fail, { try register.splitBill(rule) }) else { return false }
        paidParts.removeAll()
        let parts = shares.map {
            SplitPart(number: Int($0.number), amount: $0.total, totalText: money($0.total),
                      lines: $0.lines.map { Int($0) }, paid: false)
        }
        update {
            $0.splitParts = parts
            $0.selectedPart = nil
            $0.message = nil
        }
        return true
    }

    /// Removes the split.
    public func clearSplit() {
        update {
            $0.splitParts = []
            $0.selectedPart = nil
        }
    }

    /// Chooses part `number` to pay next: the keypad shows its amount for cash, card or QRIS.
    @discardableResult
    public func selectPart(_ number: Int) -> Bool {
        guard let part = state.splitParts.first(where: { $0.number == number }) else { return false }
        setKeypad(plainText(part.amount))
        update { $0.selectedPart = number }
        return true
    }

    // MARK: Completing

    /// Completes the paid sale; nil (with the core's reason) while something is still due.
    @discardableResult
    public func complete() -> Sale? {
        let sale: Sale
        do {
            sale = try register.core.complete()
        } catch {
            fail(UiMessage.of(error, language, money: { [moneyText] in moneyText.text($0) }))
            return nil
        }
        let changeText = money(sale.change)
        paidParts.removeAll()
        tip = nil
        update {
            $0.receiptNumber = sale.receiptNumber
            $0.splitParts = []
            $0.selectedPart = nil
            $0.qris = nil
            $0.message = nil
        }
        send(.completed(receiptNumber: sale.receiptNumber, changeText: changeText))
        refresh()
        onChange()
        return sale
    }
}

/// The reader's prompts, in the screen's language, to `show` (called off the main actor).
final class ReaderPrompts: CardReaderListener, @unchecked Sendable {
    private let language: Language
    private let show: @Sendable (String) -> Void

    init(language: Language, show: @escaping @Sendable (String) -> Void) {
        self.language = language
        self.show = show
    }

    func onPrompt(prompt: ReaderPrompt) {
        let label: Label = switch prompt {
        case .presentCard: .readerPresentCard
        case .chooseTip: .readerChooseTip
        case .enterPin: .readerEnterPin
        case .processing: .readerProcessing
        case .removeCard: .readerRemoveCard
        case .approved: .readerApproved
        case .declined: .readerDeclined
        case .cancelled: .readerCancelled
        }
        show(label.text(language))
    }
}
