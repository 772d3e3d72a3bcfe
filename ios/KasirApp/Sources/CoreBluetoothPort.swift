// Bluetooth for the devices screen on iOS: CoreBluetooth behind the view models' `BluetoothPort`
// (KasirViewModels/DevicesViewModel.swift). The screen makes
// `DevicesViewModel(kasir:language:bluetooth: CoreBluetoothPort())`; the view model asks, and
// the answers come back on the main actor.
//
// How iOS differs from Android, and what the states mean here:
// - The permission prompt appears when the app first makes a `CBCentralManager`, so no manager
//   is made before the clerk taps "Allow Bluetooth" (`requestPermission`) unless the app is
//   already allowed. `CBManager.authorization` is read without one.
// - iOS asks once: a refusal is final for the app (`.deniedPermanently`, open the settings);
//   `.restricted` (a managed device) is the same for the clerk. iOS ends the app when a privacy
//   permission is changed in the settings, so there is no change to watch for on return.
// - An app cannot turn Bluetooth on: `requestEnable` makes the manager again with the power
//   alert, the system's own "Turn on Bluetooth" prompt that leads to the settings.
// - Peripherals have no address on iOS: a found device's address is its identifier (a UUID the
//   system keeps for this app), which is what the saved printer's `bt:` target holds.
//
// Written for the iOS app and not compiled on the Linux machines the tests run on (see
// ios/README.md); the view-model side is tested there with a scripted port.

import CoreBluetooth
import Foundation
import KasirViewModels
import UIKit

@MainActor
final class CoreBluetoothPort: NSObject, BluetoothPort {
    /// The services of the receipt printers the core drives (`kasir_devices::ble::PRINTER_SERVICES`,
    /// through the core's `blePrinterServices()`; `kasir printer scan` looks for the same).
    static let printerServices: [CBUUID] = KasirViewModels.printerServices().map { CBUUID(string: $0.service) }

    /// How long a search runs: printers advertise every second or so.
    private static let scanSeconds: UInt64 = 10

    private var central: CBCentralManager?
    private weak var listener: BluetoothListener?
    private var last: BluetoothState?
    private var scanning = false
    private var scanTimer: Task<Void, Never>?

    override init() {
        super.init()
        // Already allowed: making the manager asks nothing, and its state follows at once.
        if CBManager.authorization == .allowedAlways { makeCentral(showPowerAlert: false) }
    }

    private func makeCentral(showPowerAlert: Bool) {
        central = CBCentralManager(delegate: self, queue: .main,
                                   options: [CBCentralManagerOptionShowPowerAlertKey: showPowerAlert])
    }

    var availability: BluetoothState {
        switch CBManager.authorization {
        case .notDetermined: return .permissionNotAsked
        case .denied, .restricted: return .deniedPermanently
        case .allowedAlways: break
        @unknown default: return .unsupported
        }
        guard let central else { return .off }
        switch central.state {
        case .poweredOn: return .ready
        case .poweredOff: return .off
        case .unsupported: return .unsupported
        case .unauthorized: return .deniedPermanently
        // The first state follows within moments of the manager's creation; `.resetting` is a
        // moment's loss of the system's Bluetooth service. Neither allows a scan.
        case .unknown, .resetting: return .off
        @unknown default: return .off
        }
    }

    /// Tells the listener when the availability changed; a scan ends with Bluetooth.
    private func report() {
        let now = availability
        if now != .ready && scanning { endScan(failed: false) }
        if now != last {
            last = now
            listener?.availabilityChanged(now)
        }
    }

    func observe(_ listener: BluetoothListener?) {
        self.listener = listener
        last = availability
    }

    func requestPermission() {
        // Making the first manager shows the system's prompt; its answer arrives as a state update.
        if central == nil { makeCentral(showPowerAlert: false) }
    }

    func requestEnable() {
        makeCentral(showPowerAlert: true)
    }

    func openSettings() {
        guard let url = URL(string: UIApplication.openSettingsURLString) else { return }
        UIApplication.shared.open(url)
    }

    func startScan() -> Bool {
        guard availability == .ready, !scanning, let central else { return false }
        central.scanForPeripherals(withServices: Self.printerServices,
                                   options: [CBCentralManagerScanOptionAllowDuplicatesKey: false])
        scanning = true
        scanTimer = Task { [weak self] in
            try? await Task.sleep(nanoseconds: Self.scanSeconds * 1_000_000_000)
            guard !Task.isCancelled else { return }
            self?.endScan(failed: false)
        }
        return true
    }

    func stopScan() {
        if scanning { endScan(failed: false) }
    }

    private func endScan(failed: Bool) {
        guard scanning else { return }
        scanning = false
        scanTimer?.cancel()
        scanTimer = nil
        if central?.state == .poweredOn { central?.stopScan() }
        listener?.scanStopped(failed: failed)
    }

    fileprivate func found(name: String, identifier: String) {
        guard scanning else { return }
        listener?.deviceFound(FoundDevice(name: name, address: identifier, kind: .printer))
    }
}

extension CoreBluetoothPort: CBCentralManagerDelegate {
    // The manager was made with the main queue: its callbacks run on the main thread.
    nonisolated func centralManagerDidUpdateState(_ central: CBCentralManager) {
        MainActor.assumeIsolated { report() }
    }

    nonisolated func centralManager(_ central: CBCentralManager, didDiscover peripheral: CBPeripheral,
                                    advertisementData: [String: Any], rssi RSSI: NSNumber) {
        let identifier = peripheral.identifier.uuidString
        let name = advertisementData[CBAdvertisementDataLocalNameKey] as? String ?? peripheral.name ?? identifier
        MainActor.assumeIsolated { found(name: name, identifier: identifier) }
    }
}
