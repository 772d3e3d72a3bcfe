// Printers and card readers: Bluetooth state, the platform's scan, pairing a printer (Kotlin
// `DevicesViewModel`). The platform (CoreBluetooth on iOS) runs the permission flow and the
// scan and reports them here.

import Foundation
import KasirKit

/// Where Bluetooth stands, as the platform layer reports it.
public enum BluetoothState: Equatable, Sendable {
    case unknown, unavailable, off, denied, ready
}

/// What a nearby device is, as far as the platform can tell.
public enum DeviceKind: Equatable, Sendable {
    case printer, cardReader, other
}

/// A device found by the platform's Bluetooth scan.
public struct FoundDevice: Equatable, Sendable {
    public let name: String
    public let address: String
    public let kind: DeviceKind

    public init(name: String, address: String, kind: DeviceKind = .printer) {
        self.name = name
        self.address = address
        self.kind = kind
    }
}

/// The printers and readers screen.
public struct DevicesState: Equatable, Sendable {
    public var bluetooth: BluetoothState = .unknown
    /// What to tell the clerk about Bluetooth (off, denied, missing), or nil when it is ready.
    public var bluetoothMessage: String?
    public var searching = false
    public var found: [FoundDevice] = []
    /// The printers saved in the store, by name.
    public var printers: [SavedPrinter] = []
    /// The core's built-in printer profiles (`generic-58`, `generic-80`...).
    public var profiles: [String] = []
    public var message: UiMessage?
}

/// Printers and card readers. Pairing a printer saves it in the store with one of the core's
/// profiles, under the target `bt:ADDRESS`.
@MainActor
public final class DevicesViewModel: ViewModel<DevicesState, NoEvent> {
    private let kasir: KasirStore
    public let language: Language

    public init(kasir: KasirStore, language: Language) {
        self.kasir = kasir
        self.language = language
        super.init(state: DevicesState(profiles: kasir.printerProfiles()))
        refresh()
    }

    private func fail(_ message: UiMessage) {
        update { $0.message = message }
    }

    /// Reads the saved printers again.
    public func refresh() {
        if let printers = attempt(language, fail, { try kasir.printers() }) {
            update { $0.printers = printers }
        }
    }

    /// The platform's Bluetooth state changed (adapter off, permission denied or granted).
    public func bluetoothChanged(_ bluetooth: BluetoothState) {
        let message: String? = switch bluetooth {
        case .off: Label.bluetoothOff.text(language)
        case .denied: Label.bluetoothDenied.text(language)
        case .unavailable: Label.bluetoothUnavailable.text(language)
        case .unknown, .ready: nil
        }
        update {
            $0.bluetooth = bluetooth
            $0.bluetoothMessage = message
            $0.searching = $0.searching && bluetooth == .ready
        }
    }

    /// The platform started a scan; earlier results are cleared.
    public func searchStarted() {
        update {
            if $0.bluetooth == .ready {
                $0.searching = true
                $0.found = []
            }
        }
    }

    /// The platform's scan found `device` (reported again as it is seen again: kept once).
    public func deviceFound(_ device: FoundDevice) {
        update { $0.found = $0.found.filter { $0.address != device.address } + [device] }
    }

    /// The platform's scan ended.
    public func searchStopped() {
        update { $0.searching = false }
    }

    /// Saves `device` as the printer `name` with `profile`; the store checks both.
    @discardableResult
    public func pairPrinter(_ device: FoundDevice, name: String, profile: String) -> Bool {
        let printer = SavedPrinter(name: name, target: "bt:\(device.address)", profile: profile)
        guard attempt(language, fail, { try kasir.savePrinter(printer) }) != nil else { return false }
        update { $0.message = nil }
        refresh()
        return true
    }
}
