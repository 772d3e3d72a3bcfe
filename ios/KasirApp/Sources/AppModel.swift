// The app's state: the store, opened once, and the screens' view models (KasirViewModels, the
// same classes the Linux tests drive), each wrapped in `Observed` for SwiftUI. Nothing here
// computes an amount or decides a rule: it opens the store, says which screen is shown, makes
// each screen's view model, and hands the platform's services (haptics, the camera, the
// network monitor) to them.

import Foundation
import KasirKit
import KasirViewModels
import UIKit

/// The screens of the app (the Compose app's `Destination`).
enum Destination: Hashable {
    case register, payment, receipt, sync, devices, settings, enrol, shift
}

@MainActor
final class AppModel: ObservableObject {
    @Published private(set) var register: Observed<RegisterState, ScanEvent>?
    @Published private(set) var payment: Observed<PaymentScreenState, PaymentEvent>?
    @Published private(set) var sync: Observed<SyncState, NoEvent>?
    @Published private(set) var settings: Observed<SettingsState, NoEvent>?
    @Published private(set) var receipt: Observed<ReceiptState, NoEvent>?
    @Published private(set) var openFailure: String?
    /// The screen shown over the register (the register itself when nil).
    @Published var destination: Destination = .register

    /// The device's language: the settings' choice, or the system's.
    var language: Language {
        settingsModel?.language ?? Language.forDevice(Foundation.Locale.preferredLanguages.first ?? "en")
    }

    /// The store's name, for the top bar.
    var storeName: String { settings?.state.storeName ?? "Kasir" }

    private(set) var kasir: KasirStore?
    /// The live camera while queue-busting (see CameraScan.swift).
    private(set) var camera: CameraScan?
    private let preferences = DefaultsPreferences()
    /// Where the receipt's PNG, PDF or link goes: the system share sheet.
    private let shareSheet = ActivityShareSheet()
    /// One CoreBluetooth central for the app's life: made again, it would ask again.
    private lazy var bluetooth = CoreBluetoothPort()
    /// Prints receipts on `ble:` printers over CoreBluetooth (CoreBluetoothPrinter.swift).
    private let printer = coreBluetoothReceiptPrinter()
    /// The paired card reader over CoreBluetooth (CoreBluetoothCardReader.swift), connected on
    /// the first payment on it.
    private let cardReader = coreBluetoothCardReader()
    private var observations: [Observation] = []

    var registerModel: RegisterViewModel? { register?.model as? RegisterViewModel }
    var paymentModel: PaymentViewModel? { payment?.model as? PaymentViewModel }
    var syncModel: SyncViewModel? { sync?.model as? SyncViewModel }
    var settingsModel: SettingsViewModel? { settings?.model as? SettingsViewModel }

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
            let settingsModel = SettingsViewModel(
                kasir: kasir, preferences: preferences,
                deviceLocale: Foundation.Locale.preferredLanguages.first ?? "en")
            settings = Observed(settingsModel)
            try makeScreens(kasir)
        } catch {
            openFailure = UiMessage.of(error, language).text
        }
    }

    /// The register, payment and sync view models in the device's language; made again when
    /// the language changes (the open sale is kept: the new register continues it).
    private func makeScreens(_ kasir: KasirStore) throws {
        let language = self.language
        let openSale = self.registerModel?.register
        let registerModel = try RegisterViewModel(kasir: kasir, language: language, register: openSale)
        // A haptic for each scan: success when the item went into the cart, error when not.
        let haptics = UINotificationFeedbackGenerator()
        observations = [registerModel.events { event in
            switch event {
            case .accepted: haptics.notificationOccurred(.success)
            case .rejected: haptics.notificationOccurred(.error)
            }
        }]
        register = Observed(registerModel)
        syncModel?.stopBackgroundSync()
        let syncModel = SyncViewModel(kasir: kasir, language: language)
        sync = Observed(syncModel)
        if syncModel.state.enrolled {
            try? syncModel.syncInBackground(network: PathNetworkMonitor())
        }
        payment = nil
        receipt = nil
    }

    /// The device's language changed in the settings: every screen is drawn again in it.
    func languageChanged() {
        guard let kasir else { return }
        try? makeScreens(kasir)
    }

    // The register's way to the other screens.

    /// Opens the payment screen of the sale on the register.
    func pay() {
        guard let registerModel else { return }
        let model = registerModel.payment(cardReader: cardReader)
        observations.append(model.events { [weak self] event in
            if case .completed(let receiptNumber, _) = event {
                self?.showReceipt(receiptNumber)
                self?.syncModel?.syncSoon()
            }
        })
        payment = Observed(model)
        destination = .payment
    }

    /// Back to the register from the payment screen (the sale stays on the register).
    func closePayment() {
        payment = nil
        registerModel?.refresh()
        destination = .register
    }

    private func showReceipt(_ number: String) {
        guard let kasir else { return }
        let model = ReceiptViewModel(kasir: kasir, receiptNumber: number, language: language,
                                     printerPort: printer, printerName: settings?.state.printerName,
                                     sharePort: shareSheet)
        receipt = Observed(model)
        payment = nil
        destination = .receipt
    }

    /// The receipt's "new sale": back to an empty register.
    func newSale() {
        receipt = nil
        registerModel?.refresh()
        destination = .register
    }

    // The setup screens: their view models are made when the screen opens.

    @Published private(set) var enrolment: Observed<EnrolmentState, NoEvent>?
    @Published private(set) var devices: Observed<DevicesState, NoEvent>?
    @Published private(set) var shift: Observed<ShiftState, NoEvent>?

    /// Shows `destination` (a setup screen or the sync details) over the register.
    func open(_ destination: Destination) {
        guard let kasir else { return }
        switch destination {
        case .enrol: enrolment = Observed(EnrolmentViewModel(kasir: kasir, language: language))
        case .devices: devices = Observed(DevicesViewModel(kasir: kasir, language: language, bluetooth: bluetooth))
        case .shift: shift = Observed(ShiftViewModel(kasir: kasir, language: language))
        case .settings: settingsModel?.refresh()
        case .sync: syncModel?.refresh()
        case .register, .payment, .receipt: break
        }
        self.destination = destination
    }

    /// Back to the register from a setup screen; the sync bar reads the status again (an
    /// enrolment or a shift may have changed it), and background sync starts once enrolled.
    func back(fromEnrolment: Bool = false) {
        enrolment = nil
        devices = nil
        shift = nil
        syncModel?.refresh()
        if fromEnrolment, let syncModel, syncModel.state.enrolled {
            try? syncModel.syncInBackground(network: PathNetworkMonitor())
        }
        destination = .register
    }

    // Camera scanning.

    /// Starts camera scanning: every new read goes into the open sale through the register's
    /// view model, whose accept event plays the haptic. False when the camera is denied.
    func startCamera() async -> Bool {
        if camera == nil {
            camera = try? CameraScan { [weak self] code in _ = self?.registerModel?.scan(code) }
        }
        guard let camera else { return false }
        return await camera.start()
    }

    func stopCamera() {
        camera?.stop()
    }
}
