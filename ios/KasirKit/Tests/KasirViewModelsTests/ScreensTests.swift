// The receipt, printers and readers, and settings view models against the real core.

import Foundation
import KasirKit
import KasirViewModels
import XCTest

/// Sells 1 x Kecap Manis and 1 x Ultra Milk for 20,000 cash; returns the receipt number.
@MainActor
func sellKecapAndMilk(_ kasir: KasirStore) throws -> String {
    let register = try RegisterViewModel(kasir: kasir, language: .id)
    register.scan(Product.kecap)
    register.scan(Product.milk)
    let payment = register.payment()
    payment.payQuickAmount(20000)
    return try XCTUnwrap(payment.complete()?.receiptNumber)
}

final class ScreensTests: XCTestCase {
    func testTheReceiptIsTheCoresAndPrintsItsBytesOnTheChosenPrinter() async throws {
        try await onMain {
            let kasir = try await openSampleStore()
            let number = try sellKecapAndMilk(kasir)
            let bar = SavedPrinter(name: "bar", target: "bt:00:11:22:33:44:55", profile: "generic-80")
            let kasirPrinter = SavedPrinter(name: "kasir", target: "bt:66:22:B3:01:02:03", profile: "generic-58")
            try kasir.savePrinter(bar)
            try kasir.savePrinter(kasirPrinter)
            let port = RecordingPrinter()
            let model = ReceiptViewModel(kasir: kasir, receiptNumber: number, language: .id,
                                         printerPort: port, printerName: "kasir")

            let printed = await model.print()
            let state = model.state
            let share = model.share()

            XCTAssertTrue(printed)
            XCTAssertEqual(state.text, try kasir.receiptText(number, columns: 32))
            XCTAssertTrue(state.text.contains("Kecap Manis"), state.text)
            XCTAssertTrue(state.text.contains(number), state.text)
            // 4,000 + 7,500 = 11,500; 20,000 given, 8,500 change.
            XCTAssertEqual(state.totalText, "Rp 11.500")
            XCTAssertEqual(state.changeText, "Rp 8.500")
            XCTAssertEqual(state.printer, kasirPrinter)
            XCTAssertTrue(state.printed)
            XCTAssertFalse(state.printing)
            XCTAssertEqual(port.received.map(\.0), [kasirPrinter])
            XCTAssertEqual(port.received.map(\.1), [try kasir.receiptBytes(number, profile: "generic-58")])
            XCTAssertEqual(share, ShareContent(subject: "Struk \(number)", text: state.text))

            // Without a choice the first saved printer (by name) prints.
            let first = ReceiptViewModel(kasir: kasir, receiptNumber: number, language: .id, printerPort: port)
            XCTAssertEqual(first.state.printer, bar)
        }
    }

    func testAPrinterThatFailsOrIsMissingIsSaid() async throws {
        try await onMain {
            let kasir = try await openSampleStore()
            let number = try sellKecapAndMilk(kasir)
            let port = RecordingPrinter()

            let unpaired = ReceiptViewModel(kasir: kasir, receiptNumber: number, language: .en, printerPort: port)
            let noPrinter = await unpaired.print()
            try kasir.savePrinter(SavedPrinter(name: "kasir", target: "bt:66:22:B3:01:02:03", profile: "generic-58"))
            port.failing = true
            let model = ReceiptViewModel(kasir: kasir, receiptNumber: number, language: .en, printerPort: port)
            let failed = await model.print()
            let unknown = ReceiptViewModel(kasir: kasir, receiptNumber: "D01-000999", language: .en)

            XCTAssertFalse(noPrinter)
            XCTAssertEqual(unpaired.state.message?.text, "No printer is paired")
            XCTAssertFalse(failed)
            XCTAssertFalse(model.state.printing)
            XCTAssertFalse(model.state.printed)
            XCTAssertEqual(model.state.message?.text, "Device problem: the printer does not answer")
            XCTAssertTrue(port.received.isEmpty)
            XCTAssertEqual(unknown.state.text, "")
            XCTAssertEqual(unknown.state.message?.title, "Not found")
        }
    }

    func testSettingsAreCheckedByTheCoreAndTheDeviceKeepsItsOwn() async throws {
        try await onMain {
            let kasir = try await openSampleStore()
            let preferences = MemoryPreferences()
            let model = SettingsViewModel(kasir: kasir, preferences: preferences, deviceLocale: "id-ID")
            XCTAssertEqual(model.state.storeName, "Warung Swift")
            XCTAssertEqual(model.state.receiptLanguage, .id)
            XCTAssertEqual(model.state.deviceLanguage, .id)
            XCTAssertEqual(model.state.currency, "IDR")

            // A blank name is refused by the core and nothing changes.
            XCTAssertFalse(model.setStoreName("  "))
            XCTAssertEqual(model.state.message?.field, "name")
            XCTAssertEqual(model.state.message?.title, "Periksa isian ini")
            XCTAssertFalse(model.state.saved)
            let unchanged = try await kasir.settings()
            XCTAssertEqual(unchanged.name, "Warung Swift")
            XCTAssertTrue(model.setStoreName("Toko Baru"))
            XCTAssertTrue(model.setReceiptLanguage(.en))
            let settings = try await kasir.settings()
            XCTAssertEqual(settings.name, "Toko Baru")
            XCTAssertEqual(settings.locale, .en)
            XCTAssertEqual(model.state.storeName, "Toko Baru")
            XCTAssertEqual(model.state.receiptLanguage, .en)
            XCTAssertTrue(model.state.saved)
            // The receipt language is the store's: its amounts follow.
            XCTAssertEqual(try kasir.formatMoney(12500), "Rp 12,500")

            model.setDeviceLanguage(.en)
            XCTAssertEqual(preferences.language, .en)
            XCTAssertEqual(model.language, .en)

            // Only a saved printer can take the receipts.
            XCTAssertFalse(model.setPrinter("kasir"))
            XCTAssertEqual(model.state.message?.field, "printer")
            try kasir.savePrinter(SavedPrinter(name: "kasir", target: "bt:66:22:B3:01:02:03", profile: "generic-58"))
            model.refresh()
            XCTAssertTrue(model.setPrinter("kasir"))
            XCTAssertEqual(preferences.printerName, "kasir")
            XCTAssertEqual(model.state.printerName, "kasir")

            // The device's choice outlives the screen.
            let again = SettingsViewModel(kasir: kasir, preferences: preferences, deviceLocale: "id-ID")
            XCTAssertEqual(again.state.deviceLanguage, .en)
            XCTAssertEqual(again.state.printerName, "kasir")
        }
    }
}
