// The app's state: the store, opened once, and the view models of the register, payment and
// sync screens (KasirViewModels, the same classes the Linux tests drive). The screens draw the
// view models' state; this file only opens the store and starts background sync.

import Foundation
import KasirKit
import KasirViewModels
import UIKit

@MainActor
final class RegisterModel: ObservableObject {
    @Published private(set) var register: Observed<RegisterState, ScanEvent>?
    @Published private(set) var payment: Observed<PaymentScreenState, PaymentEvent>?
    @Published private(set) var sync: Observed<SyncState, NoEvent>?
    @Published private(set) var lastReceipt: String?
    @Published private(set) var openFailure: String?

    /// The device's language (Settings can change it; the screens are made again then).
    let language = Language.forDevice(Foundation.Locale.preferredLanguages.first ?? "en")

    private var kasir: KasirStore?
    /// The live camera while queue-busting (see CameraScan.swift).
    private(set) var camera: CameraScan?

    var isOpen: Bool { register != nil }

    var registerModel: RegisterViewModel? { register?.model as? RegisterViewModel }
    var paymentModel: PaymentViewModel? { payment?.model as? PaymentViewModel }

    /// Opens (or on first launch sets up) the store, and starts background sync when the
    /// device is enrolled.
    func start() async {
        guard kasir == nil else { return }
        do {
            try? KasirStore.sendLogs(to: OSLogSink(), level: .info)
            let folder = try FileManager.default.url(
                for: .applicationSupportDirectory, in: .userDomainMask, appropriateFor: nil, create: true)
            let kasir = try await KasirStore.open(
                at: folder.appendingPathComponent("kasir.db"),
                creating: NewStore(name: "Toko Saya", deviceCode: "D01", sampleCatalog: true),
                secureStorage: KeychainStorage())
            self.kasir = kasir
            let registerModel = try RegisterViewModel(kasir: kasir, language: language)
            // A haptic for each scan: success when the item went into the cart, error when not.
            let haptics = UINotificationFeedbackGenerator()
            registerModel.events { event in
                switch event {
                case .accepted: haptics.notificationOccurred(.success)
                case .rejected: haptics.notificationOccurred(.error)
                }
            }
            register = Observed(registerModel)
            let syncModel = SyncViewModel(kasir: kasir, language: language)
            sync = Observed(syncModel)
            if syncModel.state.enrolled {
                try? syncModel.syncInBackground(network: PathNetworkMonitor())
            }
        } catch {
            openFailure = UiMessage.of(error, language).text
        }
    }

    /// Opens the payment screen of the sale on the register.
    func pay() {
        guard let registerModel else { return }
        let model = registerModel.payment()
        _ = model.events { [weak self] event in
            if case .completed(let receipt, _) = event {
                self?.lastReceipt = receipt
                self?.payment = nil
                (self?.sync?.model as? SyncViewModel)?.syncSoon()
            }
        }
        payment = Observed(model)
    }

    /// Closes the payment screen (the sale stays on the register).
    /// Starts camera scanning: every new read goes into the open sale through the register's
    /// view model, whose accept event plays the sound or haptic. False when the camera is denied.
    func startCamera() async -> Bool {
        if camera == nil {
            camera = try? CameraScan { [weak self] code in self?.registerModel?.scan(code) }
        }
        guard let camera else { return false }
        return await camera.start()
    }

    func stopCamera() {
        camera?.stop()
    }

    func closePayment() {
        payment = nil
        registerModel?.refresh()
    }
}
