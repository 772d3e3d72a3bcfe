// The receipt of the completed sale: the core's text as printed, the total and change, printing
// on the chosen printer, sharing the text, the picture or the PDF (the core's files, through the
// share sheet), the receipt's public link with its QR code, and the way to the next sale.

import KasirKit
import KasirViewModels
import SwiftUI

struct ReceiptView: View {
    @ObservedObject var receipt: Observed<ReceiptState, NoEvent>
    let language: Language
    let onNewSale: () -> Void

    private var model: ReceiptViewModel? { receipt.model as? ReceiptViewModel }
    private var state: ReceiptState { receipt.state }

    var body: some View {
        VStack(alignment: .leading, spacing: 12) {
            Text("\(Words.receipt.text(language)) \(state.receiptNumber)").font(.title2.bold())
                .accessibilityAddTraits(.isHeader)
            AmountRow(label: Words.total.text(language), amount: state.totalText, strong: true)
            if let change = state.changeText {
                AmountRow(label: Words.change.text(language), amount: change, strong: true)
            }
            if let message = state.message { MessageView(message: message, language: language) }
            ScrollView {
                // The receipt as printed: a fixed-width font, in the reader's text size.
                Text(state.text)
                    .font(.system(.body, design: .monospaced))
                    .textSelection(.enabled)
                    .frame(maxWidth: .infinity, alignment: .leading)
                    .padding(12)
            }
            .background(Color.secondary.opacity(0.12), in: RoundedRectangle(cornerRadius: 8))
            HStack(spacing: 8) {
                BigButton(title: printTitle, enabled: !state.printing) {
                    Task { await model?.print() }
                }
                if let content = model?.share() {
                    ShareLink(item: content.text, subject: Text(content.subject)) {
                        Text(Words.share.text(language)).font(.headline)
                            .frame(maxWidth: .infinity, minHeight: minTouchTarget)
                    }
                    .buttonStyle(.bordered)
                }
            }
            if model?.canShare == true {
                // Share image, Share PDF and Send link side by side, read out with the receipt
                // they share; the files wait while one is being made.
                HStack(spacing: 8) {
                    Button { Task { await model?.shareImage() } } label: {
                        SwiftUI.Label(Words.shareImage.text(language), systemImage: "photo")
                            .frame(maxWidth: .infinity, minHeight: minTouchTarget)
                    }
                    .buttonStyle(.bordered)
                    .disabled(state.sharing)
                    .accessibilityLabel(Words.shareImageFor.format(language, state.receiptNumber))
                    Button { Task { await model?.sharePdf() } } label: {
                        SwiftUI.Label(Words.sharePdf.text(language), systemImage: "doc.richtext")
                            .frame(maxWidth: .infinity, minHeight: minTouchTarget)
                    }
                    .buttonStyle(.bordered)
                    .disabled(state.sharing)
                    .accessibilityLabel(Words.sharePdfFor.format(language, state.receiptNumber))
                    Button { Task { await model?.sendLink() } } label: {
                        SwiftUI.Label(Words.sendLink.text(language), systemImage: "link")
                            .frame(maxWidth: .infinity, minHeight: minTouchTarget)
                    }
                    .buttonStyle(.bordered)
                    .accessibilityLabel(Words.sendLinkFor.format(language, state.receiptNumber))
                }
            }
            if let savedTo = state.savedTo {
                Text(Words.savedTo.format(language, savedTo)).font(.footnote).textSelection(.enabled)
            }
            if let link = state.link {
                if let image = QrImage.make(link) {
                    Image(uiImage: image)
                        .interpolation(.none)
                        .resizable()
                        .scaledToFit()
                        .frame(maxWidth: 240)
                        .accessibilityLabel(link)
                }
                Text(link).font(.footnote).textSelection(.enabled)
            }
            BigButton(title: Words.newSale.text(language), action: onNewSale)
        }
        .padding()
    }

    private var printTitle: String {
        if state.printing { return Words.printing.text(language) }
        if state.printed { return Words.printed.text(language) }
        if let printer = state.printer { return "\(Words.print.text(language)) · \(printer.name)" }
        return Words.print.text(language)
    }
}
