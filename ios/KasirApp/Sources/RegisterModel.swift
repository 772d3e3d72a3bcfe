// The register screen's state: the open sale as the core last described it, and the one
// place that turns the core's errors into what the clerk reads.

import Foundation
import KasirKit

/// Drives the register screen on the main actor; every change goes through the core and the
/// screen redraws from the `CartView` it returns.
@MainActor
final class RegisterModel: ObservableObject {
    @Published private(set) var cart: CartView?
    @Published private(set) var lastSale: Sale?
    @Published private(set) var sync: SyncStatus?
    @Published var problem: String?
    @Published private(set) var openFailure: String?

    private var store: KasirStore?
    private var sale: OpenSale?
    private var backgroundSync: BackgroundSync?

    var isOpen: Bool { sale != nil }

    /// Opens (or on first launch sets up) the store, and starts background sync when the
    /// device is enrolled.
    func start() async {
        guard store == nil else { return }
        do {
            try? KasirStore.sendLogs(to: OSLogSink(), level: .info)
            let folder = try FileManager.default.url(
                for: .applicationSupportDirectory, in: .userDomainMask, appropriateFor: nil, create: true)
            let store = try await KasirStore.open(
                at: folder.appendingPathComponent("kasir.db"),
                creating: NewStore(name: "Toko Saya", deviceCode: "D01", sampleCatalog: true),
                secureStorage: KeychainStorage())
            let sale = try store.newSale()
            self.store = store
            self.sale = sale
            cart = try sale.view
            sync = try await store.syncStatus()
            if sync?.enrolled == true {
                startBackgroundSync(store)
            }
        } catch {
            openFailure = describe(error)
        }
    }

    private func startBackgroundSync(_ store: KasirStore) {
        guard let background = try? store.startSync(network: PathNetworkMonitor()) else { return }
        backgroundSync = background
        Task { [weak self] in
            for await update in background.updates {
                self?.sync = update.status
            }
        }
    }

    /// A code from the barcode scanner (a keyboard-wedge scanner types it and Enter) or typed.
    func scan(_ code: String) {
        let code = code.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !code.isEmpty else { return }
        change { try $0.scan(code) }
    }

    /// A discount on the whole order, in percent.
    func discount(percent: Decimal) {
        change { try $0.discountOrder(.percent(percent)) }
    }

    /// Cash handed over, or exactly what is due.
    func payCash(_ amount: Decimal?) {
        change { try $0.pay(cash: amount) }
    }

    /// A card payment approved on the external terminal, for what is still due.
    func payCard(approvalCode: String, last4: String, brand: String) {
        change { try $0.pay(card: nil, approvalCode: approvalCode, last4: last4, brand: brand) }
    }

    /// Takes back the payments so the sale can be changed.
    func voidPayments() {
        change { try $0.voidPayments() }
    }

    /// Completes the paid sale, then asks background sync to send it now.
    func complete() async {
        guard let sale else { return }
        do {
            lastSale = try await sale.complete()
            cart = try sale.view
            backgroundSync?.syncNow()
        } catch {
            problem = describe(error)
        }
    }

    private func change(_ edit: (OpenSale) throws -> CartView) {
        guard let sale else { return }
        do {
            cart = try edit(sale)
        } catch {
            problem = describe(error)
        }
    }

    private func describe(_ error: Error) -> String {
        (error as? KasirError)?.message ?? error.localizedDescription
    }
}
