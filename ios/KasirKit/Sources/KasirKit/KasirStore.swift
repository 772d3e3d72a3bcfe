import Foundation

/// An open store: the catalog, the sales and reports of this device, and its link to the cloud
/// account. Open one per store file and keep it for the life of the app.
///
/// Calls that read or write the store file or talk to the cloud are `async` and run off the
/// caller's actor, so a register screen on the main actor never waits on the disk.
public final class KasirStore: Sendable {
    /// The generated object, for anything this wrapper does not cover.
    public let core: Kasir

    /// Wraps an already open `Kasir`.
    public init(core: Kasir) {
        self.core = core
    }

    /// Opens the store file at `url`, setting it up from `creating` when it is new (an
    /// Indonesian shop, with the sample catalog if asked); without `creating` a new file is
    /// refused. The device token goes to `secureStorage` once the device enrols (on iOS,
    /// ``KeychainStorage``); without one it stays in the store file.
    public static func open(
        at url: URL,
        creating: NewStore? = nil,
        secureStorage: (any SecureStorage)? = nil
    ) async throws -> KasirStore {
        KasirStore(core: try Kasir.open(path: url.path, create: creating, secureStorage: secureStorage))
    }

    /// Sends the core's logs at `level` and more serious to `sink` (on Apple platforms,
    /// ``OSLogSink``). Calling it again replaces the sink.
    public static func sendLogs(to sink: any LogSink, level: LogLevel = .info) throws {
        try installLogSink(sink: sink, maxLevel: level)
    }

    /// The version of the core library.
    public static var libraryVersion: String { KasirCore.libraryVersion() }

    /// Starts a new sale on the register.
    public func newSale() throws -> OpenSale {
        OpenSale(core: try core.newSale())
    }

    /// The store's settings (name, currency, tax rules, cash rounding).
    public func settings() async throws -> StoreSettings {
        try core.settings()
    }

    /// The item a scanner or a clerk gave the code of: a GTIN in any form or a SKU.
    /// Throws `KasirError.InvalidInput` (field `gtin`) for a malformed code and
    /// `KasirError.NotFound` for a code the catalog does not hold.
    public func item(code: String) async throws -> Item {
        try core.findItem(code: code)
    }

    /// Items whose name, SKU or category match `text`, best first.
    public func search(_ text: String, limit: Int = 20) async throws -> [Item] {
        try core.searchItems(text: text, limit: UInt32(clamping: limit))
    }

    /// How many items the catalog holds.
    public func itemCount() async throws -> Int {
        Int(try core.itemCount())
    }

    /// A completed sale by its receipt number (`D01-000042`).
    public func sale(receiptNumber: String) async throws -> Sale {
        try core.sale(receiptNumber: receiptNumber)
    }

    /// The sales of business day `date` (`2026-12-03`), or of every day.
    public func sales(on date: String? = nil) async throws -> [SaleSummary] {
        try core.sales(date: date)
    }

    /// The report of business day `date` (`2026-12-03`), or of today in the store's time zone.
    public func dayReport(on date: String? = nil) async throws -> DayReport {
        try core.dayReport(date: date)
    }
}
