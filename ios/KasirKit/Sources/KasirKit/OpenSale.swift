import Foundation

/// The sale being rung up: its lines, discounts and tenders until it is completed.
///
/// Every change returns the whole ``CartView``, so a screen redraws from one answer. Changes
/// to the cart are synchronous (they work in memory and look an item up, well under a
/// millisecond); completing writes to the disk and is `async`. A refused change throws a
/// ``KasirError`` and leaves the sale as it was.
public final class OpenSale: Sendable {
    /// The generated object, for anything this wrapper does not cover.
    public let core: Register

    init(core: Register) {
        self.core = core
    }

    /// Adds one of the item with `code` (any GTIN form or a SKU); scanning it again adds to
    /// its line.
    @discardableResult
    public func scan(_ code: String) throws -> CartView {
        try core.scan(code: code)
    }

    /// Adds `quantity` of the item with `code` (kilograms, up to three decimals, for weighed
    /// items).
    @discardableResult
    public func add(_ code: String, quantity: Decimal) throws -> CartView {
        try core.addItem(code: code, quantity: quantity)
    }

    /// Sets the quantity of line `line` (numbered from 1).
    @discardableResult
    public func setQuantity(_ quantity: Decimal, ofLine line: Int) throws -> CartView {
        try core.setQuantity(line: UInt32(clamping: line), quantity: quantity)
    }

    /// Gives line `line` a discount, or removes it with `nil`.
    @discardableResult
    public func setDiscount(_ discount: Discount?, ofLine line: Int) throws -> CartView {
        try core.setLineDiscount(line: UInt32(clamping: line), discount: discount)
    }

    /// Adds a discount on the whole order, after the ones already given.
    @discardableResult
    public func discountOrder(_ discount: Discount) throws -> CartView {
        try core.addOrderDiscount(discount: discount)
    }

    /// Removes every order discount.
    @discardableResult
    public func removeOrderDiscounts() throws -> CartView {
        try core.clearOrderDiscounts()
    }

    /// Voids line `line`: it stays on record and leaves every total.
    @discardableResult
    public func voidLine(_ line: Int) throws -> CartView {
        try core.voidLine(line: UInt32(clamping: line))
    }

    /// The sale as it stands.
    public var view: CartView {
        get throws { try core.view() }
    }

    /// Takes `amount` in cash, or exactly what is due (after the store's cash rounding) without
    /// one; cash above what is due makes change.
    @discardableResult
    public func pay(cash amount: Decimal? = nil) throws -> CartView {
        try core.payCash(amount: amount)
    }

    /// Records a card payment made on an external terminal: `amount` charged (what is still
    /// due without one), its approval code, the card's last four digits and its brand. Never
    /// pass a full card number: anything but four digits is refused.
    @discardableResult
    public func pay(
        card amount: Decimal? = nil, approvalCode: String, last4: String, brand: String
    ) throws -> CartView {
        try core.payCard(amount: amount, approvalCode: approvalCode, last4: last4, brand: brand)
    }

    /// Records a QRIS payment of `amount` (what is still due without one) with the provider's
    /// reference.
    @discardableResult
    public func pay(qr amount: Decimal? = nil, reference: String) throws -> CartView {
        try core.payQr(amount: amount, reference: reference)
    }

    /// Voids every tender taken so far, so the sale can be changed again.
    @discardableResult
    public func voidPayments() throws -> CartView {
        try core.voidPayments()
    }

    /// Completes the paid sale: gives it its receipt number and stores it with its outbox
    /// event in one transaction. The register is then empty for the next sale. Refused,
    /// changing nothing, while something is still due.
    public func complete() async throws -> Sale {
        try core.complete()
    }

    /// Drops the sale (nothing is stored) and starts afresh.
    @discardableResult
    public func clear() throws -> CartView {
        try core.clear()
    }
}
