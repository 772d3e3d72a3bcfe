// Printers and card readers: the Bluetooth state, the devices a CoreBluetooth scan finds, pairing
// one as a printer with a profile (saved in the store by DevicesViewModel), and the saved
// printers. The scan only reports what it sees; the view model decides what to show.

import CoreBluetooth
import KasirKit
import KasirViewModels
import SwiftUI

struct DevicesView: View {
    @ObservedObject var devices: Observed<DevicesState, NoEvent>
    let language: Language
    let onBack: () -> Void
    @StateObject private var scan = BluetoothScan()
    @State private var profile = ""

    private var model: DevicesViewModel? { devices.model as? DevicesViewModel }
    private var state: DevicesState { devices.state }

    var body: some View {
        VStack(alignment: .leading, spacing: 0) {
            ScreenHeader(title: Words.devices.text(language), language: language, onBack: onBack)
            Form {
                if let text = state.bluetoothMessage { Text(text) }
                if let message = state.message { MessageView(message: message, language: language) }
                Section {
                    BigButton(title: (state.searching ? Words.searching : Words.scanDevices).text(language),
                              enabled: !state.searching && state.bluetooth == .ready) {
                        scan.start()
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
                                .disabled(paired || profile.isEmpty)
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
            scan.attach(to: model)
        }
        .onDisappear { scan.stop() }
    }
}

/// CoreBluetooth's central: its state and the peripherals it sees, told to the view model.
@MainActor
final class BluetoothScan: NSObject, ObservableObject, @preconcurrency CBCentralManagerDelegate {
    private var central: CBCentralManager?
    private weak var model: DevicesViewModel?

    func attach(to model: DevicesViewModel?) {
        self.model = model
        if central == nil {
            // Creating the manager asks for the Bluetooth permission the first time
            // (NSBluetoothAlwaysUsageDescription says why).
            central = CBCentralManager(delegate: self, queue: .main)
        } else if let central {
            centralManagerDidUpdateState(central)
        }
    }

    func start() {
        guard let central, central.state == .poweredOn else { return }
        model?.searchStarted()
        central.scanForPeripherals(withServices: nil, options: [CBCentralManagerScanOptionAllowDuplicatesKey: false])
        // The scan stops by itself after a while (battery).
        Task { @MainActor [weak self] in
            try? await Task.sleep(for: .seconds(15))
            self?.stop()
        }
    }

    func stop() {
        guard let central, central.isScanning else { return }
        central.stopScan()
        model?.searchStopped()
    }

    func centralManagerDidUpdateState(_ central: CBCentralManager) {
        let state: BluetoothState
        switch central.state {
        case .poweredOn: state = .ready
        case .poweredOff: state = .off
        case .unauthorized: state = .denied
        case .unsupported: state = .unavailable
        default: state = .unknown
        }
        model?.bluetoothChanged(state)
    }

    func centralManager(_ central: CBCentralManager, didDiscover peripheral: CBPeripheral,
                        advertisementData: [String: Any], rssi RSSI: NSNumber) {
        guard let name = peripheral.name ?? advertisementData[CBAdvertisementDataLocalNameKey] as? String else { return }
        // CoreBluetooth gives no hardware address: the peripheral's identifier stands for it.
        model?.deviceFound(FoundDevice(name: name, address: peripheral.identifier.uuidString))
    }
}
