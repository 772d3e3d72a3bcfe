// The receipt of a completed sale: on screen, printed to the paired printer, shared (Kotlin
// `ReceiptViewModel`).

import Foundation
import KasirKit

/// The platform's way to a paired printer (a Bluetooth printer's write characteristic on iOS).
/// The bytes are the core's ESC/POS receipt for the printer's profile; a failure is thrown
/// (`KasirError.DeviceUnavailable`, or any error, whose description is shown).
public protocol ReceiptPrinter: AnyObject, Sendable {
    func send(_ printer: SavedPrinter, _ bytes: Data) async throws
}

/// What the share sheet gets: the receipt as text (the platform renders an image or a PDF
/// from it).
public struct ShareContent: Equatable, Sendable {
    public let subject: String
    public let text: String

    public init(subject: String, text: String) {
        self.subject = subject
        self.text = text
    }
}

/// The receipt screen.
public struct ReceiptState: Equatable, Sendable {
    public var receiptNumber: String
    /// The receipt as the core lays it out, in the store's language.
    public var text = ""
    public var totalText = ""
    public var changeText: String?
    /// The printer it prints on (the device's choice, else the first saved one).
    public var printer: SavedPrinter?
    public var printing = false
    public var printed = false
    public var message: UiMessage?
}

/// The receipt of a completed sale: shown, printed on the paired printer, shared.
@MainActor
public final class ReceiptViewModel: ViewModel<ReceiptState, NoEvent> {
    private let kasir: KasirStore
    public let language: Language
    private let printerPort: ReceiptPrinter?

    /// `printerName` is the printer chosen in the settings; the first saved one without it.
    public init(kasir: KasirStore, receiptNumber: String, language: Language,
                printerPort: ReceiptPrinter? = nil, printerName: String? = nil, columns: Int = 32) {
        self.kasir = kasir
        self.language = language
        self.printerPort = printerPort
        super.init(state: ReceiptState(receiptNumber: receiptNumber))
        do {
            let sale = try kasir.core.sale(receiptNumber: receiptNumber)
            let printers = try kasir.printers()
            let text = try kasir.receiptText(receiptNumber, columns: columns)
            let totalText = kasir.money(sale.total, language)
            let changeText = sale.change != 0 ? kasir.money(sale.change, language) : nil
            update {
                $0.text = text
                $0.totalText = totalText
                $0.changeText = changeText
                $0.printer = printers.first { $0.name == printerName } ?? printers.first
            }
        } catch {
            let message = UiMessage.of(error, language)
            update { $0.message = message }
        }
    }

    /// Prints the receipt on the printer: the core's bytes for its profile, sent by the platform.
    @discardableResult
    public func print() async -> Bool {
        guard let printer = state.printer, let printerPort else {
            update { $0.message = UiMessage.of(.noPrinter, language) }
            return false
        }
        update {
            $0.printing = true
            $0.printed = false
            $0.message = nil
        }
        do {
            let bytes = try kasir.receiptBytes(state.receiptNumber, profile: printer.profile)
            try await printerPort.send(printer, bytes)
            update {
                $0.printing = false
                $0.printed = true
            }
            return true
        } catch let error as KasirError {
            let message = UiMessage.of(error, language)
            update {
                $0.printing = false
                $0.message = message
            }
            return false
        } catch {
            let message = UiMessage(title: Label.errorDevice.text(language), detail: String(describing: error))
            update {
                $0.printing = false
                $0.message = message
            }
            return false
        }
    }

    /// The receipt for the share sheet.
    public func share() -> ShareContent {
        ShareContent(subject: "\(Label.receipt.text(language)) \(state.receiptNumber)", text: state.text)
    }
}
