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

    /// The message of a refused call into the core (or of another error, as a last resort), in
    /// `language`: the variant's title and its detail template filled with its fields. The
    /// fields the core writes in English (what was looked for, the field, the reason) are put in
    /// `language` when the string table has their words (the `WHAT_`, `FIELD_` and `REASON_`
    /// labels); a reason without a template stays the core's English. Amounts inside a reason
    /// are written again by `money` (the core's `formatMoney`) when given.
    public static func of(_ error: Error, _ language: Language, money: ((Decimal) -> String)? = nil) -> UiMessage {
        guard let error = error as? KasirError else {
            return UiMessage(title: Label.errorInternal.text(language), detail: String(describing: error))
        }
        let (title, detail) = ErrorTemplates.of(error)
        let words = ErrorWords(language: language, money: money)
        let text: String
        switch error {
        case .NotFound(let what, let key):
            text = detail.format(language, words.what(what), key)
        case .InvalidInput(let field, let reason):
            text = detail.format(language, words.field(field), words.reason(reason))
        case .NotAllowed(let reason), .Declined(let reason), .DeviceUnavailable(let reason),
             .Storage(let reason), .Network(let reason), .Internal(let reason):
            text = detail.format(language, words.reason(reason))
        case .NotEnrolled, .Cancelled:
            text = detail.text(language)
        }
        return UiMessage(title: title.text(language), detail: text, field: error.field)
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

/// Runs `call` into the core; a refusal becomes a ``UiMessage`` (its amounts written by `money`
/// when given) given to `onError` and the result is nil.
func attempt<T>(_ language: Language, _ onError: (UiMessage) -> Void, money: ((Decimal) -> String)? = nil,
                _ call: () throws -> T) -> T? {
    do {
        return try call()
    } catch {
        onError(UiMessage.of(error, language, money: money))
        return nil
    }
}

/// The title and the detail template of each variant of the core's error.
public enum ErrorTemplates {
    public static func of(_ error: KasirError) -> (title: Label, detail: Label) {
        switch error {
        case .NotFound: return (.errorNotFound, .errorNotFoundDetail)
        case .InvalidInput: return (.errorInvalid, .errorInvalidDetail)
        case .NotAllowed: return (.errorNotAllowed, .errorNotAllowedDetail)
        case .Declined: return (.errorDeclined, .errorDeclinedDetail)
        case .DeviceUnavailable: return (.errorDevice, .errorDeviceDetail)
        case .Storage: return (.errorStorage, .errorStorageDetail)
        case .Network: return (.errorNetwork, .errorNetworkDetail)
        case .NotEnrolled: return (.errorNotEnrolled, .errorNotEnrolledDetail)
        case .Cancelled: return (.errorCancelled, .errorCancelledDetail)
        case .Internal: return (.errorInternal, .errorInternalDetail)
        }
    }

    /// The arguments of a reason template that are amounts of money (written by the core); the
    /// same as the Kotlin `ErrorTemplates.amountArguments`.
    public static let amountArguments: [Label: Set<Int>] = [
        .reasonDiscountTooLarge: [0, 1], .reasonCardOverDue: [0, 1], .reasonQrOverDue: [0, 1],
        .reasonPaymentMismatch: [0, 1],
    ]
}

/// The core's English words of an error's fields in `language` (Kotlin `ErrorWords`): a field's
/// text is matched, whole, against the English text of each label of a group (`{0}`...
/// standing for any text), and the matching label's text in `language` is filled with what the
/// placeholders stood for.
struct ErrorWords {
    let language: Language
    let money: ((Decimal) -> String)?

    func what(_ text: String) -> String { translate(text, "WHAT_") }
    func field(_ text: String) -> String { translate(text, "FIELD_") }
    func reason(_ text: String) -> String { translate(text, "REASON_") }

    private func translate(_ text: String, _ group: String) -> String {
        for label in Label.allCases where label.rawValue.hasPrefix(group) {
            guard let found = Self.match(Substring(text), Self.parts(label.text(.en))[...]) else { continue }
            let amounts = ErrorTemplates.amountArguments[label] ?? []
            let arguments = found.enumerated().map { index, argument in
                guard amounts.contains(index), let money, let amount = Self.amount(argument) else { return argument }
                return money(amount)
            }
            var result = label.text(language)
            for (index, argument) in arguments.enumerated() {
                result = result.replacingOccurrences(of: "{\(index)}", with: argument)
            }
            return result
        }
        return text
    }

    /// The literal texts between the placeholders of `template` (`{0} of {1}` is `["", " of ", ""]`);
    /// the placeholders are in order, `{0}` first.
    static func parts(_ template: String) -> [String] {
        var parts: [String] = []
        var current = ""
        var rest = Substring(template)
        while let open = rest.firstIndex(of: "{") {
            current += rest[..<open]
            let after = rest[rest.index(after: open)...]
            if let close = after.firstIndex(of: "}"), !after[..<close].isEmpty,
               after[..<close].allSatisfy(\.isASCIIDigitCharacter) {
                parts.append(current)
                current = ""
                rest = after[after.index(after: close)...]
            } else {
                current += "{"
                rest = after
            }
        }
        parts.append(current + rest)
        return parts
    }

    /// `text` matched whole against `parts` with one non-empty argument between each two, the
    /// shortest first (like the Kotlin pattern's `(.+?)`); the arguments, or nil.
    static func match(_ text: Substring, _ parts: ArraySlice<String>) -> [String]? {
        guard let first = parts.first, text.hasPrefix(first) else { return nil }
        let rest = text.dropFirst(first.count)
        let tail = parts.dropFirst()
        if tail.isEmpty { return rest.isEmpty ? [] : nil }
        var end = rest.startIndex
        while end < rest.endIndex {
            end = rest.index(after: end)
            if let more = match(rest[end...], tail) { return [String(rest[..<end])] + more }
        }
        return nil
    }

    /// A plain decimal number (`-2500`, `11500.5`), as the core writes one in a reason.
    static func amount(_ text: String) -> Decimal? {
        let digits = text.hasPrefix("-") ? text.dropFirst() : Substring(text)
        let pieces = digits.split(separator: ".", omittingEmptySubsequences: false)
        guard (1...2).contains(pieces.count), pieces.allSatisfy({ !$0.isEmpty && $0.allSatisfy(\.isASCIIDigitCharacter) })
        else { return nil }
        return Decimal(string: text, locale: Foundation.Locale(identifier: "en_US_POSIX"))
    }
}

extension Character {
    fileprivate var isASCIIDigitCharacter: Bool { isASCII && isNumber }
}
