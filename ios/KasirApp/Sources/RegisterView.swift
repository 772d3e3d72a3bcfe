// The register screen and its payment sheet: they draw the view models' state (every amount
// already written by the core) and call their actions; nothing is computed here.

import KasirKit
import KasirViewModels
import SwiftUI

struct RegisterView: View {
    @EnvironmentObject private var app: RegisterModel
    @ObservedObject var register: Observed<RegisterState, ScanEvent>
    @State private var code = ""
    @State private var query = ""
    @FocusState private var scanning: Bool

    private var model: RegisterViewModel? { register.model as? RegisterViewModel }
    private var language: Language { app.language }
    private var state: RegisterState { register.state }

    var body: some View {
        List {
            Section {
                TextField(Words.scanOrType.text(language), text: $code)
                    .keyboardType(.numberPad)
                    .focused($scanning)
                    .onSubmit {
                        model?.scan(code)
                        code = ""
                        scanning = true
                    }
                TextField(Words.searchCatalog.text(language), text: $query)
                    .onChange(of: query) { _, text in model?.search(text) }
                ForEach(state.results, id: \.code) { tile in
                    Button { model?.add(tile.code) } label: { tileRow(tile) }
                }
            }
            if !state.favourites.isEmpty {
                Section(Words.favourites.text(language)) {
                    ForEach(state.favourites, id: \.code) { tile in
                        Button { model?.add(tile.code) } label: { tileRow(tile) }
                    }
                }
            }
            Section(Words.categories.text(language)) {
                if let category = state.selectedCategory {
                    Button(category) { model?.selectCategory(nil) }
                    ForEach(state.categoryItems, id: \.code) { tile in
                        Button { model?.add(tile.code) } label: { tileRow(tile) }
                    }
                } else {
                    ForEach(state.categories, id: \.name) { category in
                        Button("\(category.name) (\(category.itemCount))") { model?.selectCategory(category.name) }
                    }
                }
            }
            Section(Words.cart.text(language)) {
                if state.isEmpty { Text(Words.cartEmpty.text(language)).foregroundStyle(.secondary) }
                ForEach(state.lines, id: \.number) { line in
                    HStack {
                        VStack(alignment: .leading) {
                            Text(line.name).strikethrough(line.voided)
                            Text("\(line.quantityText) × \(line.unitPriceText)")
                                .font(.caption).foregroundStyle(.secondary)
                            if let discount = line.discountAmountText {
                                Text("\(line.discountText ?? "") \(discount)").font(.caption).foregroundStyle(.green)
                            }
                            if let share = line.orderDiscountText {
                                Text("\(Words.orderDiscount.text(language)) \(share)").font(.caption).foregroundStyle(.green)
                            }
                        }
                        Spacer()
                        Text(line.amountText ?? Words.voided.text(language))
                    }
                    .swipeActions {
                        if state.canEdit && !line.voided {
                            Button(Words.void.text(language), role: .destructive) { model?.voidLine(line.number) }
                        }
                    }
                }
            }
            Section {
                row(Words.subtotal.text(language), state.subtotalText)
                if let discount = state.discountText { row(Words.discount.text(language), discount) }
                if let charges = state.chargesText { row(Words.charges.text(language), charges) }
                if state.taxIncluded {
                    Text(Words.taxIncluded.format(language, state.taxText)).font(.caption)
                } else {
                    row(Words.tax.text(language), state.taxText)
                }
                row(Words.total.text(language), state.totalText).font(.headline)
                Button(Words.pay.text(language)) { app.pay() }
                    .disabled(state.isEmpty)
                    .frame(minHeight: 44)
            }
            if let receipt = app.lastReceipt {
                Section(Words.receipt.text(language)) { Text(receipt) }
            }
            if let sync = app.sync {
                Section(Words.sync.text(language)) { SyncBar(sync: sync) }
            }
        }
        .navigationTitle(Words.register.text(language))
        .onAppear { scanning = true }
        .sheet(isPresented: Binding(get: { app.payment != nil }, set: { if !$0 { app.closePayment() } })) {
            if let payment = app.payment { PaymentView(payment: payment, language: language) }
        }
        .alert(state.message?.title ?? "", isPresented: Binding(
            get: { state.message != nil }, set: { if !$0 { model?.dismissMessage() } })) {
            Button("OK", role: .cancel) {}
        } message: {
            Text(state.message?.detail ?? "")
        }
    }

    private func tileRow(_ tile: ItemTile) -> some View {
        HStack {
            Text(tile.name)
            Spacer()
            Text(tile.priceText).foregroundStyle(.secondary)
        }
        .frame(minHeight: 44)
    }

    private func row(_ label: String, _ amount: String) -> some View {
        HStack {
            Text(label)
            Spacer()
            Text(amount)
        }
    }
}

/// The sync status, always visible: waiting count, age of the oldest, last sync.
struct SyncBar: View {
    @ObservedObject var sync: Observed<SyncState, NoEvent>

    var body: some View {
        Text(sync.state.waitingText)
        if let oldest = sync.state.oldestWaitingText { Text(oldest) }
        Text(sync.state.lastSyncText).foregroundStyle(.secondary)
    }
}

/// The payment sheet: keypad, quick amounts, card, QRIS, tips and split.
struct PaymentView: View {
    @ObservedObject var payment: Observed<PaymentScreenState, PaymentEvent>
    let language: Language

    private var model: PaymentViewModel? { payment.model as? PaymentViewModel }
    private var state: PaymentScreenState { payment.state }

    var body: some View {
        NavigationStack {
            List {
                Section {
                    row(Words.total.text(language), state.totalText)
                    row(Words.remaining.text(language), state.remainingText)
                    if !state.tenders.isEmpty { row(Words.change.text(language), state.changeText) }
                    ForEach(Array(state.tenders.enumerated()), id: \.offset) { _, tender in
                        row([tender.method, tender.detail].compactMap { $0 }.joined(separator: " "), tender.amountText)
                    }
                }
                if state.canChangeBill && !state.tipChoices.isEmpty {
                    Section(Words.tip.text(language)) {
                        ForEach(state.tipChoices, id: \.label) { choice in
                            Button([choice.label, choice.amountText].compactMap { $0 }.joined(separator: " · ")) {
                                model?.selectTip(choice.percent)
                            }
                            .fontWeight(choice.selected ? .bold : .regular)
                        }
                    }
                }
                Section(Words.cash.text(language)) {
                    Text(state.keypadAmountText ?? state.cashDueText).font(.largeTitle)
                    LazyVGrid(columns: Array(repeating: GridItem(.flexible()), count: 3)) {
                        ForEach(["1", "2", "3", "4", "5", "6", "7", "8", "9", "000", "0"], id: \.self) { key in
                            Button(key) { model?.keypadDigit(key) }.frame(minWidth: 44, minHeight: 44)
                        }
                        Button("⌫") { model?.keypadBackspace() }.frame(minWidth: 44, minHeight: 44)
                    }
                    Button(Words.pay.text(language)) { model?.payCashFromKeypad() }
                    ForEach(state.quickAmounts, id: \.text) { quick in
                        Button(quick.text) { model?.payQuickAmount(quick.amount) }
                    }
                }
                Section {
                    Button(Words.showQris.text(language)) { model?.showQris() }
                    if state.canChangeBill { Button(Words.split.text(language)) { model?.splitEvenly(2) } }
                    ForEach(state.splitParts, id: \.number) { part in
                        Button("\(Words.splitPart.format(language, String(part.number))) · \(part.totalText)") {
                            model?.selectPart(part.number)
                        }
                        .disabled(part.paid)
                    }
                    if !state.tenders.isEmpty {
                        Button(Words.voidPayments.text(language), role: .destructive) { model?.voidPayments() }
                    }
                    Button(Words.complete.text(language)) { model?.complete() }
                        .disabled(!state.isPaid)
                }
                if let message = state.message {
                    Text(message.text).foregroundStyle(.red)
                }
            }
            .navigationTitle(Words.payment.text(language))
            .fullScreenCover(isPresented: Binding(get: { state.qris != nil }, set: { if !$0 { model?.dismissQris() } })) {
                if let qris = state.qris {
                    VStack(spacing: 24) {
                        // The payload drawn as a QR code (CoreImage's CIQRCodeGenerator) is left
                        // to the device build; the text is what the customer's app reads.
                        Text(qris.payload).font(.caption.monospaced()).textSelection(.enabled)
                        Text(qris.prompt).font(.title)
                        Button(Words.qrisConfirm.text(language)) { model?.qrisPaid(reference: "QRIS") }
                    }
                    .padding()
                }
            }
        }
    }

    private func row(_ label: String, _ amount: String) -> some View {
        HStack {
            Text(label)
            Spacer()
            Text(amount)
        }
    }
}
