// The devices view model's Bluetooth states, messages, actions, scan and pairing (the Kotlin
// DevicesViewModelTest's cases), over the real core.

import Foundation
import KasirKit
import KasirViewModels
import XCTest

/// A Bluetooth port that does what the clerk would see on a phone: a permission prompt the test
/// answers, an adapter the test turns on and off, a scan the test feeds. It records what the
/// view model asked of it.
@MainActor
final class PhoneBluetooth: BluetoothPort {
    var availability: BluetoothState
    private(set) var listener: BluetoothListener?
    private(set) var asked: [String] = []
    private(set) var scanning = false
    var refuseScan = false

    init(_ availability: BluetoothState) {
        self.availability = availability
    }

    func observe(_ listener: BluetoothListener?) {
        self.listener = listener
    }

    func requestPermission() { asked.append("permission") }
    func requestEnable() { asked.append("enable") }
    func openSettings() { asked.append("settings") }

    func startScan() -> Bool {
        asked.append("scan")
        if refuseScan { return false }
        scanning = true
        return true
    }

    func stopScan() {
        asked.append("stop")
        scanning = false
        listener?.scanStopped(failed: false)
    }

    /// The system tells the app Bluetooth changed (permission answered, adapter switched).
    func change(to state: BluetoothState) {
        availability = state
        listener?.availabilityChanged(state)
    }
}

/// A printer as a scan finds it.
private let printer = FoundDevice(name: "RPP02N", address: "66:22:B3:01:02:03")

final class DevicesViewModelTests: XCTestCase {
    func testEveryStateHasItsMessageAndActionInBothLanguages() async throws {
        try await onMain {
            let kasir = try await openSampleStore()
            let expected: [(BluetoothState, String?, String?, BluetoothAction?, String?, String?)] = [
                (.unsupported, "Kasir cannot use Bluetooth on this device", "Kasir tidak bisa memakai Bluetooth di perangkat ini", nil, nil, nil),
                (.off, "Bluetooth is off: turn it on to find printers", "Bluetooth mati: nyalakan untuk mencari printer",
                 .turnOn, "Turn on Bluetooth", "Nyalakan Bluetooth"),
                (.permissionNotAsked,
                 "Kasir needs your permission to find and connect to Bluetooth printers and card readers",
                 "Kasir perlu izin Anda untuk mencari dan menghubungkan printer dan mesin kartu Bluetooth",
                 .askPermission, "Allow Bluetooth", "Izinkan Bluetooth"),
                (.denied, "Bluetooth permission was refused: Kasir cannot find printers without it",
                 "Izin Bluetooth ditolak: Kasir tidak bisa mencari printer tanpanya",
                 .askPermission, "Allow Bluetooth", "Izinkan Bluetooth"),
                (.deniedPermanently, "Kasir may not use Bluetooth: allow it in the system settings",
                 "Kasir tidak diizinkan memakai Bluetooth: izinkan di pengaturan sistem",
                 .openSettings, "Open settings", "Buka pengaturan"),
                (.ready, nil, nil, nil, nil, nil),
            ]
            for (bluetooth, en, id, action, actionEn, actionId) in expected {
                for language in [Language.en, Language.id] {
                    let model = DevicesViewModel(kasir: kasir, language: language, bluetooth: PhoneBluetooth(bluetooth))
                    let state = model.state
                    XCTAssertEqual(state.bluetooth, bluetooth)
                    XCTAssertEqual(state.bluetoothMessage, language == .id ? id : en, "\(bluetooth) \(language)")
                    XCTAssertEqual(state.bluetoothAction, action, "\(bluetooth)")
                    XCTAssertEqual(state.bluetoothActionText, language == .id ? actionId : actionEn, "\(bluetooth) \(language)")
                    XCTAssertEqual(state.canSearch, bluetooth == .ready, "\(bluetooth)")
                    XCTAssertEqual(state.canPair, bluetooth == .ready, "\(bluetooth)")
                    model.close()
                }
            }
        }
    }

    func testWithoutAPortThereIsNoBluetoothAndNothingToDo() async throws {
        try await onMain {
            let kasir = try await openSampleStore()
            let model = DevicesViewModel(kasir: kasir, language: .en)
            XCTAssertEqual(model.state.bluetooth, .unsupported)
            XCTAssertEqual(model.state.bluetoothMessage, "Kasir cannot use Bluetooth on this device")
            XCTAssertFalse(model.search())
            model.bluetoothAction()
            XCTAssertEqual(model.state.bluetooth, .unsupported)
            XCTAssertFalse(model.pairPrinter(printer, name: "kasir", profile: "generic-58"))
            XCTAssertEqual(try kasir.printers(), [])
        }
    }

    func testFromAFirstStartToAPairedPrinter() async throws {
        try await onMain {
            let kasir = try await openSampleStore()
            let bluetooth = PhoneBluetooth(.permissionNotAsked)
            let model = DevicesViewModel(kasir: kasir, language: .en, bluetooth: bluetooth)
            XCTAssertNotNil(bluetooth.listener, "the view model listens to the port")

            // Not asked yet: the action asks; no scan until Bluetooth is ready.
            XCTAssertFalse(model.search())
            model.bluetoothAction()
            XCTAssertEqual(bluetooth.asked, ["permission"])
            // Refused once: asking again is still offered; refused for good: only the settings help.
            bluetooth.change(to: .denied)
            XCTAssertEqual(model.state.bluetoothAction, .askPermission)
            model.bluetoothAction()
            bluetooth.change(to: .deniedPermanently)
            model.bluetoothAction()
            XCTAssertEqual(bluetooth.asked, ["permission", "permission", "settings"])

            // Allowed in the settings, the adapter off: the action turns it on.
            bluetooth.change(to: .off)
            XCTAssertFalse(model.search())
            XCTAssertFalse(model.pairPrinter(printer, name: "kasir", profile: "generic-58"), "no pairing while Bluetooth is off")
            XCTAssertEqual(model.state.message?.title, Label.errorNotAllowed.text(.en))
            XCTAssertEqual(model.state.message?.detail, Label.bluetoothOff.text(.en))
            XCTAssertEqual(try kasir.printers(), [])
            model.bluetoothAction()
            XCTAssertEqual(bluetooth.asked.last, "enable")
            XCTAssertFalse(bluetooth.asked.contains("scan"), "no scan was started before Bluetooth was ready")

            bluetooth.change(to: .ready)
            XCTAssertNil(model.state.bluetoothMessage)
            XCTAssertNil(model.state.bluetoothAction)
            model.dismissMessage()

            // The scan: devices seen again are kept once, under their latest name.
            XCTAssertTrue(model.search())
            XCTAssertTrue(bluetooth.scanning)
            XCTAssertEqual(model.state.bluetooth, .scanning)
            XCTAssertTrue(model.state.searching)
            XCTAssertFalse(model.search(), "one scan at a time")
            bluetooth.listener?.deviceFound(printer)
            bluetooth.listener?.deviceFound(FoundDevice(name: "Reader", address: "00:11:22:33:44:55", kind: .cardReader))
            bluetooth.listener?.deviceFound(FoundDevice(name: "RPP02N-BLE", address: printer.address))
            XCTAssertEqual(model.state.found.map(\.name), ["Reader", "RPP02N-BLE"])
            // The port saying Bluetooth is still ready does not end the scan.
            bluetooth.listener?.availabilityChanged(.ready)
            XCTAssertEqual(model.state.bluetooth, .scanning)
            model.stopSearch()
            XCTAssertEqual(bluetooth.asked.last, "stop")
            XCTAssertEqual(model.state.bluetooth, .ready)
            XCTAssertFalse(model.state.searching)
            // A late result of the ended scan is dropped.
            bluetooth.listener?.deviceFound(FoundDevice(name: "Late", address: "AA:BB:CC:DD:EE:FF"))
            XCTAssertEqual(model.state.found.count, 2)

            // Pairing: the core checks the profile, and saves the printer.
            let found = try XCTUnwrap(model.state.found.last)
            XCTAssertFalse(model.pairPrinter(found, name: "kasir", profile: "no-such-profile"))
            XCTAssertNotNil(model.state.message)
            XCTAssertEqual(try kasir.printers(), [])
            XCTAssertTrue(model.pairPrinter(found, name: "kasir", profile: "generic-58"))
            let saved = SavedPrinter(name: "kasir", target: "bt:66:22:B3:01:02:03", profile: "generic-58")
            XCTAssertEqual(try kasir.printers(), [saved])
            XCTAssertEqual(model.state.printers, [saved])
            XCTAssertNil(model.state.message)

            model.close()
            XCTAssertNil(bluetooth.listener, "closed: the view model no longer listens")
        }
    }

    func testBluetoothGoingAwayEndsTheScanAndDropsWhatItFound() async throws {
        try await onMain {
            let kasir = try await openSampleStore()
            let bluetooth = PhoneBluetooth(.ready)
            let model = DevicesViewModel(kasir: kasir, language: .id, bluetooth: bluetooth)
            XCTAssertTrue(model.search())
            bluetooth.listener?.deviceFound(printer)
            bluetooth.change(to: .off)
            XCTAssertEqual(model.state.bluetooth, .off)
            XCTAssertFalse(model.state.searching)
            XCTAssertEqual(model.state.found, [])
            XCTAssertEqual(model.state.bluetoothMessage, "Bluetooth mati: nyalakan untuk mencari printer")
            XCTAssertEqual(model.state.bluetoothActionText, "Nyalakan Bluetooth")

            // The permission taken away in the settings while scanning.
            bluetooth.change(to: .ready)
            XCTAssertTrue(model.search())
            bluetooth.change(to: .deniedPermanently)
            XCTAssertEqual(model.state.bluetooth, .deniedPermanently)
            XCTAssertFalse(model.state.canPair)
            model.close()
        }
    }

    func testAScanThatFailsOrDoesNotStartSaysSo() async throws {
        try await onMain {
            let kasir = try await openSampleStore()
            let bluetooth = PhoneBluetooth(.ready)
            let model = DevicesViewModel(kasir: kasir, language: .en, bluetooth: bluetooth)
            XCTAssertTrue(model.search())
            bluetooth.listener?.scanStopped(failed: true)
            XCTAssertEqual(model.state.bluetooth, .ready)
            XCTAssertEqual(model.state.message?.title, "The Bluetooth search stopped with an error: try again")

            bluetooth.refuseScan = true
            XCTAssertFalse(model.search())
            XCTAssertEqual(model.state.bluetooth, .ready)
            XCTAssertEqual(model.state.message?.title, Label.bluetoothScanFailed.text(.en))

            // Closing while a scan runs stops it.
            bluetooth.refuseScan = false
            XCTAssertTrue(model.search())
            model.close()
            XCTAssertFalse(bluetooth.scanning)
            XCTAssertNil(bluetooth.listener)
        }
    }
}
