// Ringing up sales from Swift: every amount arrives as a Foundation.Decimal equal, to the last
// rupiah, to the value worked out by hand from the sample catalog's prices and Indonesia's
// PPN (12% on an 11/12 base, prices include tax, so the tax in a price P is P x 11/111).

import Foundation
import KasirKit
import XCTest

final class SaleTests: XCTestCase {
    func testOrderDiscountAndSplitTenderTotalToTheRupiah() async throws {
        let store = try await openSampleStore()
        let sale = try store.newSale()

        // 2 x Kecap Manis at 4,000 (scanned twice: one line), 3 x Mie Sedaap at 3,500,
        // 1 x Ultra Milk at 7,500: subtotal 8,000 + 10,500 + 7,500 = 26,000.
        try sale.scan(Product.kecap)
        try sale.add(Product.mie, quantity: 3)
        try sale.scan(Product.milk)
        let scanned = try sale.scan(Product.kecap)
        // 10% off the order: 2,600, split over the lines in proportion, 800 + 1,050 + 750.
        let discounted = try sale.discountOrder(.percent(10))
        // Card 10,000, then 20,000 cash for the 13,400 left: 6,600 change.
        let afterCard = try sale.pay(card: 10000, approvalCode: "A1B2C3", last4: "1234", brand: "VISA")
        let paid = try sale.pay(cash: 20000)
        let completed = try await sale.complete()

        XCTAssertEqual(scanned.lines.map(\.gtin), ["0" + Product.kecap, "0" + Product.mie, "0" + Product.milk])
        XCTAssertEqual(scanned.lines.map(\.quantity), [2, 3, 1])
        XCTAssertEqual(scanned.totals.subtotal, 26000)
        let totals = discounted.totals
        XCTAssertEqual(totals.orderDiscounts, [2600])
        XCTAssertEqual(totals.lines.map(\.gross), [8000, 10500, 7500])
        XCTAssertEqual(totals.lines.map(\.orderDiscount), [800, 1050, 750])
        XCTAssertEqual(totals.lines.map(\.amount), [7200, 9450, 6750])
        XCTAssertEqual(totals.discountTotal, 2600)
        XCTAssertEqual(totals.itemsTotal, 23400)
        XCTAssertEqual(totals.total, 23400)
        // PPN on the taxed lines, rounded once for the document: (7,200 + 9,450) x 11/111 =
        // 1,650 exactly; split back by largest remainder, 713.51 -> 714 and 936.49 -> 936.
        XCTAssertEqual(totals.taxTotal, 1650)
        XCTAssertEqual(totals.lines.map(\.tax), [714, 936, 0])
        // Net of PPN 16,650 - 1,650 = 15,000; its tax base (DPP) 15,000 x 11/12 = 13,750.
        XCTAssertEqual(totals.taxes.map(\.rate), ["ppn"])
        XCTAssertEqual(totals.taxes.first?.percent, 12)
        XCTAssertEqual(totals.taxes.first?.net, 15000)
        XCTAssertEqual(totals.taxes.first?.base, 13750)
        XCTAssertEqual(totals.taxes.first?.tax, 1650)

        XCTAssertEqual(afterCard.payment.remaining, 13400)
        XCTAssertFalse(afterCard.payment.isPaid)
        XCTAssertEqual(paid.payment.change, 6600)
        XCTAssertEqual(paid.payment.remaining, 0)
        XCTAssertTrue(paid.payment.isPaid)

        XCTAssertEqual(completed.receiptNumber, "D01-000001")
        XCTAssertEqual(completed.total, 23400)
        XCTAssertEqual(completed.taxTotal, 1650)
        XCTAssertEqual(completed.tendered, 30000)
        XCTAssertEqual(completed.change, 6600)
        XCTAssertEqual(completed.tenders.map(\.amount), [10000, 20000])
        XCTAssertEqual(completed.tenders.map(\.change), [0, 6600])
        XCTAssertEqual(completed.tenders.first?.method,
                       .card(approvalCode: "A1B2C3", last4: "1234", brand: "VISA"))
    }

    func testCompletedSaleIsInTheDayReportAndTheRegisterStartsAfresh() async throws {
        let store = try await openSampleStore()
        let sale = try store.newSale()
        try sale.scan(Product.kecap)
        try sale.scan(Product.milk)
        try sale.pay(qr: nil, reference: "QRIS-0001")
        let completed = try await sale.complete()

        let report = try await store.dayReport(on: completed.businessDate)
        let next = try sale.view
        let stored = try await store.sale(receiptNumber: completed.receiptNumber)

        // 4,000 + 7,500; PPN only in the kecap: 4,000 x 11/111 = 396.40 -> 396.
        XCTAssertEqual(report.sales, 1)
        XCTAssertEqual(report.total, 11500)
        XCTAssertEqual(report.tax, 396)
        XCTAssertEqual(report.tenders.map(\.method), ["qr"])
        XCTAssertEqual(report.tenders.map(\.amount), [11500])
        XCTAssertEqual(next.lines, [])
        XCTAssertEqual(next.totals.total, 0)
        XCTAssertEqual(stored, completed)
    }

    func testWeighedQuantityCrossesExactlyAndRoundsHalfAwayFromZero() async throws {
        let store = try await openSampleStore()
        let sale = try store.newSale()

        // 0.125 kg at 35,500 per kg is 4,437.5: half a rupiah rounds away from zero to 4,438.
        let view = try sale.add(Product.garlic, quantity: rp("0.125"))

        XCTAssertEqual(view.lines.first?.quantity, rp("0.125"))
        XCTAssertEqual(view.lines.first?.unitPrice, 35500)
        XCTAssertEqual(view.totals.total, 4438)
        XCTAssertEqual(view.totals.taxTotal, 0)
    }

    func testCashAboveTheTotalGivesExactChange() async throws {
        let store = try await openSampleStore()
        let sale = try store.newSale()
        try sale.add(Product.garlic, quantity: rp("0.125"))

        // 4,438 due; 50,000 handed over gives 45,562 change.
        let view = try sale.pay(cash: 50000)

        XCTAssertEqual(view.payment.change, 45562)
        XCTAssertEqual(NSDecimalNumber(decimal: view.payment.change).stringValue, "45562")
    }

    func testTheReadmeSaleTotals13050AndGives6950Change() async throws {
        let store = try await openSampleStore()
        let sale = try store.newSale()
        try sale.scan(Product.kecap)
        try sale.add(Product.mie, quantity: 3)

        // 4,000 + 3 x 3,500 = 14,500; 10% off: 13,050. Card 10,000, then 10,000 cash for the
        // 3,050 left: 6,950 change.
        let view = try sale.discountOrder(.percent(10))
        try sale.pay(card: 10000, approvalCode: "A1B2C3", last4: "1234", brand: "VISA")
        let paid = try sale.pay(cash: 10000)
        let receipt = try await sale.complete()

        XCTAssertEqual(view.totals.total, 13050)
        XCTAssertEqual(paid.payment.change, 6950)
        XCTAssertEqual(receipt.receiptNumber, "D01-000001")
    }
}
