// The payment screen: the cash keypad with quick amounts and change, QRIS shown full screen for
// the customer, a card paid on the paired reader, tips for table service, and split bills.

import Foundation
import KasirKit

/// A quick-amount button of the cash keypad.
public struct QuickAmount: Equatable, Sendable {
    public let amount: Decimal
    public let text: String
}

/// A tender taken so far.
public struct TenderRow: Equatable, Sendable {
    /// How it was paid (`Cash`, `Card VISA ••••1234`, `QRIS ref`).
    public let label: String
    public let amountText: String
    /// The change it gave (cash only), when there was some.
    public let changeText: String?

    public init(label: String, amountText: String, changeText: String?) {
        self.label = label
        self.amountText = amountText
        self.changeText = changeText
    }
}

/// A tip button: a percentage and what it comes to on this sale.
public struct TipOptionRow: Equatable, Sendable {
    public let percent: Decimal
    public let amountText: String
    public let selected: Bool
}

/// One payer's part of a split bill.
public struct SplitPart: Equatable, Sendable {
    public let number: Int
    public let total: Decimal
    public let totalText: String
    /// Whether a tender for this part was taken.
    public let paid: Bool
}

/// The QRIS code shown full screen for the customer.
public struct QrisState: Equatable, Sendable {
    /// The EMV payload to draw as a QR code.
    public let payload: String
    public let amountText: String
}

/// What the payment screen draws (Kotlin `PaymentState`; `PaymentState` in Swift is the core's
/// record of the payment, so the screen's is named for the screen).
public struct PaymentScreenState: Equatable, Sendable {
    public var totalText = ""
    /// What the tenders must cover (the total plus any cash rounding).
    public var dueText = ""
    /// What is still to pay.
    public var remainingText = ""
    /// The digits typed on the keypad (`20000`).
    public var keypadText = ""
    /// The typed amount as money (`Rp 20.000`), empty when nothing is typed.
    public var keypadAmountText = ""
    /// The exact amount, then the amount rounded up to each banknote.
    public var quickAmounts: [QuickAmount] = []
    public var changeText = ""
    public var isPaid = false
    public var tenders: [TenderRow] = []
    public var tipOptions: [TipOptionRow] = []
    public var splitParts: [SplitPart] = []
    /// Shown full screen while the customer pays by QRIS.
    public var qris: QrisState?
    public var message: UiMessage?
}

/// One-time happenings of the payment screen.
public enum PaymentEvent: Equatable, Sendable {
    /// The sale was stored under `receiptNumber`; the register is empty for the next one.
    case completed(receiptNumber: String)
}

/// The payment screen (Kotlin `PaymentViewModel`), over the register's open sale.
@MainActor
public final class PaymentViewModel: ViewModel<PaymentScreenState, PaymentEvent> {
    /// The tip percentages offered for table service.
    public static let tipPercents: [Decimal] = [5, 10, 15]
    /// The longest amount the keypad takes (digits).
    static let keypadDigits = 12

    private let kasir: KasirStore
    private let register: OpenSale
    private let language: Language
    private var tipPercent: Decimal?
    private var currentPart: Int?
    private var paidParts: Set<Int> = []
    private let onChange: () -> Void

    /// The payment of `register`'s sale; `onChange` runs after every change to the sale (the
    /// register screen redraws).
    public init(kasir: KasirStore, register: OpenSale, language: Language, onChange: @escaping () -> Void = {}) {
        self.kasir = kasir
        self.register = register
        self.language = language
        self.onChange = onChange
        super.init(state: PaymentScreenState())
        refresh()
    }

    // MARK: The cash keypad

    /// A key of the keypad: `0`...`9` or `000`.
    public func keypadDigit(_ key: String) {
        guard !key.isEmpty, key.allSatisfy({ $0.isASCII && $0.isNumber }) else { return }
        var digits = state.keypadText + key
        while digits.hasPrefix("0") { digits.removeFirst() }
        guard digits.count <= Self.keypadDigits else { return }
        setKeypad(digits)
    }

    public func keypadBackspace() {
        setKeypad(String(state.keypadText.dropLast()))
    }

    public func keypadClear() {
        setKeypad("")
    }

    /// Cash handed over: the amount on the keypad. The core checks it (the message names
    /// `cash`) and works out the change.
    public func payCashFromKeypad() {
        do {
            let amount = try kasir.parseAmount(field: "cash", state.keypadText)
            take { try $0.pay(cash: amount) }
        } catch {
            update { $0.message = UiMessage.of(error, language) }
        }
    }

    /// Cash handed over: a quick amount's button.
    public func payQuickAmount(_ amount: Decimal) {
        take { try $0.pay(cash: amount) }
    }

    /// Exactly what is due in cash (after the store's cash rounding).
    public func payCashExact() {
        take { try $0.pay(cash: nil) }
    }

    // MARK: QRIS and card

    /// Shows the dynamic QRIS code for what is still due (or the part being paid).
    public func showQris() {
        do {
            let qr = try register.qrisPayload(amount: partAmount)
            update {
                $0.qris = QrisState(payload: qr.payload, amountText: kasir.money(qr.amount, language))
                $0.message = nil
            }
        } catch {
            update { $0.message = UiMessage.of(error, language) }
        }
    }

    /// The customer's app shows the QRIS payment done: records it with the provider's
    /// reference, for the amount the code asked.
    public func qrisPaid(reference: String) {
        let amount = partAmount
        take { try $0.pay(qr: amount, reference: reference) }
        if state.message == nil { update { $0.qris = nil } }
    }

    public func dismissQris() {
        update { $0.qris = nil }
    }

    /// The paired reader approved a card payment: `amount` charged (what is still due, or the
    /// part being paid, without one).
    public func cardPaid(approvalCode: String, last4: String, brand: String, amount: Decimal? = nil) {
        let amount = amount ?? partAmount
        take { try $0.pay(card: amount, approvalCode: approvalCode, last4: last4, brand: brand) }
    }

    // MARK: Tips and split bills

    /// A tip of `percent` of the items, or none with nil (before the first payment).
    public func selectTip(_ percent: Decimal?) {
        do {
            try register.setTip(percent.map { .percent($0) })
            tipPercent = percent
            update { $0.message = nil }
            onChange()
        } catch {
            update { $0.message = UiMessage.of(error, language) }
        }
        refresh()
    }

    /// Divides the bill into `parts` equal parts (the core's largest-remainder split).
    public func splitEvenly(_ parts: Int) {
        split(.evenly(parts: UInt32(clamping: parts)))
    }

    /// Divides the bill by lines: for each payer, the line numbers they take.
    public func splitByItems(_ parts: [[Int]]) {
        split(.byItem(parts: parts.map { $0.map { UInt32(clamping: $0) } }))
    }

    /// Starts paying part `number`: its total goes on the keypad, and the next tender is
    /// for it.
    public func payPart(_ number: Int) {
        guard let part = state.splitParts.first(where: { $0.number == number }) else { return }
        currentPart = number
        setKeypad(plainText(part.total))
    }

    // MARK: Voiding and completing

    /// Voids every tender (and the split's progress) so the sale can be changed again.
    public func voidPayments() {
        take { try $0.voidPayments() }
        paidParts = []
        currentPart = nil
        refresh()
    }

    /// Completes the paid sale and sends ``PaymentEvent/completed(receiptNumber:)``; the
    /// receipt number, or nil when the core refused (the message says why).
    @discardableResult
    public func complete() -> String? {
        do {
            let sale = try register.core.complete()
            tipPercent = nil
            paidParts = []
            currentPart = nil
            update {
                $0.splitParts = []
                $0.qris = nil
                $0.keypadText = ""
                $0.keypadAmountText = ""
                $0.message = nil
            }
            refresh()
            onChange()
            send(.completed(receiptNumber: sale.receiptNumber))
            return sale.receiptNumber
        } catch {
            update { $0.message = UiMessage.of(error, language) }
            return nil
        }
    }

    /// Redraws from the core.
    public func refresh() {
        do {
            show(try register.view)
        } catch {
            update { $0.message = UiMessage.of(error, language) }
        }
    }

    // MARK: Helpers

    /// The amount of the part being paid, or nil for what is still due.
    private var partAmount: Decimal? {
        guard let number = currentPart else { return nil }
        return state.splitParts.first { $0.number == number }?.total
    }

    private func split(_ rule: BillSplit) {
        do {
            let shares = try register.splitBill(rule)
            paidParts = []
            currentPart = nil
            update {
                $0.splitParts = shares.map {
                    SplitPart(number: Int($0.number), total: $0.total,
                              totalText: kasir.money($0.total, language), paid: false)
                }
                $0.message = nil
            }
        } catch {
            update { $0.message = UiMessage.of(error, language) }
        }
    }

    private func setKeypad(_ digits: String) {
        let amount: Decimal? = digits.isEmpty ? nil : (try? kasir.parseAmount(field: "cash", digits))
        update {
            $0.keypadText = digits
            $0.keypadAmountText = amount.map { kasir.money($0, language) } ?? ""
            $0.message = nil
        }
    }

    /// Takes a tender; a refused one changes nothing and says why.
    private func take(_ tender: (OpenSale) throws -> CartView) {
        do {
            let view = try tender(register)
            if let part = currentPart {
                paidParts.insert(part)
                currentPart = nil
            }
            update {
                $0.keypadText = ""
                $0.keypadAmountText = ""
                $0.message = nil
            }
            show(view)
            onChange()
        } catch {
            update { $0.message = UiMessage.of(error, language) }
        }
    }

    private func show(_ view: CartView) {
        let payment = view.payment
        let quick = (try? kasir.quickCashAmounts(due: payment.cashDue)) ?? []
        let tips = view.lines.contains { !$0.voided } && payment.tenders.isEmpty
            ? (try? register.tipOptions(Self.tipPercents)) ?? [] : []
        let tenders = payment.tenders.map { tender in
            TenderRow(label: label(tender.method), amountText: kasir.money(tender.amount, language),
                      changeText: tender.change > 0 ? kasir.money(tender.change, language) : nil)
        }
        update {
            $0.totalText = kasir.money(view.totals.total, language)
            $0.dueText = kasir.money(payment.amountDue, language)
            $0.remainingText = kasir.money(payment.remaining, language)
            $0.quickAmounts = payment.isPaid ? [] : quick.map {
                QuickAmount(amount: $0, text: kasir.money($0, language))
            }
            $0.changeText = kasir.money(payment.change, language)
            $0.isPaid = payment.isPaid
            $0.tenders = tenders
            $0.tipOptions = tips.map {
                TipOptionRow(percent: $0.percent, amountText: kasir.money($0.amount, language),
                             selected: $0.percent == tipPercent)
            }
            $0.splitParts = $0.splitParts.map {
                SplitPart(number: $0.number, total: $0.total, totalText: $0.totalText,
                          paid: paidParts.contains($0.number))
            }
        }
    }

    private func label(_ method: TenderMethod) -> String {
        switch method {
        case .cash: return Label.cash.text(language)
        case .card(_, let last4, let brand): return "\(Label.card.text(language)) \(brand) ••••\(last4)"
        case .qr(let reference): return "\(Label.qris.text(language)) \(reference)"
        }
    }
}
