// What the view-model tests share: a fresh store with the sample catalog, the products they
// sell, and platform stand-ins (a printer that keeps what it is sent).

import Foundation
import KasirKit
import KasirViewModels
import XCTest

/// Products of the sample catalog (data/catalog/sample-catalog.csv), with their shelf prices.
enum Product {
    /// Kecap Manis, Rp 4.000, PPN, category Bumbu & Saus.
    static let kecap = "8990121011028"
    /// Mie Sedaap Instant Cup, Rp 3.500, PPN, category Mi & Pasta.
    static let mie = "8998866200837"
    /// Ultra Milk Full Cream, Rp 7.500, exempt, category Susu & Olahan.
    static let milk = "8998009010552"
    /// 100% coco, Rp 11.500, PPN.
    static let coco = "8858652601388"
    /// fiorfiore Aglio bianco polesano d.o.p., Rp 35.500 per kg, sold by weight.
    static let garlic = "8001120894366"
}

/// A static QRIS sticker (DANA, published test data; see rust-core/domain/tests/data/emvqr).
let qrisSticker = "00020101021126570011ID.DANA.WWW011893600915300060605702090006060570303UMI"
    + "51440014ID.CO.QRIS.WWW0215ID10190046990790303UMI5204481453033605802ID5912"
    + "Saifullah.id6014Kota Pontianak61057812463045F72"

/// An amount written as the decimal text a person would type, parsed without any locale.
func rp(_ text: String) -> Decimal {
    guard let value = Decimal(string: text, locale: Foundation.Locale(identifier: "en_US_POSIX")) else {
        preconditionFailure("\(text) is not a decimal")
    }
    return value
}

/// A new store file in a temporary folder, set up as an Indonesian shop with the sample
/// catalog, device code `D01`.
func openSampleStore(secureStorage: (any SecureStorage)? = nil) async throws -> KasirStore {
    let folder = FileManager.default.temporaryDirectory
        .appendingPathComponent("kasirvm-\(UUID().uuidString)", isDirectory: true)
    try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    let new = NewStore(name: "Warung Swift", deviceCode: "D01", sampleCatalog: true)
    return try await KasirStore.open(
        at: folder.appendingPathComponent("kasir.db"), creating: new, secureStorage: secureStorage)
}

/// The core's own text for `amount` in `language`: what every amount on screen must equal.
func coreMoney(_ kasir: KasirStore, _ amount: Decimal, _ language: Language = .id) throws -> String {
    try kasir.formatMoney(amount, locale: language.core)
}

/// Runs a test's body on the main actor, where the view models live. The test method itself
/// stays nonisolated: XCTest on Linux calls main-actor test methods through thunks that pass
/// the (non-Sendable) test case across actors.
func onMain(_ body: @MainActor () async throws -> Void) async rethrows {
    try await body()
}

/// Collects a view model's events.
@MainActor
final class EventLog<Event> {
    private(set) var events: [Event] = []
    private var observation: Observation?

    init<State>(_ model: ViewModel<State, Event>) {
        observation = model.events { [weak self] in self?.events.append($0) }
    }
}

/// A printer port that keeps every receipt sent to it, or fails like a printer switched off.
final class RecordingPrinter: ReceiptPrinter, @unchecked Sendable {
    // @unchecked: the tests touch it from the main actor only.
    struct Off: Error, CustomStringConvertible {
        var description: String { "the printer does not answer" }
    }

    var failing = false
    private(set) var received: [(SavedPrinter, Data)] = []

    func send(_ printer: SavedPrinter, _ bytes: Data) async throws {
        if failing { throw Off() }
        received.append((printer, bytes))
    }
}

/// The secure storage of the tests: a dictionary, like the Keychain holding the device token.
final class MemorySecureStorage: SecureStorage, @unchecked Sendable {
    // @unchecked: `values` is only touched with `lock` held.
    private let lock = NSLock()
    private var values: [String: String] = [:]

    func read(key: String) throws -> String? {
        lock.lock()
        defer { lock.unlock() }
        return values[key]
    }

    func write(key: String, value: String) throws {
        lock.lock()
        defer { lock.unlock() }
        values[key] = value
    }

    func delete(key: String) throws {
        lock.lock()
        defer { lock.unlock() }
        values[key] = nil
    }
}
