// The platform services of Apple devices, for the core's foreign traits: the Keychain for the
// device token, OSLog for the core's logs, NWPathMonitor for network reachability. Compiled
// only where those frameworks exist (not on Linux, where the tests bring their own).

import Foundation

#if canImport(Security)
import Security

/// Keeps the core's secrets (the device token) in the iOS Keychain, readable after the first
/// unlock and never leaving this device (not in backups, not synced to other devices).
public final class KeychainStorage: SecureStorage {
    private let service: String

    /// Stores items as generic passwords of `service`.
    public init(service: String = "id.kasir.core") {
        self.service = service
    }

    private func query(_ key: String) -> [String: Any] {
        [
            kSecClass as String: kSecClassGenericPassword,
            kSecAttrService as String: service,
            kSecAttrAccount as String: key,
        ]
    }

    public func read(key: String) throws -> String? {
        var query = query(key)
        query[kSecReturnData as String] = true
        query[kSecMatchLimit as String] = kSecMatchLimitOne
        var item: CFTypeRef?
        let status = SecItemCopyMatching(query as CFDictionary, &item)
        switch status {
        case errSecSuccess:
            guard let data = item as? Data, let value = String(data: data, encoding: .utf8) else {
                throw KasirError.DeviceUnavailable(reason: "the keychain item \(key) is not text")
            }
            return value
        case errSecItemNotFound:
            return nil
        default:
            throw KasirError.DeviceUnavailable(reason: "keychain read failed (OSStatus \(status))")
        }
    }

    public func write(key: String, value: String) throws {
        try delete(key: key)
        var item = query(key)
        item[kSecValueData as String] = Data(value.utf8)
        item[kSecAttrAccessible as String] = kSecAttrAccessibleAfterFirstUnlockThisDeviceOnly
        let status = SecItemAdd(item as CFDictionary, nil)
        guard status == errSecSuccess else {
            throw KasirError.DeviceUnavailable(reason: "keychain write failed (OSStatus \(status))")
        }
    }

    public func delete(key: String) throws {
        let status = SecItemDelete(query(key) as CFDictionary)
        guard status == errSecSuccess || status == errSecItemNotFound else {
            throw KasirError.DeviceUnavailable(reason: "keychain delete failed (OSStatus \(status))")
        }
    }
}
#endif

#if canImport(OSLog)
import OSLog

/// Sends the core's logs to the unified log (Console.app), one category per Rust module.
/// The core logs no personal data, tokens or card numbers, so messages are public.
public final class OSLogSink: LogSink {
    private let subsystem: String

    /// Logs under `subsystem`.
    public init(subsystem: String = "id.kasir.core") {
        self.subsystem = subsystem
    }

    public func log(record: LogRecord) {
        let logger = Logger(subsystem: subsystem, category: record.target)
        switch record.level {
        case .error: logger.error("\(record.message, privacy: .public)")
        case .warn: logger.warning("\(record.message, privacy: .public)")
        case .info: logger.info("\(record.message, privacy: .public)")
        case .debug: logger.debug("\(record.message, privacy: .public)")
        case .trace: logger.trace("\(record.message, privacy: .public)")
        }
    }
}
#endif

#if canImport(Network)
import Network

extension NSLock {
    /// Runs `body` with the lock held (`NSLocking.withLock` needs macOS 14 / iOS 17).
    fileprivate func locked<T>(_ body: () throws -> T) rethrows -> T {
        lock()
        defer { unlock() }
        return try body()
    }
}

/// Network reachability from `NWPathMonitor`: a path that becomes satisfied wakes background
/// sync at once.
public final class PathNetworkMonitor: NetworkMonitor, @unchecked Sendable {
    // @unchecked: the mutable state below is only touched with `lock` held.
    private let lock = NSLock()
    private let queue = DispatchQueue(label: "id.kasir.core.network")
    private var monitor: NWPathMonitor?
    private var reachable = true

    public init() {}

    public func isReachable() -> Bool {
        lock.locked { reachable }
    }

    public func start(listener: ReachabilityListener) {
        // A cancelled NWPathMonitor cannot be started again, so every start makes a new one.
        let monitor = NWPathMonitor()
        monitor.pathUpdateHandler = { [weak self] path in
            let reachable = path.status == .satisfied
            self?.lock.locked { self?.reachable = reachable }
            listener.changed(reachable: reachable)
        }
        lock.locked {
            self.monitor?.cancel()
            self.monitor = monitor
        }
        monitor.start(queue: queue)
    }

    public func stop() {
        lock.locked {
            monitor?.cancel()
            monitor = nil
        }
    }
}
#endif
