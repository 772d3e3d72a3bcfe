// The Kasir register app for iPhone and iPad: one store file in Application Support, the
// device token in the Keychain, the core's logs in the unified log, and background sync woken
// by NWPathMonitor once the device is enrolled. The screens follow the Compose app
// (android/app/src/main/kotlin/id/kasir/app/ui): the sync bar always on top, the register with
// its payment and receipt, and the setup screens behind the menu.

import KasirKit
import KasirViewModels
import SwiftUI

@main
struct KasirApp: App {
    @StateObject private var app = AppModel()

    var body: some Scene {
        WindowGroup {
            RootView()
                .environmentObject(app)
                .task { await app.start() }
        }
    }
}

/// The store while it opens, then the app: the top bar and the screen chosen.
struct RootView: View {
    @EnvironmentObject private var app: AppModel

    var body: some View {
        if let failure = app.openFailure {
            ContentUnavailableView("Kasir", systemImage: "exclamationmark.triangle", description: Text(failure))
        } else if let register = app.register, let sync = app.sync {
            VStack(spacing: 0) {
                TopBar(sync: sync)
                Divider()
                screen(register)
                    .frame(maxWidth: .infinity, maxHeight: .infinity)
            }
        } else {
            ProgressView()
        }
    }

    @ViewBuilder
    private func screen(_ register: Observed<RegisterState, ScanEvent>) -> some View {
        let language = app.language
        switch app.destination {
        case .register:
            RegisterView(register: register, language: language)
        case .payment:
            if let payment = app.payment {
                PaymentView(register: register, payment: payment, language: language, onBack: app.closePayment)
            } else {
                RegisterView(register: register, language: language)
            }
        case .receipt:
            if let receipt = app.receipt {
                ReceiptView(receipt: receipt, language: language, onNewSale: app.newSale)
            } else {
                RegisterView(register: register, language: language)
            }
        case .sync:
            if let sync = app.sync { SyncDetailsView(sync: sync, language: language, onBack: { app.back() }) }
        case .devices:
            if let devices = app.devices { DevicesView(devices: devices, language: language, onBack: { app.back() }) }
        case .settings:
            if let settings = app.settings {
                SettingsView(settings: settings, onBack: { app.back() }, onLanguageChanged: app.languageChanged)
            }
        case .shift:
            if let shift = app.shift { ShiftView(shift: shift, language: language, onBack: { app.back() }) }
        case .enrol:
            if let enrolment = app.enrolment {
                EnrolmentView(enrolment: enrolment, language: language, onBack: { app.back(fromEnrolment: true) })
            }
        }
    }
}

/// The store's name, the sync bar and the way to the other screens: buttons side by side on an
/// iPad (regular width), a menu on an iPhone with the sync bar on a line of its own.
struct TopBar: View {
    @EnvironmentObject private var app: AppModel
    @ObservedObject var sync: Observed<SyncState, NoEvent>
    @Environment(\.horizontalSizeClass) private var width

    /// A way to another screen.
    struct Link: Identifiable {
        let destination: Destination
        let title: String
        var id: Destination { destination }
    }

    private var links: [Link] {
        let language = app.language
        return [
            Link(destination: .shift, title: Words.shift.text(language)),
            Link(destination: .enrol, title: Words.enrolMenu.text(language)),
            Link(destination: .devices, title: Words.printers.text(language)),
            Link(destination: .settings, title: Words.settings.text(language)),
        ]
    }

    var body: some View {
        Group {
            if width == .regular {
                HStack(spacing: 12) {
                    storeName
                    SyncBar(sync: sync, language: app.language) { app.open(.sync) }
                        .frame(maxWidth: .infinity, alignment: .leading)
                    ForEach(links) { link in
                        Button(link.title) { app.open(link.destination) }
                            .frame(minHeight: minTouchTarget)
                    }
                }
            } else {
                VStack(alignment: .leading, spacing: 4) {
                    HStack {
                        storeName
                        Spacer()
                        Menu(Words.menu.text(app.language)) {
                            ForEach(links) { link in
                                Button(link.title) { app.open(link.destination) }
                            }
                        }
                        .frame(minWidth: minTouchTarget, minHeight: minTouchTarget)
                    }
                    SyncBar(sync: sync, language: app.language) { app.open(.sync) }
                }
            }
        }
        .padding(.horizontal, 12)
        .padding(.vertical, 4)
    }

    private var storeName: some View {
        Button { app.destination = .register } label: {
            Text(app.storeName).font(.headline).lineLimit(1)
        }
        .frame(minHeight: minTouchTarget)
        .accessibilityLabel(Words.register.text(app.language) + ", " + app.storeName)
    }
}
