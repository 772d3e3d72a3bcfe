// What the tests share: a fresh store with the sample catalog, the products they sell, and
// Swift implementations of the core's foreign traits.

import Foundation
import KasirKit
import XCTest

/// Products of the sample catalog (data/catalog/sample-catalog.csv) the tests sell, with their
/// shelf prices (tax included) and tax categories as listed there.
enum Product {
    /// Kecap Manis, Rp 4.000, PPN.
    static let kecap = "8990121011028"
    /// Mie Sedaap Instant Cup, Rp 3.500, PPN.
    static let mie = "8998866200837"
    /// Ultra Milk Full Cream, Rp 7.500, exempt from PPN.
    static let milk = "8998009010552"
    /// fiorfiore Aglio bianco polesano d.o.p., Rp 35.500 per kg, exempt, sold by weight.
    static let garlic = "8001120894366"
}

/// An amount written as the decimal text a person would type, parsed without any locale.
func rp(_ text: String) -> Decimal {
    guard let value = Decimal(string: text, locale: Locale(identifier: "en_US_POSIX")) else {
        preconditionFailure("\(text) is not a decimal")
    }
    return value
}

/// A new store file in a temporary folder, set up as an Indonesian shop with the sample
/// catalog, device code `D01`.
func openSampleStore(secureStorage: (any SecureStorage)? = nil) async throws -> KasirStore {
    let folder = FileManager.default.temporaryDirectory
        .appendingPathComponent("kasirkit-\(UUID().uuidString)", isDirectory: true)
    try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    let new = NewStore(name: "Warung Swift", deviceCode: "D01", sampleCatalog: true)
    return try await KasirStore.open(
        at: folder.appendingPathComponent("kasir.db"), creating: new, secureStorage: secureStorage)
}

/// The secure storage of the tests: a dictionary, like the Keychain holding the device token.
final class MemorySecureStorage: SecureStorage, @unchecked Sendable {
    // @unchecked: `values` is only touched with `lock` held.
    private let lock = NSLock()
    private var values: [String: String] = [:]

    func read(key: String) throws -> String? {
        lock.locked { values[key] }
    }

    func write(key: String, value: String) throws {
        lock.locked { values[key] = value }
    }

    func delete(key: String) throws {
        _ = lock.locked { values.removeValue(forKey: key) }
    }

    /// The keys stored so far.
    var keys: [String] {
        lock.locked { Array(values.keys).sorted() }
    }
}

/// A secure storage whose writes fail, like a locked Keychain.
final class LockedSecureStorage: SecureStorage {
    struct Locked: Error {}

    func read(key: String) throws -> String? { nil }

    func write(key: String, value: String) throws {
        throw Locked()
    }

    func delete(key: String) throws {}
}

/// Keeps every log record the core sends.
final class RecordingLogSink: LogSink, @unchecked Sendable {
    // @unchecked: `records` is only touched with `lock` held.
    private let lock = NSLock()
    private var records: [LogRecord] = []

    func log(record: LogRecord) {
        lock.locked { records.append(record) }
    }

    /// The records so far.
    var received: [LogRecord] {
        lock.locked { records }
    }
}

/// A network the test switches on and off, standing in for NWPathMonitor.
final class SwitchedNetwork: NetworkMonitor, @unchecked Sendable {
    // @unchecked: the state is only touched with `lock` held.
    private let lock = NSLock()
    private var listener: ReachabilityListener?
    private var reachable = true

    func isReachable() -> Bool {
        lock.locked { reachable }
    }

    func start(listener: ReachabilityListener) {
        lock.locked { self.listener = listener }
    }

    func stop() {
        lock.locked { listener = nil }
    }

    /// Whether the core started listening and has not stopped.
    var isListened: Bool {
        lock.locked { listener != nil }
    }

    /// Turns the network on or off and tells the core.
    func set(reachable: Bool) {
        let listener = lock.locked {
            self.reachable = reachable
            return self.listener
        }
        listener?.changed(reachable: reachable)
    }
}

/// Cancels `sync` after a minute, so that a test waiting for updates that never come fails
/// instead of hanging (a safety net, not a measure of speed: a sync here takes milliseconds).
func watchdog(_ sync: BackgroundSync) -> Task<Void, Never> {
    Task {
        try? await Task.sleep(nanoseconds: 60_000_000_000)
        sync.cancel()
    }
}

extension NSLock {
    /// Runs `body` with the lock held (`NSLocking.withLock` needs macOS 14 / iOS 17).
    func locked<T>(_ body: () throws -> T) rethrows -> T {
        lock()
        defer { unlock() }
        return try body()
    }
}
