// The Kasir register app for iPhone and iPad: one store file in Application Support, the
// device token in the Keychain, the core's logs in the unified log, and background sync woken
// by NWPathMonitor once the device is enrolled.

import KasirKit
import SwiftUI

@main
struct KasirApp: App {
    @StateObject private var register = RegisterModel()

    var body: some Scene {
        WindowGroup {
            RootView()
                .environmentObject(register)
                .task { await register.start() }
        }
    }
}

/// The store while it opens, then the register.
struct RootView: View {
    @EnvironmentObject private var register: RegisterModel

    var body: some View {
        if let failure = register.openFailure {
            ContentUnavailableView("Kasir", systemImage: "exclamationmark.triangle",
                                   description: Text(failure))
        } else if let screen = register.register {
            NavigationStack {
                RegisterView(register: screen)
            }
        } else {
            ProgressView("Opening the store…")
        }
    }
}
