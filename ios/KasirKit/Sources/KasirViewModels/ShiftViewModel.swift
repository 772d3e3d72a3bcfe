// The till's shift: open with a float, pay in and out, close with the counted cash and its Z
// report (Kotlin `ShiftViewModel`).

import Foundation
import KasirKit

/// Whether the counted cash matched what the drawer should hold.
public enum CashDifference: Equatable, Sendable {
    case even
    case over
    case short
}

/// One tender method's takings in a shift.
public struct ShiftTenderRow: Equatable, Sendable {
    public let method: String
    public let count: Int64
    public let amountText: String

    public init(method: String, count: Int64, amountText: String) {
        self.method = method
        self.count = count
        self.amountText = amountText
    }
}

/// One staff member's tips in a shift.
public struct ShiftTipRow: Equatable, Sendable {
    public let staff: String
    public let sales: Int64
    public let netText: String
}

/// A shift's report as the screen shows it: the X report while open, the Z report once closed.
public struct ShiftSummary: Equatable, Sendable {
    public let shift: Int
    public let closed: Bool
    public let title: String
    public let openedBy: String?
    public let closedBy: String?
    public let sales: Int64
    public let salesTotalText: String
    public let floatText: String
    public let cashTenderedText: String
    public let changeText: String
    public let cashRefundsText: String
    public let payInsText: String
    public let payOutsText: String
    public let expectedText: String
    public let countedText: String?
    public let differenceText: String?
    public let difference: CashDifference?
    /// `Short by Rp 1.500`, `Over by Rp 500`, `Cash matches`, once counted.
    public let differenceLabel: String?
    public let tenders: [ShiftTenderRow]
    public let tips: [ShiftTipRow]
}

/// The shift screen: open with a float, pay in and out, close with the counted cash.
public struct ShiftState: Equatable, Sendable {
    /// The open shift's number; nil when no shift is open.
    public var openShift: Int?
    /// Whether the till asks for a staff sign-in (once the store has staff).
    public var staffRequired = false
    /// Who is signed in for the shift's actions.
    public var signedInAs: String?
    /// The amount being typed: the float, a pay in or out, or the counted cash.
    public var amount = ""
    /// Why cash is paid in or out.
    public var reason = ""
    /// The open shift's X report, or the last closed shift's Z report.
    public var report: ShiftSummary?
    /// What the last action did (`Paid out Rp 20.000: ice`).
    public var notice: String?
    /// What is wrong; its `field` is `float`, `amount`, `reason`, `counted`, `staff` or `pin`.
    public var message: UiMessage?

    /// Whether the shift's actions may go ahead: nobody needs to sign in, or someone has.
    public var canAct: Bool { !staffRequired || signedInAs != nil }
}

/// The till's shift from the core: the float, cash paid in and out with a reason, the close
/// with the counted cash and its Z report (expected, counted, difference, takings per tender,
/// tips per staff). Every amount and the difference come from the core; the typed amounts are
/// checked by it. Once the store has staff, ``signIn(name:pin:)`` first: the name and PIN are
/// kept in memory only while the screen is open, to sign each action as the terminal does.
@MainActor
public final class ShiftViewModel: ViewModel<ShiftState, NoEvent> {
    private let kasir: KasirStore
    public let language: Language
    private let moneyText: MoneyText
    private var signedIn: StaffSignIn?

    public init(kasir: KasirStore, language: Language) {
        self.kasir = kasir
        self.language = language
        moneyText = MoneyText(kasir: kasir, language: language)
        super.init(state: ShiftState())
        refresh()
    }

    /// `attempt` with this screen's amounts in a refusal written by the core.
    private func attempt<T>(_ language: Language, _ onError: (UiMessage) -> Void, _ call: () throws -> T) -> T? {
        KasirViewModels.attempt(language, onError, money: { [moneyText] in moneyText.text($0) }, call)
    }

    private func fail(_ message: UiMessage) {
        update {
            $0.message = message
            $0.notice = nil
        }
    }

    /// Reads the shift again (after sales, which change what the drawer should hold).
    public func refresh() {
        guard let required = attempt(language, fail, { try kasir.staffRequired() }) else { return }
        update { $0.staffRequired = required }
        if let open = attempt(language, fail, { try kasir.currentShift() }) ?? nil {
            show(open)
        } else {
            // The last closed shift's Z report stays on screen until the next one opens.
            update {
                $0.openShift = nil
                if $0.report?.closed != true { $0.report = nil }
            }
        }
    }

    public func setAmount(_ text: String) {
        update {
            $0.amount = text
            $0.message = nil
        }
    }

    public func setReason(_ text: String) {
        update {
            $0.reason = text
            $0.message = nil
        }
    }

    /// Signs `name` in with `pin` for the shift's actions; a wrong PIN names `pin`.
    @discardableResult
    public func signIn(name: String, pin: String) -> Bool {
        guard let member = attempt(language, fail, { try kasir.signIn(name: name, pin: pin) }) else { return false }
        signedIn = StaffSignIn(name: member.name, pin: pin)
        update {
            $0.signedInAs = member.name
            $0.message = nil
            $0.notice = nil
        }
        return true
    }

    /// Forgets the signed-in staff member.
    public func signOut() {
        signedIn = nil
        update { $0.signedInAs = nil }
    }

    private func typed(_ field: String) -> Decimal? {
        let text = state.amount
        return attempt(language, fail, { try kasir.parseAmount(field: field, text) })
    }

    private func done(_ notice: String) {
        update {
            $0.amount = ""
            $0.reason = ""
            $0.message = nil
            $0.notice = notice
        }
    }

    /// Opens a shift with the typed float.
    @discardableResult
    public func open() -> Bool {
        guard let float = typed("float") else { return false }
        let by = signedIn
        guard let report = attempt(language, fail, { try kasir.openShift(float: float, by: by) }) else { return false }
        show(report)
        done(Label.shiftOpened.format(language, String(report.shift), money(report.float)))
        return true
    }

    /// Records the typed amount as cash put into the drawer, with the typed reason.
    @discardableResult
    public func payIn() -> Bool { move(into: true) }

    /// Records the typed amount as cash taken out of the drawer, with the typed reason.
    @discardableResult
    public func payOut() -> Bool { move(into: false) }

    private func move(into: Bool) -> Bool {
        guard let amount = typed("amount") else { return false }
        let reason = state.reason
        let by = signedIn
        guard let moved = attempt(language, fail, {
            into ? try kasir.payIn(amount, reason: reason, by: by) : try kasir.payOut(amount, reason: reason, by: by)
        }) else { return false }
        if let open = attempt(language, fail, { try kasir.currentShift() }) ?? nil { show(open) }
        let label: Label = into ? .paidIn : .paidOut
        done(label.format(language, money(moved.amount), moved.reason))
        return true
    }

    /// Closes the shift with the typed counted cash; the state then holds its Z report.
    @discardableResult
    public func close() -> Bool {
        guard let counted = typed("counted") else { return false }
        let by = signedIn
        guard let report = attempt(language, fail, { try kasir.closeShift(counted: counted, by: by) }) else { return false }
        show(report)
        done(Label.shiftClosed.format(language, String(report.shift)))
        return true
    }

    private func money(_ amount: Decimal) -> String { moneyText.text(amount) }

    private func show(_ report: ShiftReport) {
        let magnitude = report.difference.map { $0 < 0 ? -$0 : $0 }
        // Every amount this redraw shows, formatted by the core in one call.
        moneyText.prepare(
            [report.salesTotal, report.float, report.cashTendered, report.cashChange, report.cashRefunds,
             report.payIns, report.payOuts, report.expectedCash]
                + [report.countedCash, report.difference, magnitude].compactMap { $0 }
                + report.tenders.map(\.amount) + report.tipsByStaff.map(\.net))
        let difference: CashDifference? = report.difference.map { $0 == 0 ? .even : ($0 > 0 ? .over : .short) }
        var differenceLabel: String?
        if let difference, let magnitude {
            switch difference {
            case .even: differenceLabel = Label.cashMatches.text(language)
            case .over: differenceLabel = Label.cashOver.format(language, money(magnitude))
            case .short: differenceLabel = Label.cashShort.format(language, money(magnitude))
            }
        }
        let shift = Int(report.shift)
        let summary = ShiftSummary(
            shift: shift,
            closed: report.closed,
            title: (report.closed ? Label.zReport : Label.xReport).format(language, String(shift)),
            openedBy: report.openedBy,
            closedBy: report.closedBy,
            sales: Int64(report.sales),
            salesTotalText: money(report.salesTotal),
            floatText: money(report.float),
            cashTenderedText: money(report.cashTendered),
            changeText: money(report.cashChange),
            cashRefundsText: money(report.cashRefunds),
            payInsText: money(report.payIns),
            payOutsText: money(report.payOuts),
            expectedText: money(report.expectedCash),
            countedText: report.countedCash.map(money),
            differenceText: report.difference.map(money),
            difference: difference,
            differenceLabel: differenceLabel,
            tenders: report.tenders.map { tender in
                let method: String
                switch tender.method {
                case "cash": method = Label.cash.text(language)
                case "card": method = Label.card.text(language)
                case "qr": method = Label.qris.text(language)
                case "giftcard": method = Label.giftCard.text(language)
                default: method = tender.method
                }
                return ShiftTenderRow(method: method, count: Int64(tender.count), amountText: money(tender.amount))
            },
            tips: report.tipsByStaff.map {
                ShiftTipRow(staff: $0.staff ?? Label.noStaff.text(language), sales: Int64($0.sales), netText: money($0.net))
            })
        update {
            $0.openShift = report.closed ? nil : shift
            $0.report = summary
        }
    }
}
