// The payment screen: what is due and the payments taken, the cash keypad with its quick
// amounts, card and QRIS, tips and split bills (set before the first payment), complete. On an
// iPad the cart stays beside it and the keypad and the quick amounts sit side by side. Every
// amount and state is
// PaymentViewModel's, written by the core.

import CoreImage.CIFilterBuiltins
import KasirKit
import KasirViewModels
import SwiftUI

struct PaymentView: View {
    @ObservedObject var register: Observed<RegisterState, ScanEvent>
    @ObservedObject var payment: Observed<PaymentScreenState, PaymentEvent>
    let language: Language
    let onBack: () -> Void
    @Environment(\.horizontalSizeClass) private var width
    @State private var cardOpen = false

    private var model: PaymentViewModel? { payment.model as? PaymentViewModel }
    private var state: PaymentScreenState { payment.state }

    var body: some View {
        if width == .regular {
            HStack(alignment: .top, spacing: 0) {
                CartSummary(state: register.state, language: language)
                    .frame(maxWidth: 380)
                Divider()
                paymentPane
            }
        } else {
            paymentPane
        }
    }

    private var paymentPane: some View {
        ScrollView {
            VStack(alignment: .leading, spacing: 12) {
                ScreenHeader(title: Words.payment.text(language), language: language, onBack: onBack)
                    .padding(.horizontal, -16)
                if let message = state.message { MessageView(message: message, language: language) }
                summary
                if state.isPaid {
                    BigButton(title: Words.complete.text(language)) { _ = model?.complete() }
                    Button(Words.voidPayments.text(language), role: .destructive) { _ = model?.voidPayments() }
                        .frame(maxWidth: .infinity, minHeight: minTouchTarget)
                } else {
                    if !state.tenders.isEmpty {
                        // Taking the payments back makes the cart and the bill changeable again.
                        Button(Words.voidPayments.text(language), role: .destructive) { _ = model?.voidPayments() }
                            .frame(maxWidth: .infinity, minHeight: minTouchTarget)
                    }
                    if width == .regular {
                        HStack(alignment: .top, spacing: 16) {
                            VStack(spacing: 8) {
                                keypad
                                tenderButtons
                            }
                            VStack(alignment: .leading, spacing: 8) {
                                quickAmounts
                                bill
                            }
                        }
                    } else {
                        quickAmounts
                        keypad
                        tenderButtons
                        bill
                    }
                }
            }
            .padding()
        }
        .sheet(isPresented: $cardOpen) {
            CardSheet(language: language, prompt: Words.cardOnReader.format(language, state.keypadAmountText ?? state.remainingText),
                      message: state.message) { approval, last4, brand in
                if model?.cardPaid(approvalCode: approval, last4: last4, brand: brand) == true { cardOpen = false }
            } onCancel: {
                cardOpen = false
            }
        }
        .fullScreenCover(isPresented: Binding(get: { state.qris != nil }, set: { if !$0 { model?.dismissQris() } })) {
            if let qris = state.qris {
                QrisScreenView(qris: qris, language: language) { reference in
                    _ = model?.qrisPaid(reference: reference)
                } onClose: {
                    model?.dismissQris()
                }
            }
        }
    }

    /// What is due or paid, the change, and the payments taken so far (read out when they
    /// change).
    private var summary: some View {
        VStack(alignment: .leading, spacing: 6) {
            AmountRow(label: Words.total.text(language), amount: state.totalText)
            if let tip = state.tipText { AmountRow(label: Words.tip.text(language), amount: tip) }
            if state.roundingText != nil { AmountRow(label: Words.cash.text(language), amount: state.cashDueText) }
            if state.isPaid {
                AmountRow(label: Words.paid.text(language), amount: state.amountDueText)
                AmountRow(label: Words.change.text(language), amount: state.changeText, strong: true)
            } else {
                AmountRow(label: (state.tenders.isEmpty ? Words.amountDue : Words.remaining).text(language),
                          amount: state.remainingText, strong: true)
            }
            if !state.tenders.isEmpty { Divider() }
            ForEach(Array(state.tenders.enumerated()), id: \.offset) { _, tender in
                AmountRow(label: [tender.method, tender.detail].compactMap { $0 }.joined(separator: " · "),
                          amount: tender.amountText + (tender.changeText.map { " (\(Words.change.text(language)) \($0))" } ?? ""))
            }
        }
        .padding(12)
        .background(Color.secondary.opacity(0.12), in: RoundedRectangle(cornerRadius: 8))
        .accessibilityElement(children: .contain)
    }

    /// The cash keypad: the amount received, typed (or what is due while nothing is typed).
    private var keypad: some View {
        VStack(spacing: 6) {
            HStack {
                Text(Words.keypad.text(language))
                Spacer()
                Text(state.keypadAmountText ?? state.cashDueText)
                    .font(.title.bold()).monospacedDigit()
                    .foregroundStyle(state.keypadAmountText == nil ? .secondary : .primary)
            }
            .accessibilityElement(children: .combine)
            let rows = [["1", "2", "3"], ["4", "5", "6"], ["7", "8", "9"], ["000", "0", "⌫"]]
            ForEach(rows, id: \.self) { keys in
                HStack(spacing: 6) {
                    ForEach(keys, id: \.self) { key in
                        Button {
                            if key == "⌫" { model?.keypadBackspace() } else { model?.keypadDigit(key) }
                        } label: {
                            Text(key).font(.title2).frame(maxWidth: .infinity, minHeight: 56)
                        }
                        .buttonStyle(.bordered)
                        .accessibilityLabel(key == "⌫" ? Words.backspace.text(language) : key)
                    }
                }
            }
        }
    }

    private var tenderButtons: some View {
        VStack(spacing: 8) {
            HStack(spacing: 8) {
                BigButton(title: Words.cash.text(language)) { _ = model?.payCashFromKeypad() }
                BigButton(title: Words.card.text(language)) { cardOpen = true }
                BigButton(title: Words.qris.text(language)) { _ = model?.showQris() }
            }
            if state.hasCardReader { cardReaderButton }
        }
    }

    /// The paired card reader: charges the keypad's amount (or what is due) on it, offering the
    /// tip presets on the reader while the card can pay the whole bill; the reader's prompts show
    /// while it works, with Cancel.
    @ViewBuilder
    private var cardReaderButton: some View {
        if state.readerBusy {
            HStack(spacing: 8) {
                Text(state.readerPrompt ?? "").frame(maxWidth: .infinity, alignment: .leading)
                    .accessibilityAddTraits(.updatesFrequently)
                Button(Words.cancel.text(language)) { model?.cancelReader() }
                    .buttonStyle(.bordered)
                    .frame(minHeight: minTouchTarget)
            }
        } else {
            let tips = state.tenders.isEmpty && state.tipText == nil && state.keypadDigits.isEmpty
                ? state.tipChoices.compactMap { $0.percent.map { NSDecimalNumber(decimal: $0).intValue } } : []
            Button {
                Task { _ = await model?.payWithReader(tipOptions: tips) }
            } label: {
                Text(Words.cardReader.text(language)).frame(maxWidth: .infinity, minHeight: minTouchTarget)
            }
            .buttonStyle(.bordered)
            if let prompt = state.readerPrompt { Text(prompt) }
        }
    }

    /// The exact amount, then rounded up to each banknote (the core's choice).
    private var quickAmounts: some View {
        VStack(alignment: .leading, spacing: 6) {
            Text(Words.cash.text(language)).font(.headline)
            LazyVGrid(columns: [GridItem(.adaptive(minimum: 120), spacing: 6)], spacing: 6) {
                ForEach(state.quickAmounts, id: \.text) { quick in
                    Button {
                        _ = model?.payQuickAmount(quick.amount)
                    } label: {
                        Text(quick.exact ? "\(Words.exact.text(language)) \(quick.text)" : quick.text)
                            .frame(maxWidth: .infinity, minHeight: minTouchTarget)
                    }
                    .buttonStyle(.bordered)
                }
            }
        }
    }

    /// Tips (table service) and split bills, set before the first payment.
    @ViewBuilder
    private var bill: some View {
        if state.canChangeBill && !state.tipChoices.isEmpty {
            Text(Words.tip.text(language)).font(.headline)
            ScrollView(.horizontal, showsIndicators: false) {
                HStack(spacing: 6) {
                    ForEach(state.tipChoices, id: \.label) { choice in
                        Button {
                            _ = model?.selectTip(choice.percent)
                        } label: {
                            Text([choice.label, choice.amountText].compactMap { $0 }.joined(separator: " · "))
                                .padding(.horizontal, 8).frame(minHeight: minTouchTarget)
                        }
                        .buttonStyle(.bordered)
                        .tint(choice.selected ? Color.accentColor : Color.secondary)
                        .accessibilityAddTraits(choice.selected ? AccessibilityTraits.isSelected : [])
                    }
                }
            }
        }
        if state.canChangeBill || !state.splitParts.isEmpty {
            Text(Words.split.text(language)).font(.headline)
            if state.canChangeBill {
                HStack(spacing: 6) {
                    ForEach([2, 3, 4], id: \.self) { parts in
                        Button {
                            if state.splitParts.count == parts { model?.clearSplit() } else { _ = model?.splitEvenly(parts) }
                        } label: {
                            Text("÷ \(parts)").frame(maxWidth: .infinity, minHeight: minTouchTarget)
                        }
                        .buttonStyle(.bordered)
                        .tint(state.splitParts.count == parts ? Color.accentColor : Color.secondary)
                        .accessibilityLabel("\(Words.split.text(language)) ÷ \(parts)")
                    }
                }
            }
            ForEach(state.splitParts, id: \.number) { part in
                Button {
                    _ = model?.selectPart(part.number)
                } label: {
                    HStack {
                        Text(Words.splitPart.format(language, String(part.number)))
                        Spacer()
                        Text(part.totalText).monospacedDigit()
                        if part.paid { Image(systemName: "checkmark").accessibilityLabel(Words.paid.text(language)) }
                    }
                    .frame(minHeight: minTouchTarget)
                }
                .buttonStyle(.bordered)
                .tint(state.selectedPart == part.number ? Color.accentColor : Color.secondary)
                .disabled(part.paid)
            }
        }
    }
}

/// The sale being paid, beside the payment on an iPad: its lines and totals as the register
/// shows them.
private struct CartSummary: View {
    let state: RegisterState
    let language: Language

    var body: some View {
        VStack(alignment: .leading, spacing: 8) {
            Text(Words.cart.text(language)).font(.title2.bold()).accessibilityAddTraits(.isHeader)
            ScrollView {
                VStack(alignment: .leading, spacing: 6) {
                    ForEach(state.lines, id: \.number) { line in
                        AmountRow(label: "\(line.quantityText)× \(line.name)", amount: line.amountText ?? Words.voided.text(language))
                    }
                }
            }
            Divider()
            AmountRow(label: Words.subtotal.text(language), amount: state.subtotalText)
            if let discount = state.discountText { AmountRow(label: Words.discount.text(language), amount: discount) }
            if let charges = state.chargesText { AmountRow(label: Words.charges.text(language), amount: charges) }
            AmountRow(label: Words.total.text(language), amount: state.totalText, strong: true)
        }
        .padding()
    }
}

/// The card reader's approval, typed by the clerk from the reader's slip.
private struct CardSheet: View {
    let language: Language
    let prompt: String
    let message: UiMessage?
    let onPaid: (String, String, String) -> Void
    let onCancel: () -> Void
    @State private var approval = ""
    @State private var last4 = ""
    @State private var brand = ""

    var body: some View {
        NavigationStack {
            Form {
                if let message { MessageView(message: message, language: language) }
                Text(prompt).font(.headline)
                TextField(Words.approvalCode.text(language), text: $approval).frame(minHeight: minTouchTarget)
                TextField(Words.last4.text(language), text: $last4).keyboardType(.numberPad).frame(minHeight: minTouchTarget)
                TextField(Words.cardBrand.text(language), text: $brand).frame(minHeight: minTouchTarget)
            }
            .navigationTitle(Words.card.text(language))
            .toolbar {
                ToolbarItem(placement: .cancellationAction) { Button(Words.cancel.text(language), action: onCancel) }
                ToolbarItem(placement: .confirmationAction) {
                    Button(Words.ok.text(language)) { onPaid(approval, last4, brand) }
                }
            }
        }
    }
}

/// The QRIS code full screen on white, for the customer's app, with the amount; the clerk
/// confirms with the payment's reference once the customer's app shows it paid.
private struct QrisScreenView: View {
    let qris: QrisScreen
    let language: Language
    let onPaid: (String) -> Void
    let onClose: () -> Void
    @State private var reference = ""

    var body: some View {
        VStack(spacing: 20) {
            Text(Words.qris.text(language)).font(.largeTitle.bold())
            if let image = QrImage.make(qris.payload) {
                Image(uiImage: image)
                    .interpolation(.none)
                    .resizable()
                    .scaledToFit()
                    .frame(maxWidth: 360)
                    .accessibilityLabel(qris.prompt)
            }
            Text(qris.prompt).font(.title2)
            TextField(Words.qrisReference.text(language), text: $reference)
                .textFieldStyle(.roundedBorder)
                .frame(maxWidth: 360, minHeight: minTouchTarget)
            BigButton(title: Words.qrisConfirm.text(language),
                      enabled: !reference.trimmingCharacters(in: .whitespaces).isEmpty) {
                onPaid(reference.trimmingCharacters(in: .whitespaces))
            }
            .frame(maxWidth: 360)
            Button(Words.close.text(language), action: onClose).frame(minHeight: minTouchTarget)
        }
        .padding()
        .frame(maxWidth: .infinity, maxHeight: .infinity)
        .background(Color.white)
        .foregroundStyle(.black)
    }
}

/// A QR code image of a payload (CoreImage's generator, error correction M), scaled up
/// without smoothing.
enum QrImage {
    static func make(_ payload: String) -> UIImage? {
        let filter = CIFilter.qrCodeGenerator()
        filter.message = Data(payload.utf8)
        filter.correctionLevel = "M"
        guard let output = filter.outputImage?.transformed(by: CGAffineTransform(scaleX: 10, y: 10)),
              let image = CIContext().createCGImage(output, from: output.extent)
        else { return nil }
        return UIImage(cgImage: image)
    }
}
