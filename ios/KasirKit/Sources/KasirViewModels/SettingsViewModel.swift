// Settings: the store's name and receipt language (in the core, for every device of the store),
// this device's language and receipt printer (on the device).

import Foundation
import KasirKit

/// What this device remembers for itself (on iOS, `UserDefaults`).
public protocol DevicePreferences: AnyObject {
    /// The language of this device's screens, when the clerk chose one.
    var language: Language? { get set }
    /// The name of the saved printer receipts go to.
    var defaultPrinter: String? { get set }
}

/// Preferences in memory (previews and tests).
public final class MemoryPreferences: DevicePreferences {
    public var language: Language?
    public var defaultPrinter: String?

    public init(language: Language? = nil, defaultPrinter: String? = nil) {
        self.language = language
        self.defaultPrinter = defaultPrinter
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

    public var defaultPrinter: String? {
        get { defaults.string(forKey: "kasir.defaultPrinter") }
        set { defaults.set(newValue, forKey: "kasir.defaultPrinter") }
    }
}

/// What the settings screen draws.
public struct SettingsState: Equatable, Sendable {
    public var storeName = ""
    /// The language receipts are printed in (the store's).
    public var receiptLanguage: Language = .id
    /// The language of this device's screens.
    public var deviceLanguage: Language = .id
    public var printers: [SavedPrinter] = []
    public var defaultPrinter: String?
    public var message: UiMessage?
}

/// The settings screen (Kotlin `SettingsViewModel`). Changing the device's language takes
/// effect when the app makes its screens again (`onLanguage` tells it).
@MainActor
public final class SettingsViewModel: ViewModel<SettingsState, NoEvent> {
    private let kasir: KasirStore
    private var language: Language
    private let preferences: DevicePreferences
    private let onLanguage: (Language) -> Void

    public init(kasir: KasirStore, language: Language, preferences: DevicePreferences,
                onLanguage: @escaping (Language) -> Void = { _ in }) {
        self.kasir = kasir
        self.language = language
        self.preferences = preferences
        self.onLanguage = onLanguage
        super.init(state: SettingsState())
        refresh()
    }

    /// Reads the settings again.
    public func refresh() {
        let settings = attempt(language, fail) { try kasir.core.settings() }
        let printers = attempt(language, fail) { try kasir.printers() } ?? []
        let deviceLanguage = preferences.language ?? language
        let defaultPrinter = preferences.defaultPrinter
        update {
            if let settings {
                $0.storeName = settings.name
                $0.receiptLanguage = Language.of(settings.locale)
            }
            $0.deviceLanguage = deviceLanguage
            $0.printers = printers
            $0.defaultPrinter = defaultPrinter
        }
    }

    /// Renames the store (printed at the top of receipts); the core refuses a blank name.
    @discardableResult
    public func setStoreName(_ name: String) -> Bool {
        change { $0.name = name.trimmingCharacters(in: .whitespaces) }
    }

    /// The language of the store's receipts (and the amounts on them).
    @discardableResult
    public func setReceiptLanguage(_ receiptLanguage: Language) -> Bool {
        change { $0.locale = receiptLanguage.core }
    }

    /// The language of this device's screens.
    public func setDeviceLanguage(_ deviceLanguage: Language) {
        preferences.language = deviceLanguage
        language = deviceLanguage
        update {
            $0.deviceLanguage = deviceLanguage
            $0.message = UiMessage.of(.saved, deviceLanguage)
        }
        onLanguage(deviceLanguage)
    }

    /// The saved printer receipts go to; nil for none. A name that is not saved is refused.
    @discardableResult
    public func setDefaultPrinter(_ name: String?) -> Bool {
        if let name, !state.printers.contains(where: { $0.name == name }) {
            fail(UiMessage.of(KasirError.NotFound(what: "printer", key: name), language))
            return false
        }
        preferences.defaultPrinter = name
        update {
            $0.defaultPrinter = name
            $0.message = UiMessage.of(.saved, language)
        }
        return true
    }

    /// Changes the store's settings through the core, which checks them first (the message
    /// names the setting at fault and nothing changes).
    private func change(_ edit: (inout StoreSettings) -> Void) -> Bool {
        let saved = attempt(language, fail) { () throws -> Bool in
            var settings = try kasir.core.settings()
            edit(&settings)
            try kasir.updateSettings(settings)
            return true
        }
        guard saved != nil else { return false }
        refresh()
        update { $0.message = UiMessage.of(.saved, language) }
        return true
    }

    private func fail(_ message: UiMessage) {
        update { $0.message = message }
    }
}
