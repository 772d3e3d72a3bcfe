import Foundation

// What the register's screens ask of the store beyond the open sale (the same calls as the
// Kotlin `Kasir` wrapper): amounts written and read in the store's currency, the cash keypad's
// quick amounts, the category grid, the favourites, printers, receipts and settings. These are
// short, synchronous calls into the local store.
extension KasirStore {
    /// `amount` with the currency's symbol as people read it (`Rp 12.500` in Indonesian,
    /// `Rp 12,500` in English); in the store's language without `locale`.
    public func formatMoney(_ amount: Decimal, locale: KasirCore.Locale? = nil) throws -> String {
        try core.formatMoney(amount: amount, locale: locale)
    }

    /// ``formatMoney(_:locale:)`` of each of `amounts`, in order, in one call: what a screen
    /// redraws at once crosses into the core once.
    public func formatAmounts(_ amounts: [Decimal], locale: KasirCore.Locale? = nil) throws -> [String] {
        try core.formatAmounts(amounts: amounts, locale: locale)
    }

    /// An amount typed into `field` (digits, no grouping dots), checked against the store's
    /// currency; the error names `field`.
    public func parseAmount(field: String, _ text: String) throws -> Decimal {
        try core.parseAmount(field: field, text: text)
    }

    /// A discount typed by the clerk: `10%` or an amount like `5000`.
    public func parseDiscount(_ text: String) throws -> Discount {
        try core.parseDiscount(text: text)
    }

    /// The banknotes of the store's currency, smallest first.
    public func cashNotes() throws -> [Decimal] {
        try core.cashNotes()
    }

    /// The cash keypad's quick amounts for `due`: the exact amount, then rounded up to each note.
    public func quickCashAmounts(due: Decimal) throws -> [Decimal] {
        try core.quickCashAmounts(due: due)
    }

    /// The catalog's categories with their item counts, by name.
    public func categories() throws -> [Category] {
        try core.categories()
    }

    /// The items of `category`, by name.
    public func categoryItems(_ category: String, limit: Int = 200) throws -> [Item] {
        try core.categoryItems(category: category, limit: UInt32(clamping: limit))
    }

    /// The items in the most sales on this device.
    public func favourites(limit: Int = 12) throws -> [Item] {
        try core.favourites(limit: UInt32(clamping: limit))
    }

    /// The printers saved on this device.
    public func printers() throws -> [SavedPrinter] {
        try core.printers()
    }

    /// Saves (or replaces by name) a printer; its profile must be a built-in one.
    public func savePrinter(_ printer: SavedPrinter) throws {
        try core.savePrinter(printer: printer)
    }

    /// The names of the built-in printer profiles (`generic-58`, `generic-80`...).
    public func printerProfiles() -> [String] {
        core.printerProfiles()
    }

    /// Replaces the store's settings after checking them; the error names the setting at fault.
    public func updateSettings(_ settings: StoreSettings) throws {
        try core.updateSettings(settings: settings)
    }

    /// The receipt of a completed sale as text, `columns` wide (the default printer's without).
    public func receiptText(_ receiptNumber: String, columns: Int? = nil) throws -> String {
        try core.receiptText(receiptNumber: receiptNumber, columns: columns.map { UInt16(clamping: $0) })
    }

    /// The receipt of a completed sale as ESC/POS bytes for the printer profile `profile`.
    public func receiptBytes(_ receiptNumber: String, profile: String) throws -> Data {
        try core.receiptBytes(receiptNumber: receiptNumber, printerProfile: profile)
    }

    /// The receipt of a completed sale as a PNG picture 80 mm wide, `columns` characters a line
    /// (48 without; 24 to 64), with the file name and MIME type the share sheet needs.
    public func receiptPng(_ receiptNumber: String, columns: Int? = nil) throws -> ReceiptFile {
        try core.receiptPng(receiptNumber: receiptNumber, columns: columns.map { UInt16(clamping: $0) })
    }

    /// The receipt of a completed sale as a one-page PDF 80 mm wide with real, selectable text.
    public func receiptPdf(_ receiptNumber: String, columns: Int? = nil) throws -> ReceiptFile {
        try core.receiptPdf(receiptNumber: receiptNumber, columns: columns.map { UInt16(clamping: $0) })
    }
}

extension OpenSale {
    /// Sets the tip as a percentage of the items or an amount, or removes it with nil.
    @discardableResult
    public func setTip(_ basis: ChargeBasis?) throws -> CartView {
        try core.setTip(basis: basis)
    }

    /// Sets the service charge (taxed in the store's service-charge category, if any), or
    /// removes it with nil.
    @discardableResult
    public func setServiceCharge(_ basis: ChargeBasis?) throws -> CartView {
        try core.setServiceCharge(basis: basis)
    }

    /// What a tip of each of `percents` would come to on the sale as it stands.
    public func tipOptions(_ percents: [Decimal]) throws -> [TipOption] {
        try core.tipOptions(percents: percents)
    }

    /// How the bill divides between payers under `rule` (parts summing to the total).
    public func splitBill(_ rule: BillSplit) throws -> [BillShare] {
        try core.splitBill(rule: rule)
    }

    /// The dynamic QRIS code for `amount` (what is still due without one).
    public func qrisPayload(amount: Decimal? = nil) throws -> QrisPayment {
        try core.qrisPayload(amount: amount)
    }
}
