// The device's language, the labels' formatting, and the messages of refused calls: the same
// rules as the Kotlin `Language`, `Label` and `UiMessage` (android/.../id/kasir/ui/Strings.kt).

import Foundation
import KasirKit

/// The language of the app's own labels, chosen per device (receipts follow the store's).
public enum Language: String, CaseIterable, Sendable {
    case en
    case id

    /// The language for a device's locale tag (`id-ID`, `in_ID`, `en-US`): Indonesian for
    /// Indonesian (old systems still report the code `in`), English otherwise.
    public static func forDevice(_ tag: String) -> Language {
        let primary = tag.trimmingCharacters(in: .whitespaces).lowercased()
            .split(whereSeparator: { $0 == "-" || $0 == "_" }).first.map(String.init) ?? ""
        return primary == "id" || primary == "in" ? .id : .en
    }

    /// The core's locale of this language (how amounts are grouped: `Rp 12.500` / `Rp 12,500`).
    public var core: KasirCore.Locale {
        switch self {
        case .en: return .en
        case .id: return .id
        }
    }

    /// The language of the core's locale.
    public static func of(_ locale: KasirCore.Locale) -> Language {
        switch locale {
        case .en: return .en
        case .id: return .id
        }
    }
}

extension Label {
    /// The label in `language`.
    public func text(_ language: Language) -> String {
        language == .id ? texts.id : texts.en
    }

    /// The label in `language` with `{0}`, `{1}`... replaced by `arguments`.
    public func format(_ language: Language, _ arguments: String...) -> String {
        var text = text(language)
        for (index, argument) in arguments.enumerated() {
            text = text.replacingOccurrences(of: "{\(index)}", with: argument)
        }
        return text
    }
}

/// A message a screen shows: a `title` in the device's language and the core's `detail` (which
/// names the input at fault), with the `field` at fault when there is one, for the screen to
/// mark.
public struct UiMessage: Equatable, Sendable {
    public let title: String
    public let detail: String?
    public let field: String?

    public init(title: String, detail: String?, field: String? = nil) {
        self.title = title
        self.detail = detail
        self.field = field
    }

    /// Title and detail on one line.
    public var text: String {
        guard let detail, !detail.isEmpty else { return title }
        return "\(title): \(detail)"
    }

    /// The message of a refused call into the core (or of another error, as a last resort).
    public static func of(_ error: Error, _ language: Language) -> UiMessage {
        guard let error = error as? KasirError else {
            return UiMessage(title: Label.errorInternal.text(language), detail: String(describing: error))
        }
        switch error {
        case .NotFound(let what, let key):
            return UiMessage(title: Label.errorNotFound.text(language), detail: "\(what) `\(key)`")
        case .InvalidInput(let field, let reason):
            return UiMessage(title: Label.errorInvalid.text(language), detail: "\(field): \(reason)", field: field)
        case .NotAllowed(let reason):
            return UiMessage(title: Label.errorNotAllowed.text(language), detail: reason)
        case .Declined(let reason):
            return UiMessage(title: Label.errorDeclined.text(language), detail: reason)
        case .DeviceUnavailable(let reason):
            return UiMessage(title: Label.errorDevice.text(language), detail: reason)
        case .Storage(let reason):
            return UiMessage(title: Label.errorStorage.text(language), detail: reason)
        case .Network(let reason):
            return UiMessage(title: Label.errorNetwork.text(language), detail: reason)
        case .NotEnrolled:
            return UiMessage(title: Label.errorNotEnrolled.text(language), detail: nil)
        case .Cancelled:
            return UiMessage(title: Label.errorCancelled.text(language), detail: nil)
        case .Internal(let reason):
            return UiMessage(title: Label.errorInternal.text(language), detail: reason)
        }
    }

    /// A message of the app's own, from the string table.
    public static func of(_ label: Label, _ language: Language, _ arguments: String...) -> UiMessage {
        var text = label.text(language)
        for (index, argument) in arguments.enumerated() {
            text = text.replacingOccurrences(of: "{\(index)}", with: argument)
        }
        return UiMessage(title: text, detail: nil)
    }
}

/// Runs `call` into the core; a refusal becomes a ``UiMessage`` given to `onError` and the
/// result is nil.
func attempt<T>(_ language: Language, _ onError: (UiMessage) -> Void, _ call: () throws -> T) -> T? {
    do {
        return try call()
    } catch {
        onError(UiMessage.of(error, language))
        return nil
    }
}
