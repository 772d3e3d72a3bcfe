// The register screen: search, the category grid, favourites, scanning, and the cart with
// quantity, discount and void (Kotlin `RegisterViewModel`).

import Foundation
import KasirKit

/// An item on the grid, in the search results or among the favourites.
public struct ItemTile: Equatable, Sendable {
    /// The item's GTIN, what ``RegisterViewModel/add(_:)`` takes.
    public let code: String
    public let name: String
    public let priceText: String
    public let category: String?
    /// Sold by weight: the screen asks for the kilograms.
    public let weighed: Bool
}

/// A category of the grid.
public struct CategoryTile: Equatable, Sendable {
    public let name: String
    public let itemCount: Int

    public init(name: String, itemCount: Int) {
        self.name = name
        self.itemCount = itemCount
    }
}

/// A line of the cart as the screen shows it; every amount text comes from the core.
public struct LineRow: Equatable, Sendable {
    public let number: Int
    public let code: String
    public let name: String
    public let quantityText: String
    public let unitPriceText: String
    /// The line's amount after its discounts; nil for a voided line (it is in no total).
    public let amountText: String?
    /// The line's own discount as given (`10%`, `Rp 5.000`), if any.
    public let discountText: String?
    /// What the line's own discount took off, if anything (shown negative: `Rp -3.700`).
    public let discountAmountText: String?
    /// The line's share of the order discounts, if any (largest remainder, from the core).
    public let orderDiscountText: String?
    public let voided: Bool
}

/// The register screen.
public struct RegisterState: Equatable, Sendable {
    public var lines: [LineRow] = []
    public var subtotalText = ""
    public var discountText: String?
    public var chargesText: String?
    public var taxText = ""
    /// Whether the tax is inside the total (PPN-inclusive prices) rather than added to it.
    public var taxIncluded = true
    public var totalText = ""
    public var total: Decimal = 0
    /// Active lines.
    public var lineCount = 0
    /// The order discounts given, as texts (`10%`, `Rp 5.000`).
    public var orderDiscounts: [String] = []
    /// False once a payment has started: the cart is fixed until the payments are voided.
    public var canEdit = true
    public var isEmpty = true
    public var query = ""
    public var results: [ItemTile] = []
    public var categories: [CategoryTile] = []
    public var selectedCategory: String?
    public var categoryItems: [ItemTile] = []
    public var favourites: [ItemTile] = []
    public var message: UiMessage?
    /// Whether the camera scanner is open over the catalog (a phone: over the whole register).
    public var scannerOpen = false
    /// The last scan since the scanner opened, for its feedback: the item added, or why not.
    public var lastScan: ScanEvent?
}

/// What the platform does once: a sound or haptic for an accepted scan, a message for a
/// refused one.
public enum ScanEvent: Equatable, Sendable {
    /// The item was added: play the accept sound / haptic.
    case accepted(code: String, name: String, line: Int, totalText: String)
    /// The code was refused (unknown, malformed, cart fixed): play the error sound, show the
    /// message.
    case rejected(code: String, message: UiMessage)
}

/// The register screen's view model. It owns the open sale (`register`) and answers every
/// action with the core's `CartView`; it computes nothing itself. Calls are synchronous and
/// short (a local SQLite store).
@MainActor
public final class RegisterViewModel: ViewModel<RegisterState, ScanEvent> {
    private let kasir: KasirStore
    public let language: Language
    /// The open sale; shared with the ``PaymentViewModel`` made by ``payment()``.
    public let register: OpenSale
    private let favouriteCount: Int
    private let searchLimit: Int
    private let moneyText: MoneyText

    public init(kasir: KasirStore, language: Language, register: OpenSale? = nil,
                favouriteCount: Int = 12, searchLimit: Int = 30) throws {
        self.kasir = kasir
        self.language = language
        self.register = try register ?? kasir.newSale()
        self.favouriteCount = favouriteCount
        self.searchLimit = searchLimit
        moneyText = MoneyText(kasir: kasir, language: language)
        super.init(state: RegisterState())
        let categories = attempt(language, fail) {
            try kasir.categories().map { CategoryTile(name: $0.name, itemCount: Int($0.items)) }
        } ?? []
        update { $0.categories = categories }
        refresh()
    }

    /// `attempt` with this screen's amounts in a refusal written by the core.
    private func attempt<T>(_ language: Language, _ onError: (UiMessage) -> Void, _ call: () throws -> T) -> T? {
        KasirViewModels.attempt(language, onError, money: { [moneyText] in moneyText.text($0) }, call)
    }

    private func fail(_ message: UiMessage) {
        update { $0.message = message }
    }

    private func tiles(_ items: [Item]) -> [ItemTile] {
        moneyText.prepare(items.map(\.price))
        return items.map(tile)
    }

    private func tile(_ item: Item) -> ItemTile {
        ItemTile(code: item.gtin, name: item.name, priceText: money(item.price),
                 category: item.category, weighed: item.unit == .kg)
    }

    private func quantityText(_ quantity: Decimal) -> String {
        let plain = plainText(quantity)
        return language == .id ? plain.replacingOccurrences(of: ".", with: ",") : plain
    }

    private func discountText(_ discount: Discount) -> String {
        switch discount {
        case .percent(let percent): return "\(quantityText(percent))%"
        case .amount(let amount): return money(amount)
        }
    }

    private func money(_ amount: Decimal) -> String {
        moneyText.text(amount)
    }

    /// Redraws the screen from `view`, the core's answer to the last action. For a scan,
    /// `scanned` makes its event from the view, shown as `lastScan` in the same redraw (observers
    /// see one change per scan); the event is returned.
    @discardableResult
    private func show(_ view: CartView, scanned: ((CartView) -> ScanEvent?)? = nil) -> ScanEvent? {
        let totals = view.totals
        let lineTotals = Dictionary(uniqueKeysWithValues: totals.lines.map { ($0.number, $0) })
        // Every amount this redraw shows, formatted by the core in one call.
        var amounts = view.lines.map(\.unitPrice)
        amounts += totals.lines.flatMap { [$0.amount, -$0.lineDiscount, -$0.orderDiscount] }
        amounts += view.orderDiscounts.compactMap { if case .amount(let a) = $0 { return a } else { return nil } }
        amounts += [totals.subtotal, -totals.discountTotal, totals.chargesTotal, totals.taxTotal, totals.total]
        moneyText.prepare(amounts)
        let rows = view.lines.map { line -> LineRow in
            let total = lineTotals[line.number]
            return LineRow(
                number: Int(line.number),
                code: line.gtin,
                name: line.name,
                quantityText: quantityText(line.quantity),
                unitPriceText: money(line.unitPrice),
                amountText: total.map { money($0.amount) },
                discountText: line.discount.map(discountText),
                discountAmountText: total.flatMap { $0.lineDiscount != 0 ? money(-$0.lineDiscount) : nil },
                orderDiscountText: total.flatMap { $0.orderDiscount != 0 ? money(-$0.orderDiscount) : nil },
                voided: line.voided)
        }
        let texts = (
            subtotal: money(totals.subtotal),
            discount: totals.discountTotal != 0 ? money(-totals.discountTotal) : nil,
            charges: totals.chargesTotal != 0 ? money(totals.chargesTotal) : nil,
            tax: money(totals.taxTotal),
            total: money(totals.total),
            orderDiscounts: view.orderDiscounts.map(discountText))
        let event = scanned?(view)
        update {
            $0.lines = rows
            $0.subtotalText = texts.subtotal
            $0.discountText = texts.discount
            $0.chargesText = texts.charges
            $0.taxText = texts.tax
            $0.taxIncluded = totals.priceMode == .taxIncluded
            $0.totalText = texts.total
            $0.total = totals.total
            $0.lineCount = totals.lines.count
            $0.orderDiscounts = texts.orderDiscounts
            $0.canEdit = view.payment.tenders.isEmpty
            $0.isEmpty = totals.lines.isEmpty
            $0.message = nil
            if let event { $0.lastScan = event }
        }
        return event
    }

    @discardableResult
    private func change(_ action: () throws -> CartView) -> Bool {
        guard let view = attempt(language, fail, action) else { return false }
        show(view)
        return true
    }

    /// Reads the sale and the favourites again (after a payment or a completed sale).
    public func refresh() {
        change { try register.view }
        let favourites = attempt(language, fail) { try tiles(kasir.favourites(limit: favouriteCount)) } ?? []
        update { $0.favourites = favourites }
    }

    /// Searches the catalog by name, SKU or category as the clerk types; a blank `text` clears
    /// the results.
    public func search(_ text: String) {
        let results = text.trimmingCharacters(in: .whitespaces).isEmpty ? [] : attempt(language, fail) {
            try tiles(kasir.core.searchItems(text: text, limit: UInt32(clamping: searchLimit)))
        } ?? []
        update {
            $0.query = text
            $0.results = results
        }
    }

    /// Opens category `name` of the grid, or closes it with nil.
    public func selectCategory(_ name: String?) {
        let items = name.flatMap { name in attempt(language, fail) { try tiles(kasir.categoryItems(name)) } } ?? []
        update {
            $0.selectedCategory = name
            $0.categoryItems = items
        }
    }

    /// Adds one of the item with `code` (a tile tapped): true when it was added.
    @discardableResult
    public func add(_ code: String) -> Bool {
        change { try register.scan(code) }
    }

    /// Adds `quantity` (typed, `1,5` or `1.5` kg) of the item with `code`.
    @discardableResult
    public func add(_ code: String, quantity: String) -> Bool {
        guard let amount = typedDecimal(quantity) else {
            fail(UiMessage(title: Label.errorInvalid.text(language), detail: "\(Label.fieldQuantity.text(language)): `\(quantity)`", field: "quantity"))
            return false
        }
        return change { try register.add(code, quantity: amount) }
    }

    /// A code from the scanner or the camera: the item is added and ``ScanEvent/accepted(code:name:line:totalText:)``
    /// sent for the sound or haptic, or ``ScanEvent/rejected(code:message:)`` with the core's reason.
    @discardableResult
    public func scan(_ code: String) -> Bool {
        var refusal: UiMessage?
        let added = attempt(language, { refusal = $0 }) { () throws -> (Item, CartView) in
            let item = try kasir.core.findItem(code: code)
            return (item, try register.scan(item.gtin))
        }
        guard let added else {
            guard let message = refusal else { return false }
            let event = ScanEvent.rejected(code: code, message: message)
            update {
                $0.message = message
                $0.lastScan = event
            }
            send(event)
            return false
        }
        let (item, view) = added
        let event = show(view) { view in
            // The same item scanned again adds to its active line.
            view.lines.last(where: { $0.gtin == item.gtin && !$0.voided }).map { line in
                ScanEvent.accepted(code: code, name: line.name, line: Int(line.number),
                                   totalText: self.money(view.totals.total))
            }
        }
        guard let event else { return false }
        send(event)
        return true
    }

    /// Opens the camera scanner; its feedback starts empty.
    public func openScanner() {
        update {
            $0.scannerOpen = true
            $0.lastScan = nil
        }
    }

    /// Closes the camera scanner.
    public func closeScanner() {
        update {
            $0.scannerOpen = false
            $0.lastScan = nil
        }
    }

    /// One camera frame (its luminance plane, see ``FrameScanner/frame(_:width:height:rowStride:timestampMs:region:)``):
    /// decoded by the core, and a new read scanned into the sale as ``scan(_:)`` does, with its
    /// ``ScanEvent``. A repeat of a code still in view, or a frame without one, changes nothing.
    /// True when an item was added.
    @discardableResult
    public func frame(_ camera: FrameScanner, pixels: Data, width: Int, height: Int, rowStride: Int,
                      timestampMs: UInt64, region: FrameRegion? = nil) -> Bool {
        let read = attempt(language, fail) {
            try camera.frame(pixels, width: width, height: height, rowStride: rowStride,
                             timestampMs: timestampMs, region: region)
        }
        guard let read = read ?? nil, read.isNew else { return false }
        return scan(read.code)
    }

    /// Sets the quantity of `line` to `text` (`3`, `0,75`).
    @discardableResult
    public func setQuantity(line: Int, _ text: String) -> Bool {
        guard let quantity = typedDecimal(text) else {
            fail(UiMessage(title: Label.errorInvalid.text(language), detail: "\(Label.fieldQuantity.text(language)): `\(text)`", field: "quantity"))
            return false
        }
        return change { try register.setQuantity(quantity, ofLine: line) }
    }

    /// Sets the discount of `line` (`10%`, `5000`), or removes it with a blank `text`.
    @discardableResult
    public func setLineDiscount(line: Int, _ text: String) -> Bool {
        change {
            let blank = text.trimmingCharacters(in: .whitespaces).isEmpty
            return try register.setDiscount(blank ? nil : kasir.parseDiscount(text), ofLine: line)
        }
    }

    /// Voids `line`: it stays on record, struck through, and leaves every total.
    @discardableResult
    public func voidLine(_ line: Int) -> Bool {
        change { try register.voidLine(line) }
    }

    /// Adds a discount on the whole order (`10%`, `5000`).
    @discardableResult
    public func addOrderDiscount(_ text: String) -> Bool {
        change { try register.discountOrder(kasir.parseDiscount(text)) }
    }

    /// Removes every order discount.
    @discardableResult
    public func clearOrderDiscounts() -> Bool {
        change { try register.removeOrderDiscounts() }
    }

    /// Drops the open sale (nothing is stored).
    @discardableResult
    public func clearSale() -> Bool {
        change { try register.clear() }
    }

    /// Hides the message.
    public func dismissMessage() {
        update { $0.message = nil }
    }

    /// The payment screen of this sale, with the paired `cardReader` if any; its changes redraw
    /// this screen.
    public func payment(cardReader: PaymentReader? = nil) -> PaymentViewModel {
        PaymentViewModel(kasir: kasir, register: register, language: language,
                         onChange: { [weak self] in self?.refresh() }, cardReader: cardReader)
    }
}

/// A decimal typed by the clerk (`2`, `0.75` or `0,75`), or nil when it is not one. The core
/// checks the value itself (positive, whole for items sold each, grams for kg).
func typedDecimal(_ text: String) -> Decimal? {
    let plain = text.trimmingCharacters(in: .whitespaces).replacingOccurrences(of: ",", with: ".")
    guard !plain.isEmpty, plain.allSatisfy({ $0.isASCII && ($0.isNumber || $0 == ".") }),
          plain.filter({ $0 == "." }).count <= 1, plain.first != ".", plain.last != "."
    else { return nil }
    return Decimal(string: plain, locale: Foundation.Locale(identifier: "en_US_POSIX"))
}

/// A decimal written plainly (`2`, `0.125`), never through a floating-point number.
func plainText(_ value: Decimal) -> String {
    NSDecimalNumber(decimal: value).description(withLocale: Foundation.Locale(identifier: "en_US_POSIX"))
}

extension KasirStore {
    /// `amount` as the core writes it for people, in `language`. The core refuses only when
    /// the store file cannot be read; the plain digits still tell the clerk the amount then.
    func money(_ amount: Decimal, _ language: Language) -> String {
        (try? formatMoney(amount, locale: language.core)) ?? plainText(amount)
    }
}
