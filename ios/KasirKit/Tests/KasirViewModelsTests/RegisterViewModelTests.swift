// The register screen's view model against the real core: what it shows is what the core
// says (amounts written by the core), scans send their events, refused input changes nothing.

import Foundation
import KasirKit
import KasirViewModels
import XCTest

final class RegisterViewModelTests: XCTestCase {
    func testScannedLinesAndTotalsAreTheCoresToTheRupiah() async throws {
        try await onMain {
            let kasir = try await openSampleStore()
            let model = try RegisterViewModel(kasir: kasir, language: .id)
            let scans = EventLog(model)

            // 2 x Kecap Manis at 4,000 (scanned twice: one line), 3 x Mie Sedaap at 3,500,
            // 1 x Ultra Milk at 7,500: 8,000 + 10,500 + 7,500 = 26,000.
            XCTAssertTrue(model.scan(Product.kecap))
            XCTAssertTrue(model.add(Product.mie, quantity: "3"))
            XCTAssertTrue(model.scan(Product.milk))
            XCTAssertTrue(model.scan(Product.kecap))
            let core = try model.register.view
            let state = model.state

            XCTAssertEqual(state.lines.map(\.name), ["Kecap Manis", "Mie Sedaap Instant Cup", "Ultra Milk Full Cream"])
            XCTAssertEqual(state.lines.map(\.quantityText), ["2", "3", "1"])
            XCTAssertEqual(state.lines.map(\.unitPriceText), ["Rp 4.000", "Rp 3.500", "Rp 7.500"])
            XCTAssertEqual(state.lines.map(\.amountText), ["Rp 8.000", "Rp 10.500", "Rp 7.500"])
            XCTAssertEqual(state.totalText, "Rp 26.000")
            XCTAssertEqual(state.total, 26000)
            XCTAssertEqual(state.lineCount, 3)
            XCTAssertFalse(state.isEmpty)
            XCTAssertTrue(state.canEdit)
            XCTAssertTrue(state.taxIncluded)
            XCTAssertNil(state.discountText)
            // Every amount is the core's, written by the core.
            XCTAssertEqual(state.total, core.totals.total)
            XCTAssertEqual(state.totalText, try coreMoney(kasir, core.totals.total))
            XCTAssertEqual(state.subtotalText, try coreMoney(kasir, core.totals.subtotal))
            XCTAssertEqual(state.taxText, try coreMoney(kasir, core.totals.taxTotal))
            XCTAssertEqual(state.lines.map(\.amountText), try core.totals.lines.map { try coreMoney(kasir, $0.amount) })
            XCTAssertEqual(state.lines.map(\.number), core.lines.map { Int($0.number) })
            XCTAssertEqual(state.lines.map(\.code), core.lines.map(\.gtin))

            // Each accepted scan tells the platform which line it went to and the new total.
            XCTAssertEqual(scans.events, [
                .accepted(code: Product.kecap, name: "Kecap Manis", line: 1, totalText: "Rp 4.000"),
                .accepted(code: Product.milk, name: "Ultra Milk Full Cream", line: 3, totalText: "Rp 22.000"),
                .accepted(code: Product.kecap, name: "Kecap Manis", line: 1, totalText: "Rp 26.000"),
            ])
        }
    }

    func testDiscountsQuantityAndVoidRedrawFromTheCore() async throws {
        try await onMain {
            let kasir = try await openSampleStore()
            let model = try RegisterViewModel(kasir: kasir, language: .id)
            model.scan(Product.kecap)
            model.scan(Product.mie)
            model.scan(Product.milk)

            // 3 x Mie: 10,500; 10% off Kecap's line: 400 off 4,000.
            XCTAssertTrue(model.setQuantity(line: 2, "3"))
            XCTAssertTrue(model.setLineDiscount(line: 1, "10%"))
            // Then void the milk and give 1,000 off the order.
            XCTAssertTrue(model.voidLine(3))
            XCTAssertTrue(model.addOrderDiscount("1000"))
            let core = try model.register.view
            let state = model.state

            // 3,600 + 10,500 = 14,100, less 1,000: 13,100.
            XCTAssertEqual(state.total, 13100)
            XCTAssertEqual(state.totalText, "Rp 13.100")
            XCTAssertEqual(state.total, core.totals.total)
            XCTAssertEqual(state.lines.map(\.voided), [false, false, true])
            XCTAssertNil(state.lines[2].amountText, "a voided line is in no total")
            XCTAssertEqual(state.lines[0].discountText, "10%")
            XCTAssertEqual(state.orderDiscounts, ["Rp 1.000"])
            XCTAssertEqual(state.lineCount, 2)
            XCTAssertEqual(state.discountText, try coreMoney(kasir, -core.totals.discountTotal))
            // The line's own 400 off, and its share of the 1,000 order discount as the core split
            // it (largest remainder over 3,600 and 10,500: 255 and 745).
            let kecap = try XCTUnwrap(core.totals.lines.first { $0.number == 1 })
            XCTAssertEqual(state.lines[0].discountAmountText, "Rp -400")
            XCTAssertEqual(state.lines[0].orderDiscountText, try coreMoney(kasir, -kecap.orderDiscount))
            XCTAssertEqual(state.lines.map(\.orderDiscountText), ["Rp -255", "Rp -745", nil])

            XCTAssertTrue(model.clearOrderDiscounts())
            XCTAssertEqual(model.state.total, 14100)
            XCTAssertTrue(model.clearSale())
            XCTAssertTrue(model.state.isEmpty)
            XCTAssertEqual(model.state.lines, [])
        }
    }

    func testTheCameraScannerShowsEachScansOutcomeAsItsEvents() async throws {
        try await onMain {
            let kasir = try await openSampleStore()
            let model = try RegisterViewModel(kasir: kasir, language: .id)
            let scans = EventLog(model)
            model.scan(Product.kecap)
            XCTAssertFalse(model.state.scannerOpen)
            model.openScanner()
            XCTAssertTrue(model.state.scannerOpen)
            XCTAssertNil(model.state.lastScan, "a scanner opens without an outcome")

            // 4,000 + 7,500 = 11,500.
            XCTAssertTrue(model.scan(Product.milk))
            XCTAssertEqual(model.state.lastScan, scans.events.last)
            guard case .accepted(_, let name, let line, let totalText) = model.state.lastScan else {
                return XCTFail("\(String(describing: model.state.lastScan))")
            }
            XCTAssertEqual(name, "Ultra Milk Full Cream")
            XCTAssertEqual(line, 2)
            XCTAssertEqual(totalText, "Rp 11.500")

            XCTAssertFalse(model.scan("4006381333931"))
            XCTAssertEqual(model.state.lastScan, scans.events.last)
            guard case .rejected(_, let message) = model.state.lastScan else {
                return XCTFail("\(String(describing: model.state.lastScan))")
            }
            XCTAssertEqual(message.title, "Tidak ditemukan")
            XCTAssertEqual(model.state.totalText, "Rp 11.500", "a refused code changes nothing")

            model.closeScanner()
            XCTAssertFalse(model.state.scannerOpen)
            XCTAssertNil(model.state.lastScan)
            XCTAssertEqual(model.state.lineCount, 2)
        }
    }

    func testTheViewfinderIsFoundInTurnedBuffers() {
        // 10%..90% across, 30%..70% down of a 1280x720 picture.
        XCTAssertEqual(Viewfinder.region(cropLeft: 0, cropTop: 0, cropWidth: 1280, cropHeight: 720, rotationDegrees: 0),
                       FrameRegion(left: 128, top: 216, width: 1024, height: 288))
        // Turned a quarter (a phone held upright): upright rows are buffer columns.
        XCTAssertEqual(Viewfinder.region(cropLeft: 0, cropTop: 0, cropWidth: 1280, cropHeight: 720, rotationDegrees: 90),
                       FrameRegion(left: 384, top: 72, width: 512, height: 576))
        XCTAssertEqual(Viewfinder.region(cropLeft: 50, cropTop: 5, cropWidth: 200, cropHeight: 400, rotationDegrees: 270),
                       FrameRegion(left: 110, top: 45, width: 80, height: 320))
        XCTAssertEqual(Viewfinder.region(cropLeft: 0, cropTop: 0, cropWidth: 200, cropHeight: 400, rotationDegrees: 180),
                       FrameRegion(left: 20, top: 120, width: 160, height: 160))
        XCTAssertNil(Viewfinder.region(cropLeft: 0, cropTop: 0, cropWidth: 1280, cropHeight: 720, rotationDegrees: 45))
        XCTAssertNil(Viewfinder.region(cropLeft: 0, cropTop: 0, cropWidth: 0, cropHeight: 720, rotationDegrees: 0))
    }

    func testRefusedScansSayWhyAndChangeNothing() async throws {
        try await onMain {
            let kasir = try await openSampleStore()
            let model = try RegisterViewModel(kasir: kasir, language: .en)
            let scans = EventLog(model)
            model.scan(Product.kecap)
            let before = try model.register.view

            // A wrong check digit, then a well-formed code the catalog does not hold.
            XCTAssertFalse(model.scan("8990121011029"))
            let malformed = model.state.message
            XCTAssertFalse(model.scan("4006381333931"))
            let unknown = model.state.message

            XCTAssertEqual(try model.register.view, before)
            XCTAssertEqual(model.state.totalText, "Rp 4,000")
            XCTAssertEqual(malformed?.field, "gtin")
            XCTAssertEqual(malformed?.title, "Check this entry")
            XCTAssertEqual(unknown?.title, "Not found")
            XCTAssertTrue(unknown?.detail?.contains("4006381333931") ?? false, unknown?.text ?? "")
            guard scans.events.count == 3, case .rejected(let code, let message) = scans.events[1] else {
                return XCTFail("\(scans.events)")
            }
            XCTAssertEqual(code, "8990121011029")
            XCTAssertEqual(message, malformed)

            // A quantity that is not a number, and a weighed quantity for an item sold each.
            XCTAssertFalse(model.setQuantity(line: 1, "dua"))
            XCTAssertEqual(model.state.message?.field, "quantity")
            XCTAssertFalse(model.setQuantity(line: 1, "1.5"))
            XCTAssertEqual(model.state.message?.field, "quantity")
            XCTAssertEqual(try model.register.view, before)
            model.dismissMessage()
            XCTAssertNil(model.state.message)
        }
    }

    func testTheCartIsFixedOnceAPaymentStarts() async throws {
        try await onMain {
            let kasir = try await openSampleStore()
            let model = try RegisterViewModel(kasir: kasir, language: .id)
            model.scan(Product.coco)
            let payment = model.payment()
            payment.keypadDigit("5")
            payment.keypadDigit("000")
            payment.payCashFromKeypad()

            XCTAssertFalse(model.state.canEdit, "the payment screen's change redraws the register")
            XCTAssertFalse(model.scan(Product.kecap))
            XCTAssertEqual(model.state.lines.count, 1)
            XCTAssertEqual(model.state.message?.title, "Tidak bisa sekarang")
            payment.voidPayments()
            XCTAssertTrue(model.state.canEdit)
            XCTAssertTrue(model.scan(Product.kecap))
        }
    }

    func testSearchCategoriesAndFavouritesComeFromTheCatalog() async throws {
        try await onMain {
            let kasir = try await openSampleStore()
            let model = try RegisterViewModel(kasir: kasir, language: .id)

            model.search("kecap manis")
            let results = model.state.results
            model.search("  ")
            let cleared = model.state.results
            let categories = model.state.categories
            model.selectCategory("Mi & Pasta")
            let noodles = model.state.categoryItems
            let coreNoodles = try kasir.categoryItems("Mi & Pasta")

            let kecap = try XCTUnwrap(results.first { $0.code == "0" + Product.kecap })
            XCTAssertEqual(kecap.name, "Kecap Manis")
            XCTAssertEqual(kecap.priceText, "Rp 4.000")
            XCTAssertEqual(kecap.category, "Bumbu & Saus")
            XCTAssertFalse(kecap.weighed)
            XCTAssertEqual(cleared, [])
            XCTAssertEqual(categories, try kasir.categories().map { CategoryTile(name: $0.name, itemCount: Int($0.items)) })
            XCTAssertEqual(categories.first { $0.name == "Mi & Pasta" }?.itemCount, coreNoodles.count)
            XCTAssertEqual(model.state.selectedCategory, "Mi & Pasta")
            XCTAssertEqual(noodles.map(\.code), coreNoodles.map(\.gtin))
            XCTAssertTrue(noodles.contains { $0.code == "0" + Product.mie })
            XCTAssertTrue(noodles.allSatisfy { $0.category == "Mi & Pasta" })
            model.selectCategory(nil)
            XCTAssertNil(model.state.selectedCategory)
            XCTAssertEqual(model.state.categoryItems, [])

            // No favourites before the first sale; then the item sold, from the core.
            XCTAssertEqual(model.state.favourites, [])
            XCTAssertTrue(model.add(kecap.code))
            let payment = model.payment()
            payment.payCashExact()
            XCTAssertNotNil(payment.complete())
            XCTAssertEqual(model.state.favourites.map(\.code), ["0" + Product.kecap])
            XCTAssertTrue(model.state.isEmpty, "the register starts the next sale")
        }
    }

    func testAWeighedItemTakesTypedKilograms() async throws {
        try await onMain {
            let kasir = try await openSampleStore()
            let model = try RegisterViewModel(kasir: kasir, language: .id)

            // 0,125 kg (typed the Indonesian way) at 35,500 per kg is 4,437.5: 4,438.
            XCTAssertTrue(model.add(Product.garlic, quantity: "0,125"))

            XCTAssertEqual(model.state.lines.first?.quantityText, "0,125")
            XCTAssertEqual(model.state.totalText, "Rp 4.438")
            XCTAssertEqual(try model.register.view.lines.first?.quantity, rp("0.125"))
        }
    }
}
