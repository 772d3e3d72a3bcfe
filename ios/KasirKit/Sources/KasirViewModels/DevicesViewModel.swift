// Printers and readers: Bluetooth scanning and pairing, with clear messages when Bluetooth is
// off or denied. The platform (CoreBluetooth on iOS) reports what it sees; the view model keeps
// the screen's state and saves paired printers in the core.

import Foundation
import KasirKit

/// Where Bluetooth stands on this device.
public enum BluetoothState: Equatable, Sendable {
    /// Not known yet (the system has not answered).
    case unknown
    /// Switched off.
    case off
    /// The clerk (or the device's policy) did not allow Kasir to use it.
    case denied
    /// The device has no Bluetooth.
    case unavailable
    /// On and allowed.
    case ready
}

/// A device seen by a Bluetooth scan.
public struct FoundDevice: Equatable, Sendable {
    public let name: String
    /// Its address (on iOS, the peripheral's identifier).
    public let address: String

    public init(name: String, address: String) {
        self.name = name
        self.address = address
    }
}

/// What the printers and readers screen draws.
public struct DevicesState: Equatable, Sendable {
    public var bluetooth: BluetoothState = .unknown
    /// The explanation for `bluetooth` when it stops scanning (off, denied, unavailable).
    public var bluetoothText: String?
    public var scanning = false
    public var found: [FoundDevice] = []
    public var printers: [SavedPrinter] = []
    /// The built-in printer profiles, for the pairing choice.
    public var profiles: [String] = []
    public var message: UiMessage?
}

/// The printers and readers screen (Kotlin `DevicesViewModel`).
@MainActor
public final class DevicesViewModel: ViewModel<DevicesState, NoEvent> {
    private let kasir: KasirStore
    private let language: Language

    public init(kasir: KasirStore, language: Language) {
        self.kasir = kasir
        self.language = language
        super.init(state: DevicesState())
        refresh()
    }

    /// Reads the saved printers and the profiles again.
    public func refresh() {
        let printers = attempt(language, fail) { try kasir.printers() } ?? []
        let profiles = kasir.printerProfiles()
        update {
            $0.printers = printers
            $0.profiles = profiles
        }
    }

    /// The platform reports Bluetooth's state; scanning stops unless it is ready.
    public func bluetoothChanged(_ bluetooth: BluetoothState) {
        let text: String? = switch bluetooth {
        case .off: Label.bluetoothOff.text(language)
        case .denied: Label.bluetoothDenied.text(language)
        case .unavailable: Label.bluetoothUnavailable.text(language)
        case .unknown, .ready: nil
        }
        update {
            $0.bluetooth = bluetooth
            $0.bluetoothText = text
            if bluetooth != .ready { $0.scanning = false }
        }
    }

    /// The platform started a scan.
    public func scanStarted() {
        update {
            $0.scanning = $0.bluetooth == .ready
            $0.found = []
        }
    }

    /// The scan saw `device` (each address listed once, under its latest name).
    public func deviceFound(_ device: FoundDevice) {
        update {
            if let index = $0.found.firstIndex(where: { $0.address == device.address }) {
                $0.found[index] = device
            } else {
                $0.found.append(device)
            }
        }
    }

    /// The platform stopped the scan.
    public func scanStopped() {
        update { $0.scanning = false }
    }

    /// Pairs `device` as a printer with `profile`, saved in the core under the device's name.
    @discardableResult
    public func pair(_ device: FoundDevice, profile: String) -> Bool {
        let printer = SavedPrinter(name: device.name, target: "bt:\(device.address)", profile: profile)
        guard attempt(language, fail, { try kasir.savePrinter(printer) }) != nil else { return false }
        refresh()
        update { $0.message = UiMessage.of(.paired, language) }
        return true
    }

    private func fail(_ message: UiMessage) {
        update { $0.message = message }
    }
}
