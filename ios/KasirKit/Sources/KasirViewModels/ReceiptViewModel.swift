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

/// What the share sheet gets: the receipt as text.
public struct ShareContent: Equatable, Sendable {
    public let subject: String
    public let text: String

    public init(subject: String, text: String) {
        self.subject = subject
        self.text = text
    }
}

/// A file to share: `data` under `fileName` (`struk-D01-000042.png`), of type `mimeType`.
public struct SharedFile: Equatable, Sendable {
    public let fileName: String
    public let mimeType: String
    public let data: Data

    public init(fileName: String, mimeType: String, data: Data) {
        self.fileName = fileName
        self.mimeType = mimeType
        self.data = data
    }
}

/// The platform's way to share a receipt: the share sheet on a phone
/// (`UIActivityViewController` on iOS, a FileProvider and `Intent.ACTION_SEND` on Android), a
/// folder and the clipboard on the desktop, a recording in tests. A failure is thrown; its
/// description is shown.
public protocol ReceiptSharePort: AnyObject, Sendable {
    /// Offers `file` (the core's PNG or PDF of the receipt) to be sent or saved. Returns where
    /// the file went when the platform itself does not show it (a saved file's path, shown on
    /// the screen), else nil (a share sheet shows its own).
    func shareFile(_ file: SharedFile) async throws -> String?

    /// Offers `url` (the receipt's public link) under `subject` (`Struk D01-000042`).
    func shareLink(subject: String, url: String) async throws
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
    /// The receipt's public link once `sendLink()` asked for it (shown as text and a QR code).
    public var link: String?
    /// A picture or PDF of the receipt is being made or handed to the share sheet.
    public var sharing = false
    /// Where the last shared file was saved, when the platform says.
    public var savedTo: String?
    public var message: UiMessage?
}

/// The receipt of a completed sale: shown, printed on the paired printer, shared.
@MainActor
public final class ReceiptViewModel: ViewModel<ReceiptState, NoEvent> {
    private let kasir: KasirStore
    public let language: Language
    private let printerPort: ReceiptPrinter?
    private let sharePort: ReceiptSharePort?
    private let columns: Int

    /// `printerName` is the printer chosen in the settings; the first saved one without it.
    /// `sharePort` is where `shareImage()` and `sharePdf()` hand the receipt's file and
    /// `sendLink()` its link.
    public init(kasir: KasirStore, receiptNumber: String, language: Language,
                printerPort: ReceiptPrinter? = nil, printerName: String? = nil, columns: Int = 32,
                sharePort: ReceiptSharePort? = nil) {
        self.kasir = kasir
        self.language = language
        self.printerPort = printerPort
        self.sharePort = sharePort
        self.columns = columns
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

    /// Shares the receipt as a PNG picture: the core draws the printed layout, the platform sends it.
    @discardableResult
    public func shareImage() async -> Bool {
        await shareFile { try kasir.receiptPng($0, columns: columns) }
    }

    /// Shares the receipt as a one-page PDF whose text can be selected and searched.
    @discardableResult
    public func sharePdf() async -> Bool {
        await shareFile { try kasir.receiptPdf($0, columns: columns) }
    }

    /// Hands the core's file to the share port; false (and a message) when that fails, false
    /// without a port.
    private func shareFile(_ make: (String) throws -> ReceiptFile) async -> Bool {
        guard let sharePort else { return false }
        update {
            $0.sharing = true
            $0.savedTo = nil
            $0.message = nil
        }
        do {
            let file = try make(state.receiptNumber)
            let savedTo = try await sharePort.shareFile(SharedFile(fileName: file.fileName, mimeType: file.mimeType, data: file.bytes))
            update {
                $0.sharing = false
                $0.savedTo = savedTo
            }
            return true
        } catch let error as KasirError {
            let message = UiMessage.of(error, language)
            update {
                $0.sharing = false
                $0.message = message
            }
            return false
        } catch {
            let message = UiMessage(title: Label.errorDevice.text(language), detail: String(describing: error))
            update {
                $0.sharing = false
                $0.message = message
            }
            return false
        }
    }

    /// Puts the receipt's public link in the state and hands it to the share port: true once the
    /// port took it. Without a port the link is only shown. Not enrolled, or the port failing,
    /// is false with a message; a sale not synced yet gets a note that the link opens after sync.
    @discardableResult
    public func sendLink() async -> Bool {
        let receipt = state.receiptNumber
        let link: ReceiptLink
        do {
            link = try kasir.core.receiptLink(receiptNumber: receipt)
        } catch KasirError.NotEnrolled {
            let message = UiMessage(title: Label.linkNeedsCloud.text(language), detail: nil)
            update {
                $0.link = nil
                $0.message = message
            }
            return false
        } catch {
            let message = UiMessage.of(error, language)
            update { $0.message = message }
            return false
        }
        let note = link.synced ? nil : UiMessage(title: Label.linkAfterSync.text(language), detail: nil)
        update {
            $0.link = link.url
            $0.message = note
        }
        guard let sharePort else { return false }
        do {
            try await sharePort.shareLink(subject: "\(Label.receipt.text(language)) \(receipt)", url: link.url)
            return true
        } catch {
            let message = UiMessage(title: Label.errorDevice.text(language), detail: String(describing: error))
            update { $0.message = message }
            return false
        }
    }

    /// Whether the platform gave a share port, so that the screen offers `shareImage()`,
    /// `sharePdf()` and `sendLink()`.
    public var canShare: Bool { sharePort != nil }

    /// The receipt for the share sheet.
    public func share() -> ShareContent {
        ShareContent(subject: "\(Label.receipt.text(language)) \(state.receiptNumber)", text: state.text)
    }
}
