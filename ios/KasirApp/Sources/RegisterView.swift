// The register screen: the catalog (search, favourites, the category grid) and the cart (lines
// with their quantity, discount and void, the totals, pay). On an iPad (regular width) both
// panes are side by side; on an iPhone (compact width) one at a time, with a switch at the
// bottom. Every amount and state is the view model's (written by the core); nothing is
// computed here.

import KasirKit
import KasirViewModels
import SwiftUI

struct RegisterView: View {
    @EnvironmentObject private var app: AppModel
    @ObservedObject var register: Observed<RegisterState, ScanEvent>
    let language: Language
    @Environment(\.horizontalSizeClass) private var width
    @State private var showCart = false
    @State private var editing: Int?

    private var model: RegisterViewModel? { register.model as? RegisterViewModel }
    private var state: RegisterState { register.state }

    var body: some View {
        Group {
            if width == .regular {
                HStack(spacing: 0) {
                    catalog.frame(maxWidth: .infinity)
                    Divider()
                    cart.frame(maxWidth: .infinity)
                }
            } else if showCart {
                VStack(spacing: 0) {
                    cart
                    Divider()
                    Button(Words.catalog.text(language)) { showCart = false }
                        .buttonStyle(.bordered)
                        .frame(maxWidth: .infinity, minHeight: minTouchTarget)
                        .padding(8)
                }
            } else {
                VStack(spacing: 0) {
                    catalog
                    Divider()
                    BigButton(title: "\(Words.cart.text(language)): "
                        + Words.itemsCount.format(language, String(state.lineCount)) + " · " + state.totalText) {
                        showCart = true
                    }
                    .padding(8)
                }
            }
        }
        .sheet(item: Binding(get: { editing.flatMap { number in state.lines.first { $0.number == number } } },
                             set: { editing = $0?.number })) { line in
            LineEditor(register: register, line: line, language: language) { editing = nil }
        }
    }

    // The catalog.

    private var catalog: some View {
        CatalogPane(register: register, language: language)
    }

    // The cart.

    private var cart: some View {
        VStack(alignment: .leading, spacing: 8) {
            HStack {
                Text(Words.cart.text(language)).font(.title2.bold()).accessibilityAddTraits(.isHeader)
                Spacer()
                if !state.isEmpty && state.canEdit {
                    Button(Words.newSale.text(language)) { _ = model?.clearSale() }
                        .frame(minHeight: minTouchTarget)
                }
            }
            if state.isEmpty {
                Text(Words.cartEmpty.text(language)).foregroundStyle(.secondary)
                Spacer()
            } else {
                List(state.lines, id: \.number) { line in
                    CartLine(line: line, language: language, enabled: state.canEdit) { editing = line.number }
                        .swipeActions {
                            if state.canEdit && !line.voided {
                                Button(Words.void.text(language), role: .destructive) { _ = model?.voidLine(line.number) }
                            }
                        }
                }
                .listStyle(.plain)
            }
            Divider()
            AmountRow(label: Words.subtotal.text(language), amount: state.subtotalText)
            if let discount = state.discountText { AmountRow(label: Words.discount.text(language), amount: discount) }
            if let charges = state.chargesText { AmountRow(label: Words.charges.text(language), amount: charges) }
            if state.taxIncluded {
                Text(Words.taxIncluded.format(language, state.taxText)).font(.caption).foregroundStyle(.secondary)
            } else {
                AmountRow(label: Words.tax.text(language), amount: state.taxText)
            }
            AmountRow(label: Words.total.text(language), amount: state.totalText, strong: true)
            BigButton(title: "\(Words.pay.text(language)) \(state.totalText)", enabled: !state.isEmpty) { app.pay() }
        }
        .padding(12)
    }
}

/// The search field (a USB or Bluetooth scanner types the code and Return into it), the
/// refusal of the last scan, the favourites and category chips, and the item grid.
private struct CatalogPane: View {
    @EnvironmentObject private var app: AppModel
    @ObservedObject var register: Observed<RegisterState, ScanEvent>
    let language: Language
    @FocusState private var searching: Bool
    @State private var camera = false

    private var model: RegisterViewModel? { register.model as? RegisterViewModel }
    private var state: RegisterState { register.state }

    var body: some View {
        VStack(alignment: .leading, spacing: 8) {
            HStack {
                TextField(Words.search.text(language), text: Binding(get: { state.query }, set: { model?.search($0) }),
                          prompt: Text(Words.scanOrType.text(language)))
                    .textFieldStyle(.roundedBorder)
                    .submitLabel(.done)
                    .focused($searching)
                    .frame(minHeight: minTouchTarget)
                    .accessibilityLabel(Words.searchCatalog.text(language))
                    .onSubmit {
                        let code = state.query.trimmingCharacters(in: .whitespaces)
                        if !code.isEmpty, model?.scan(code) == true { model?.search("") }
                        searching = true
                    }
                Button {
                    camera.toggle()
                    Task {
                        if camera { camera = await app.startCamera() } else { app.stopCamera() }
                    }
                } label: {
                    Image(systemName: camera ? "camera.fill" : "camera")
                }
                .frame(minWidth: minTouchTarget, minHeight: minTouchTarget)
                .accessibilityLabel(Words.scanOrType.text(language))
            }
            if camera, let session = app.camera?.capture {
                CameraPreview(session: session)
                    .frame(maxWidth: .infinity, minHeight: 180, maxHeight: 260)
                    .clipShape(RoundedRectangle(cornerRadius: 12))
                    .accessibilityLabel(Words.scannerTitle.text(language))
            }
            if let message = state.message {
                MessageView(message: message, language: language) { model?.dismissMessage() }
            }
            let showingResults = !state.query.trimmingCharacters(in: .whitespaces).isEmpty
            if !showingResults {
                ScrollView(.horizontal, showsIndicators: false) {
                    HStack(spacing: 8) {
                        chip(Words.favourites.text(language), selected: state.selectedCategory == nil) {
                            model?.selectCategory(nil)
                        }
                        ForEach(state.categories, id: \.name) { category in
                            chip(category.name, selected: state.selectedCategory == category.name) {
                                model?.selectCategory(category.name)
                            }
                        }
                    }
                }
            }
            Text(shown.title).font(.headline).accessibilityAddTraits(.isHeader)
            if shown.tiles.isEmpty && !showingResults && state.selectedCategory == nil {
                Text(Words.favouritesEmpty.text(language)).foregroundStyle(.secondary)
            }
            ScrollView {
                LazyVGrid(columns: [GridItem(.adaptive(minimum: 150), spacing: 8)], spacing: 8) {
                    ForEach(shown.tiles, id: \.code) { tile in
                        ItemCard(tile: tile, language: language, enabled: state.canEdit) { _ = model?.add(tile.code) }
                    }
                }
            }
        }
        .padding(12)
        .onAppear { searching = true }
    }

    /// What the grid shows: the search's results, the chosen category's items, or the favourites.
    private var shown: (title: String, tiles: [ItemTile]) {
        if !state.query.trimmingCharacters(in: .whitespaces).isEmpty { return (Words.search.text(language), state.results) }
        if let category = state.selectedCategory { return (category, state.categoryItems) }
        return (Words.favourites.text(language), state.favourites)
    }

    private func chip(_ title: String, selected: Bool, action: @escaping () -> Void) -> some View {
        Button(action: action) {
            Text(title).font(.subheadline.weight(.semibold)).padding(.horizontal, 12)
                .frame(minHeight: minTouchTarget)
        }
        .buttonStyle(.bordered)
        .tint(selected ? Color.accentColor : Color.secondary)
        .accessibilityAddTraits(selected ? AccessibilityTraits.isSelected : [])
    }
}

/// One item of the grid: its name and price; a tap adds one.
private struct ItemCard: View {
    let tile: ItemTile
    let language: Language
    let enabled: Bool
    let onAdd: () -> Void

    var body: some View {
        Button(action: onAdd) {
            VStack(alignment: .leading, spacing: 4) {
                Text(tile.name).font(.subheadline).multilineTextAlignment(.leading).lineLimit(3)
                Spacer(minLength: 0)
                Text(tile.priceText).font(.headline).monospacedDigit()
            }
            .frame(maxWidth: .infinity, minHeight: 72, alignment: .leading)
            .padding(10)
        }
        .buttonStyle(.bordered)
        .disabled(!enabled)
        .accessibilityElement(children: .ignore)
        .accessibilityLabel(Words.addItem.format(language, tile.name, tile.priceText))
        .accessibilityAddTraits(.isButton)
    }
}

/// One line of the cart; a tap opens its editor.
private struct CartLine: View {
    let line: LineRow
    let language: Language
    let enabled: Bool
    let onEdit: () -> Void

    var body: some View {
        Button(action: onEdit) {
            HStack(alignment: .firstTextBaseline, spacing: 8) {
                Text("\(line.quantityText)×").font(.headline).monospacedDigit()
                VStack(alignment: .leading, spacing: 2) {
                    Text(line.name).strikethrough(line.voided)
                    Text(details).font(.caption).foregroundStyle(.secondary)
                }
                Spacer()
                Text(line.amountText ?? Words.voided.text(language)).monospacedDigit()
            }
            .frame(minHeight: minTouchTarget)
            .contentShape(Rectangle())
        }
        .buttonStyle(.plain)
        .disabled(!enabled || line.voided)
        .accessibilityElement(children: .combine)
        .accessibilityHint(Words.editLine.format(language, String(line.number)))
    }

    private var details: String {
        [
            line.unitPriceText,
            line.discountText.map { "\(Words.discount.text(language)) \($0)" },
            line.discountAmountText,
            line.orderDiscountText.map { "\(Words.orderDiscount.text(language)) \($0)" },
            line.voided ? Words.voided.text(language) : nil,
        ].compactMap { $0 }.joined(separator: " · ")
    }
}

/// A line's quantity and discount, typed and checked by the core, and its void.
private struct LineEditor: View {
    @ObservedObject var register: Observed<RegisterState, ScanEvent>
    let line: LineRow
    let language: Language
    let onClose: () -> Void
    @State private var quantity = ""
    @State private var discount = ""

    var body: some View {
        NavigationStack {
            Form {
                if let message = register.state.message {
                    MessageView(message: message, language: language)
                }
                Section(Words.quantity.text(language)) {
                    TextField(Words.quantity.text(language), text: $quantity)
                        .keyboardType(.decimalPad)
                        .frame(minHeight: minTouchTarget)
                        .accessibilityLabel(Words.quantity.text(language))
                }
                Section(Words.discount.text(language)) {
                    TextField(Words.discount.text(language), text: $discount, prompt: Text(verbatim: "10% / 5000"))
                        .frame(minHeight: minTouchTarget)
                        .accessibilityLabel(Words.discount.text(language))
                }
                Section {
                    Button(Words.voidLine.format(language, String(line.number)), role: .destructive) {
                        if model?.voidLine(line.number) == true { onClose() }
                    }
                    .frame(minHeight: minTouchTarget)
                }
            }
            .disabled(!register.state.canEdit)
            .navigationTitle(line.name)
            .navigationBarTitleDisplayMode(.inline)
            .toolbar {
                ToolbarItem(placement: .cancellationAction) { Button(Words.cancel.text(language), action: onClose) }
                ToolbarItem(placement: .confirmationAction) { Button(Words.ok.text(language), action: save) }
            }
            .onAppear {
                quantity = line.quantityText
                discount = line.discountText ?? ""
            }
        }
        .presentationDetents([.medium, .large])
    }

    private var model: RegisterViewModel? { register.model as? RegisterViewModel }

    private func save() {
        guard let model else { return }
        guard quantity == line.quantityText || model.setQuantity(line: line.number, quantity) else { return }
        guard discount == (line.discountText ?? "") || model.setLineDiscount(line: line.number, discount) else { return }
        onClose()
    }
}

extension LineRow: Identifiable {
    public var id: Int { number }
}
