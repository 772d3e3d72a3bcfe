// Printers and card readers: Bluetooth's availability from the platform's port, the scan,
// pairing a printer (Kotlin `DevicesViewModel`). The platform (CoreBluetooth on iOS, see
// KasirApp/Sources/CoreBluetoothPort.swift) implements `BluetoothPort`.

import Foundation
import KasirKit

/// Where Bluetooth stands for the app. The platform's port reports all but `scanning`, which is
/// the view model's own: a scan it started and the port has not ended.
public enum BluetoothState: Equatable, Sendable, CaseIterable {
    /// No Bluetooth LE on this device (or no port on this platform).
    case unsupported
    /// The adapter is off.
    case off
    /// The app has not asked for the Bluetooth permission yet.
    case permissionNotAsked
    /// The clerk refused the permission; the system still lets the app ask again.
    case denied
    /// The permission is refused for good: only the system settings can grant it now.
    case deniedPermanently
    /// On and allowed: the app may scan and pair.
    case ready
    /// A scan is running.
    case scanning
}

/// What the clerk can do about Bluetooth from the devices screen.
public enum BluetoothAction: Equatable, Sendable {
    case turnOn, askPermission, openSettings

    public var label: Label {
        switch self {
        case .turnOn: .turnOnBluetooth
        case .askPermission: .allowBluetooth
        case .openSettings: .openSettings
        }
    }
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

/// What the platform's port tells the view model; called on the main actor.
@MainActor
public protocol BluetoothListener: AnyObject {
    /// The adapter was turned on or off, or the permission was answered or changed in the settings.
    func availabilityChanged(_ availability: BluetoothState)
    /// The running scan saw `device` (again, perhaps).
    func deviceFound(_ device: FoundDevice)
    /// The running scan ended: its time was up, it was stopped, or it `failed`.
    func scanStopped(failed: Bool)
}

/// The platform's Bluetooth: adapter state, permission and the scan. The view model asks; the
/// answers come back through the listener given to `observe`.
@MainActor
public protocol BluetoothPort: AnyObject {
    /// Where Bluetooth stands now: any state but `scanning`.
    var availability: BluetoothState { get }
    /// Sends what happens to `listener` from now on; nil stops (the latest listener replaces the one before).
    func observe(_ listener: BluetoothListener?)
    /// Shows the system's permission prompt.
    func requestPermission()
    /// Asks the system to turn Bluetooth on.
    func requestEnable()
    /// Opens the app's page in the system settings, where a refused permission can be granted.
    func openSettings()
    /// Starts a scan for printers and card readers; false when the platform refused to start one.
    func startScan() -> Bool
    /// Ends the running scan (a `scanStopped` follows).
    func stopScan()
}

/// The printers and readers screen.
public struct DevicesState: Equatable, Sendable {
    public var bluetooth: BluetoothState = .unsupported
    /// What to tell the clerk about Bluetooth (missing, off, not allowed), or nil when it is usable.
    public var bluetoothMessage: String?
    /// The way out of `bluetooth`, if there is one, with its button's text.
    public var bluetoothAction: BluetoothAction?
    public var bluetoothActionText: String?
    public var found: [FoundDevice] = []
    /// The printers saved in the store, by name.
    public var printers: [SavedPrinter] = []
    /// The core's built-in printer profiles (`generic-58`, `generic-80`...).
    public var profiles: [String] = []
    public var message: UiMessage?

    /// A scan is running.
    public var searching: Bool { bluetooth == .scanning }
    /// Whether a scan may start now.
    public var canSearch: Bool { bluetooth == .ready }
    /// Whether a found device may be paired now (Bluetooth on and allowed).
    public var canPair: Bool { bluetooth == .ready || bluetooth == .scanning }
}

/// Printers and card readers. Bluetooth's availability comes from the platform's `bluetooth`
/// port (none: `.unsupported`); the screen shows its message and the one action that helps,
/// and scanning and pairing are refused until it is ready. Pairing a printer saves it in the
/// store with one of the core's profiles, under the target `bt:ADDRESS`. `close()` ends a
/// running scan and stops listening to the port.
@MainActor
public final class DevicesViewModel: ViewModel<DevicesState, NoEvent> {
    private let kasir: KasirStore
    public let language: Language
    private let bluetooth: BluetoothPort?
    private var listener: Listener?

    public init(kasir: KasirStore, language: Language, bluetooth: BluetoothPort? = nil) {
        self.kasir = kasir
        self.language = language
        self.bluetooth = bluetooth
        super.init(state: DevicesState(profiles: kasir.printerProfiles()))
        refresh()
        if let bluetooth {
            let listener = Listener(self)
            self.listener = listener
            bluetooth.observe(listener)
            availabilityChanged(bluetooth.availability)
        } else {
            availabilityChanged(.unsupported)
        }
    }

    /// The port's listener; weak, so the port never keeps the view model alive.
    @MainActor
    private final class Listener: BluetoothListener {
        weak var model: DevicesViewModel?

        init(_ model: DevicesViewModel) {
            self.model = model
        }

        func availabilityChanged(_ availability: BluetoothState) {
            model?.availabilityChanged(availability)
        }

        func deviceFound(_ device: FoundDevice) {
            model?.update { state in
                // A late result of a scan that has ended is dropped.
                guard state.bluetooth == .scanning else { return }
                state.found = state.found.filter { $0.address != device.address } + [device]
            }
        }

        func scanStopped(failed: Bool) {
            guard let model else { return }
            model.update { state in
                if state.bluetooth == .scanning { model.apply(.ready, to: &state) }
                if failed { state.message = UiMessage.of(.bluetoothScanFailed, model.language) }
            }
        }
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

    /// The clerk's text and way out for each state.
    private func apply(_ bluetooth: BluetoothState, to state: inout DevicesState) {
        let (message, action): (Label?, BluetoothAction?) = switch bluetooth {
        case .unsupported: (.bluetoothUnavailable, nil)
        case .off: (.bluetoothOff, .turnOn)
        case .permissionNotAsked: (.bluetoothNotAsked, .askPermission)
        case .denied: (.bluetoothDenied, .askPermission)
        case .deniedPermanently: (.bluetoothDeniedPermanently, .openSettings)
        case .ready, .scanning: (nil, nil)
        }
        state.bluetooth = bluetooth
        state.bluetoothMessage = message?.text(language)
        state.bluetoothAction = action
        state.bluetoothActionText = action?.label.text(language)
        // Devices found before Bluetooth went away cannot be paired: they go with it.
        if !state.canPair { state.found = [] }
    }

    private func availabilityChanged(_ availability: BluetoothState) {
        update { state in
            // A scan goes on while the port says Bluetooth is ready; anything else has ended it.
            let next: BluetoothState = availability == .ready && state.bluetooth == .scanning ? .scanning : availability
            apply(next, to: &state)
        }
    }

    /// Does what `state.bluetoothAction` offers: turn on, ask for the permission, open the settings.
    public func bluetoothAction() {
        guard let bluetooth else { return }
        switch state.bluetoothAction {
        case .turnOn: bluetooth.requestEnable()
        case .askPermission: bluetooth.requestPermission()
        case .openSettings: bluetooth.openSettings()
        case nil: break
        }
    }

    /// Starts a scan when Bluetooth is ready, clearing the earlier results; false when it did not start.
    @discardableResult
    public func search() -> Bool {
        guard let bluetooth, state.canSearch else { return false }
        guard bluetooth.startScan() else {
            fail(UiMessage.of(.bluetoothScanFailed, language))
            return false
        }
        update {
            apply(.scanning, to: &$0)
            $0.found = []
            $0.message = nil
        }
        return true
    }

    /// Ends the running scan.
    public func stopSearch() {
        if state.searching { bluetooth?.stopScan() }
    }

    /// Saves `device` as the printer `name` with `profile`; the store checks both. Refused while
    /// Bluetooth is not usable (the screen says why).
    @discardableResult
    public func pairPrinter(_ device: FoundDevice, name: String, profile: String) -> Bool {
        guard state.canPair else {
            fail(UiMessage(title: Label.errorNotAllowed.text(language), detail: state.bluetoothMessage))
            return false
        }
        let printer = SavedPrinter(name: name, target: "bt:\(device.address)", profile: profile)
        guard attempt(language, fail, { try kasir.savePrinter(printer) }) != nil else { return false }
        update { $0.message = nil }
        refresh()
        return true
    }

    /// Hides the message.
    public func dismissMessage() {
        update { $0.message = nil }
    }

    /// Ends a running scan and stops listening to the port.
    public func close() {
        stopSearch()
        bluetooth?.observe(nil)
        listener = nil
    }
}
