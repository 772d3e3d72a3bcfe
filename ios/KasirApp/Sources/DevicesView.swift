// Printers and card readers: the Bluetooth state with its message and action (turn on, allow,
// open settings), the devices the scan finds, pairing one as a printer with a profile (saved in
// the store by DevicesViewModel), and the saved printers. The scan is the view model's
// BluetoothPort (CoreBluetoothPort); the view model decides what to show and what is allowed.

import KasirKit
import KasirViewModels
import SwiftUI

struct DevicesView: View {
    @ObservedObject var devices: Observed<DevicesState, NoEvent>
    let language: Language
    let onBack: () -> Void
    @State private var profile = ""

    private var model: DevicesViewModel? { devices.model as? DevicesViewModel }
    private var state: DevicesState { devices.state }

    var body: some View {
        VStack(alignment: .leading, spacing: 0) {
            ScreenHeader(title: Words.devices.text(language), language: language, onBack: onBack)
            Form {
                if let text = state.bluetoothMessage { Text(text) }
                if let action = state.bluetoothActionText {
                    BigButton(title: action, enabled: true) { model?.bluetoothAction() }
                }
                if let message = state.message { MessageView(message: message, language: language) }
                Section {
                    BigButton(title: (state.searching ? Words.searching : Words.scanDevices).text(language),
                              enabled: state.canSearch) {
                        _ = model?.search()
                    }
                }
                if !state.found.isEmpty {
                    Section(Words.profile.text(language)) {
                        Picker(Words.profile.text(language), selection: $profile) {
                            ForEach(state.profiles, id: \.self) { Text($0).tag($0) }
                        }
                        .frame(minHeight: minTouchTarget)
                    }
                    Section(Words.readers.text(language) + " / " + Words.printers.text(language)) {
                        ForEach(state.found, id: \.address) { device in
                            let paired = state.printers.contains { $0.target.hasSuffix(device.address) }
                            HStack {
                                VStack(alignment: .leading) {
                                    Text(device.name)
                                    Text(device.address).font(.caption).foregroundStyle(.secondary)
                                }
                                Spacer()
                                Button((paired ? Words.paired : Words.pair).text(language)) {
                                    _ = model?.pairPrinter(device, name: device.name, profile: profile)
                                }
                                .buttonStyle(.bordered)
                                .frame(minHeight: minTouchTarget)
                                .disabled(paired || profile.isEmpty || !state.canPair)
                            }
                            .accessibilityElement(children: .combine)
                        }
                    }
                }
                Section(Words.printers.text(language)) {
                    if state.printers.isEmpty {
                        Text(Words.noPrinter.text(language)).foregroundStyle(.secondary)
                    }
                    ForEach(state.printers, id: \.name) { printer in
                        AmountRow(label: "\(printer.name) · \(printer.target)", amount: printer.profile)
                    }
                }
            }
        }
        .onAppear {
            if profile.isEmpty { profile = state.profiles.first ?? "" }
            model?.refresh()
        }
        .onDisappear { model?.stopSearch() }
    }
}
