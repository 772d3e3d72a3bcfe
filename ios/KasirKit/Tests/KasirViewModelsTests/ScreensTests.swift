// The receipt, printers and readers, and settings view models against the real core.

import Foundation
import KasirKit
import KasirViewModels
import XCTest

final class ScreensTests: XCTestCase {
    /// Sells 1 x Kecap Manis for exact cash; returns the receipt number.
    @MainActor
    private func sellKecap(_ kasir: KasirStore) throws -> String {
        let register = try RegisterViewModel(kasir: kasir, language: .id)
        register.scan(Product.kecap)
        let payment = register.payment()
        payment.payCashExact()
        return try XCTUnwrap(payment.complete())
    }

    @MainActor
    func testTheReceiptIsTheCoresAndPrintsItsBytes() async throws {
        let kasir = try await openSampleStore()
        let number = try sellKecap(kasir)
        let printer = RecordingPrinter()
        let model = ReceiptViewModel(kasir: kasir, receiptNumber: number, language: .id, printer: printer)

        await model.print(profile: "generic-58")
        let printed = model.state

        XCTAssertEqual(model.state.text, try kasir.receiptText(number))
        XCTAssertTrue(model.state.text.contains("Kecap Manis"), model.state.text)
        XCTAssertTrue(model.state.text.contains(number), model.state.text)
        XCTAssertEqual(model.shareText(), model.state.text)
        XCTAssertTrue(printed.printed)
        XCTAssertFalse(printed.printing)
        XCTAssertEqual(printer.received, [try kasir.receiptBytes(number, profile: "generic-58")])

        // A printer switched off, an unknown profile, no printer at all: said, not printed.
        printer.failing = true
        await model.print(profile: "generic-58")
        XCTAssertNotNil(model.state.message)
        XCTAssertFalse(model.state.printing)
        printer.failing = false
        await model.print(profile: "no-such-printer")
        XCTAssertNotNil(model.state.message)
        XCTAssertEqual(printer.received.count, 1)
        let unpaired = ReceiptViewModel(kasir: kasir, receiptNumber: number, language: .en, printer: nil)
        await unpaired.print(profile: "generic-58")
        XCTAssertEqual(unpaired.state.message?.text, "No printer is paired")
    }

    @MainActor
    func testAnUnknownReceiptSaysSo() async throws {
        let kasir = try await openSampleStore()
        let model = ReceiptViewModel(kasir: kasir, receiptNumber: "D01-000999", language: .en, printer: nil)
        XCTAssertEqual(model.state.text, "")
        XCTAssertEqual(model.state.message?.title, "Not found")
    }

    @MainActor
    func testBluetoothStatesAndPairingAPrinter() async throws {
        let kasir = try await openSampleStore()
        let model = DevicesViewModel(kasir: kasir, language: .id)
        XCTAssertEqual(model.state.profiles, kasir.printerProfiles())
        XCTAssertTrue(model.state.profiles.contains("generic-58"))

        model.bluetoothChanged(.off)
        XCTAssertEqual(model.state.bluetoothText, "Bluetooth mati: nyalakan untuk mencari printer")
        model.scanStarted()
        XCTAssertFalse(model.state.scanning, "no scan while Bluetooth is off")
        model.bluetoothChanged(.denied)
        XCTAssertEqual(model.state.bluetoothText, Label.bluetoothDenied.text(.id))
        model.bluetoothChanged(.ready)
        XCTAssertNil(model.state.bluetoothText)
        model.scanStarted()
        model.deviceFound(FoundDevice(name: "RPP02N", address: "66:22:B3:01:02:03"))
        model.deviceFound(FoundDevice(name: "MTP-II", address: "00:11:22:33:44:55"))
        model.deviceFound(FoundDevice(name: "RPP02N-BLE", address: "66:22:B3:01:02:03"))
        XCTAssertTrue(model.state.scanning)
        XCTAssertEqual(model.state.found.map(\.name), ["RPP02N-BLE", "MTP-II"])
        model.bluetoothChanged(.off)
        XCTAssertFalse(model.state.scanning, "turning Bluetooth off stops the scan")

        // The core refuses a profile it does not have; a known one is saved in the store.
        XCTAssertFalse(model.pair(model.state.found[1], profile: "no-such-profile"))
        XCTAssertEqual(try kasir.printers(), [])
        XCTAssertNotNil(model.state.message)
        XCTAssertTrue(model.pair(model.state.found[0], profile: "generic-58"))
        let saved = SavedPrinter(name: "RPP02N-BLE", target: "bt:66:22:B3:01:02:03", profile: "generic-58")
        XCTAssertEqual(try kasir.printers(), [saved])
        XCTAssertEqual(model.state.printers, [saved])
        XCTAssertEqual(model.state.message?.text, "Terpasang")
    }

    @MainActor
    func testSettingsAreCheckedByTheCoreAndTheDeviceKeepsItsOwn() async throws {
        let kasir = try await openSampleStore()
        let preferences = MemoryPreferences()
        var told: [Language] = []
        let model = SettingsViewModel(kasir: kasir, language: .id, preferences: preferences,
                                      onLanguage: { told.append($0) })
        XCTAssertEqual(model.state.storeName, "Warung Swift")
        XCTAssertEqual(model.state.receiptLanguage, .id)
        XCTAssertEqual(model.state.deviceLanguage, .id)

        // A blank name is refused by the core and nothing changes.
        XCTAssertFalse(model.setStoreName("  "))
        XCTAssertEqual(model.state.message?.field, "name")
        let unchanged = try await kasir.settings()
        XCTAssertEqual(unchanged.name, "Warung Swift")
        XCTAssertTrue(model.setStoreName("Toko Baru"))
        XCTAssertTrue(model.setReceiptLanguage(.en))
        let settings = try await kasir.settings()
        XCTAssertEqual(settings.name, "Toko Baru")
        XCTAssertEqual(settings.locale, .en)
        XCTAssertEqual(model.state.storeName, "Toko Baru")
        XCTAssertEqual(model.state.receiptLanguage, .en)
        // The receipt language is the store's: its amounts follow.
        XCTAssertEqual(try kasir.formatMoney(12500), "Rp 12,500")

        model.setDeviceLanguage(.en)
        XCTAssertEqual(preferences.language, .en)
        XCTAssertEqual(told, [.en])
        XCTAssertEqual(model.state.message?.text, "Saved")

        // Only a saved printer can take the receipts.
        XCTAssertFalse(model.setDefaultPrinter("kasir"))
        try kasir.savePrinter(SavedPrinter(name: "kasir", target: "bt:66:22:B3:01:02:03", profile: "generic-58"))
        model.refresh()
        XCTAssertTrue(model.setDefaultPrinter("kasir"))
        XCTAssertEqual(preferences.defaultPrinter, "kasir")
        XCTAssertEqual(model.state.defaultPrinter, "kasir")
    }
}
