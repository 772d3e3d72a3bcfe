// The receipt of a completed sale: on screen, printed to the paired printer, shared as text.

import Foundation
import KasirKit

/// Sends a receipt's ESC/POS bytes to a printer (on iOS, a Bluetooth printer's write
/// characteristic; in the tests, a list).
public protocol ReceiptPrinter: AnyObject, Sendable {
    /// The printer's name, for the screen.
    var name: String { get }
    /// Sends `bytes`; throws when the printer cannot be reached.
    func send(_ bytes: Data) async throws
}

/// What the receipt screen draws.
public struct ReceiptState: Equatable, Sendable {
    /// The receipt as the core writes it (the store's language, the printer's width).
    public var text = ""
    public var receiptNumber = ""
    public var printing = false
    public var printed = false
    public var message: UiMessage?
}

/// The receipt screen (Kotlin `ReceiptViewModel`).
@MainActor
public final class ReceiptViewModel: ViewModel<ReceiptState, NoEvent> {
    private let kasir: KasirStore
    private let language: Language
    private let printer: ReceiptPrinter?

    public init(kasir: KasirStore, receiptNumber: String, language: Language, printer: ReceiptPrinter?) {
        self.kasir = kasir
        self.language = language
        self.printer = printer
        super.init(state: ReceiptState(receiptNumber: receiptNumber))
        let text = attempt(language, { message in self.update { $0.message = message } }) {
            try kasir.receiptText(receiptNumber)
        }
        update { $0.text = text ?? "" }
    }

    /// Prints the receipt on the paired printer with the built-in profile `profile`
    /// (`generic-58`...).
    public func print(profile: String) async {
        guard let printer else {
            update { $0.message = UiMessage.of(.noPrinter, language) }
            return
        }
        let number = state.receiptNumber
        guard let bytes = attempt(language, { message in self.update { $0.message = message } }, {
            try kasir.receiptBytes(number, profile: profile)
        }) else { return }
        update {
            $0.printing = true
            $0.printed = false
            $0.message = nil
        }
        do {
            try await printer.send(bytes)
            update {
                $0.printing = false
                $0.printed = true
            }
        } catch {
            update {
                $0.printing = false
                $0.message = UiMessage.of(error, language)
            }
        }
    }

    /// The receipt as text for the share sheet (a chat message, an email).
    public func shareText() -> String {
        state.text
    }
}
