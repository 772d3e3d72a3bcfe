// The register screen: scan or type a code, see the lines and the total, take the payment.

import KasirKit
import SwiftUI

/// Rupiah as printed in Indonesia (`Rp 23.400`), from the exact Decimal; never via Double.
func rupiah(_ amount: Decimal) -> String {
    amount.formatted(.currency(code: "IDR").locale(Locale(identifier: "id_ID")).precision(.fractionLength(0)))
}

struct RegisterView: View {
    @EnvironmentObject private var register: RegisterModel
    @State private var code = ""
    @State private var cash = ""
    @FocusState private var scanning: Bool

    var body: some View {
        List {
            Section {
                TextField("Scan or type a barcode", text: $code)
                    .keyboardType(.numberPad)
                    .focused($scanning)
                    .onSubmit {
                        register.scan(code)
                        code = ""
                        scanning = true
                    }
            }
            if let cart = register.cart {
                Section("Sale") {
                    ForEach(cart.lines.filter { !$0.voided }, id: \.number) { line in
                        HStack {
                            VStack(alignment: .leading) {
                                Text(line.name)
                                Text("\(line.quantity.formatted()) × \(rupiah(line.unitPrice))")
                                    .font(.caption).foregroundStyle(.secondary)
                            }
                            Spacer()
                            Text(rupiah(lineAmount(cart, line.number)))
                        }
                    }
                }
                Section {
                    row("Discount", -cart.totals.discountTotal)
                    row("PPN included", cart.totals.taxTotal)
                    row("Total", cart.totals.total).font(.headline)
                    if !cart.payment.tenders.isEmpty {
                        row("Still due", cart.payment.remaining)
                        row("Change", cart.payment.change)
                    }
                }
                Section("Payment") {
                    Button("10% off the order") { register.discount(percent: 10) }
                    TextField("Cash handed over (plain digits)", text: $cash).keyboardType(.numberPad)
                    Button("Pay cash") {
                        register.payCash(cash.isEmpty ? nil : Decimal(string: cash, locale: Locale(identifier: "en_US_POSIX")))
                        cash = ""
                    }
                    Button("Card approved on the terminal") {
                        register.payCard(approvalCode: "A1B2C3", last4: "1234", brand: "VISA")
                    }
                    Button("Complete sale") { Task { await register.complete() } }
                        .disabled(!cart.payment.isPaid || cart.lines.isEmpty)
                    if !cart.payment.tenders.isEmpty {
                        Button("Void payments", role: .destructive) { register.voidPayments() }
                    }
                }
            }
            if let sale = register.lastSale {
                Section("Last sale") {
                    row(sale.receiptNumber, sale.total)
                }
            }
            if let sync = register.sync, sync.enrolled {
                Section("Sync") {
                    Text(sync.waiting == 0 ? "All sales sent" : "\(sync.waiting) sales waiting")
                    if let error = sync.lastError { Text(error).foregroundStyle(.red) }
                }
            }
        }
        .navigationTitle("Kasir")
        .onAppear { scanning = true }
        .alert("Kasir", isPresented: Binding(get: { register.problem != nil },
                                             set: { if !$0 { register.problem = nil } })) {
            Button("OK", role: .cancel) {}
        } message: {
            Text(register.problem ?? "")
        }
    }

    private func lineAmount(_ cart: CartView, _ number: UInt32) -> Decimal {
        cart.totals.lines.first { $0.number == number }?.amount ?? 0
    }

    private func row(_ label: String, _ amount: Decimal) -> some View {
        HStack {
            Text(label)
            Spacer()
            Text(rupiah(amount))
        }
    }
}
