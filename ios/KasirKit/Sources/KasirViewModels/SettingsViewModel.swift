// Settings: the store's name and receipt language (in the store), this device's language and
// receipt printer (on the device) (Kotlin `SettingsViewModel`).

import Foundation
import KasirKit

/// What this device keeps for itself, outside the store: its language and its receipt printer
/// (UserDefaults on iOS; ``MemoryPreferences`` in tests).
public protocol DevicePreferences: AnyObject {
    var language: Language? { get set }
    var printerName: String? { get set }
}

/// Preferences in memory.
public final class MemoryPreferences: DevicePreferences {
    public var language: Language?
    public var printerName: String?

    public init(language: Language? = nil, printerName: String? = nil) {
        self.language = language
        self.printerName = printerName
    }
}

/// Preferences in `UserDefaults`.
public final class DefaultsPreferences: DevicePreferences {
    private let defaults: UserDefaults

    public init(defaults: UserDefaults = .standard) {
        self.defaults = defaults
    }

    public var language: Language? {
        get { defaults.string(forKey: "kasir.language").flatMap(Language.init(rawValue:)) }
        set { defaults.set(newValue?.rawValue, forKey: "kasir.language") }
    }

    public var printerName: String? {
        get { defaults.string(forKey: "kasir.printer") }
        set { defaults.set(newValue, forKey: "kasir.printer") }
    }
}

/// The settings screen.
public struct SettingsState: Equatable, Sendable {
    public var storeName = ""
    /// The store's language: receipts are printed in it.
    public var receiptLanguage: Language = .id
    /// The app's labels on this device.
    public var deviceLanguage: Language = .en
    public var currency = ""
    public var printers: [SavedPrinter] = []
    public var printerName: String?
    public var saved = false
    public var message: UiMessage?
}

/// The store's name and receipt language (in the store), the device's language and printer.
@MainActor
public final class SettingsViewModel: ViewModel<SettingsState, NoEvent> {
    private let kasir: KasirStore
    private let preferences: DevicePreferences

    /// The labels' language now.
    public var language: Language { state.deviceLanguage }

    /// `deviceLocale` is the device's locale tag (`id-ID`), for the language when none was chosen.
    public init(kasir: KasirStore, preferences: DevicePreferences, deviceLocale: String) {
        self.kasir = kasir
        self.preferences = preferences
        super.init(state: SettingsState(
            deviceLanguage: preferences.language ?? Language.forDevice(deviceLocale),
            printerName: preferences.printerName))
        refresh()
    }

    /// Reads the store's settings and printers again.
    public func refresh() {
        _ = attempt(language, fail) {
            let settings = try kasir.core.settings()
            let printers = try kasir.printers()
            update {
                $0.storeName = settings.name
                $0.receiptLanguage = Language.of(settings.locale)
                $0.currency = settings.currency
                $0.printers = printers
            }
        }
    }

    private func fail(_ message: UiMessage) {
        update {
            $0.message = message
            $0.saved = false
        }
    }

    private func save(_ change: (inout StoreSettings) -> Void) -> Bool {
        let done = attempt(language, fail) {
            var settings = try kasir.core.settings()
            change(&settings)
            try kasir.updateSettings(settings)
        } != nil
        if done {
            update {
                $0.saved = true
                $0.message = nil
            }
            refresh()
        }
        return done
    }

    /// Renames the store (printed at the top of receipts); the core refuses a blank name.
    @discardableResult
    public func setStoreName(_ name: String) -> Bool {
        save { $0.name = name.trimmingCharacters(in: .whitespaces) }
    }

    /// Sets the language receipts are printed in.
    @discardableResult
    public func setReceiptLanguage(_ language: Language) -> Bool {
        save { $0.locale = language.core }
    }

    /// Sets the language of this device's labels.
    public func setDeviceLanguage(_ language: Language) {
        preferences.language = language
        update {
            $0.deviceLanguage = language
            $0.saved = true
            $0.message = nil
        }
    }

    /// Chooses the receipt printer among the saved ones.
    @discardableResult
    public func setPrinter(_ name: String?) -> Bool {
        if let name, !state.printers.contains(where: { $0.name == name }) {
            fail(UiMessage(title: Label.errorNotFound.text(language), detail: "printer `\(name)`", field: "printer"))
            return false
        }
        preferences.printerName = name
        update {
            $0.printerName = name
            $0.saved = true
            $0.message = nil
        }
        return true
    }
}
