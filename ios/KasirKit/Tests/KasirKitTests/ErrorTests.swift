// Refusals arrive as typed Swift errors a screen can act on, and change nothing.

import Foundation
import KasirKit
import XCTest

final class ErrorTests: XCTestCase {
    func testBarcodeWithAWrongCheckDigitIsInvalidInputNamingTheGtinAndChangesNothing() async throws {
        let store = try await openSampleStore()
        let sale = try store.newSale()
        try sale.scan(Product.kecap)

        // Kecap Manis's code with its last digit changed: the GS1 check digit of
        // 899012101102 is 8, so ...1029 cannot be a product.
        XCTAssertThrowsError(try sale.scan("8990121011029")) { error in
            guard case KasirError.InvalidInput(let field, let reason) = error else {
                return XCTFail("expected InvalidInput, got \(error)")
            }
            XCTAssertEqual(field, "gtin")
            XCTAssertFalse(reason.isEmpty)
        }
        let view = try sale.view

        XCTAssertEqual(view.lines.count, 1)
        XCTAssertEqual(view.totals.total, 4000)
    }

    func testWellFormedBarcodeNotInTheCatalogIsNotFound() async throws {
        let store = try await openSampleStore()
        let sale = try store.newSale()

        // A valid EAN-13 (check digit 1 for 400638133393) that the sample catalog lacks.
        XCTAssertThrowsError(try sale.scan("4006381333931")) { error in
            guard case KasirError.NotFound(let what, let key) = error else {
                return XCTFail("expected NotFound, got \(error)")
            }
            XCTAssertFalse(what.isEmpty)
            XCTAssertEqual(key, "4006381333931")
        }
    }

    func testFullCardNumberIsRefusedAndTheSaleStaysUnpaid() async throws {
        let store = try await openSampleStore()
        let sale = try store.newSale()
        try sale.scan(Product.milk)

        XCTAssertThrowsError(
            try sale.pay(card: nil, approvalCode: "A1", last4: "4111111111111111", brand: "VISA")
        ) { error in
            XCTAssertEqual((error as? KasirError)?.field, "last4")
        }
        let view = try sale.view

        XCTAssertEqual(view.payment.tenders, [])
        XCTAssertEqual(view.payment.remaining, 7500)
    }

    func testCompletingAnUnpaidSaleIsNotAllowedAndStoresNothing() async throws {
        let store = try await openSampleStore()
        let sale = try store.newSale()
        try sale.scan(Product.milk)
        try sale.pay(cash: 5000)

        do {
            _ = try await sale.complete()
            XCTFail("an unpaid sale completed")
        } catch KasirError.NotAllowed {
            // expected
        }
        let sales = try await store.sales()

        XCTAssertEqual(sales, [])
        XCTAssertEqual(try sale.view.payment.remaining, 2500)
    }

    func testChangingASaleAfterPaymentStartedIsNotAllowedUntilPaymentsAreVoided() async throws {
        let store = try await openSampleStore()
        let sale = try store.newSale()
        try sale.scan(Product.milk)
        try sale.pay(cash: 5000)

        XCTAssertThrowsError(try sale.scan(Product.kecap)) { error in
            guard case KasirError.NotAllowed = error else {
                return XCTFail("expected NotAllowed, got \(error)")
            }
        }
        try sale.voidPayments()
        let view = try sale.scan(Product.kecap)

        XCTAssertEqual(view.totals.total, 11500)
        XCTAssertEqual(view.payment.tenders, [])
    }

    func testKasirErrorGivesTheClerkAMessage() {
        let error = KasirError.InvalidInput(field: "quantity", reason: "must be more than zero")

        XCTAssertEqual(error.message, "quantity: must be more than zero")
        XCTAssertEqual(error.field, "quantity")
        XCTAssertFalse(error.isTransient)
        XCTAssertTrue(KasirError.Network(reason: "offline").isTransient)
    }
}
