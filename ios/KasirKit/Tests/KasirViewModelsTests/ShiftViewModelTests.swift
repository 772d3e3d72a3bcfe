// The shift view model against the real core: float, pay in and out, the close with the
// counted cash, and the staff sign-in once the store has staff.

import Foundation
import KasirKit
import KasirViewModels
import XCTest

/// Sells "100% coco" (Rp 11.500) for Rp 20.000 cash; returns the change.
@MainActor
func sellCocoForCash(_ kasir: KasirStore) async throws -> Decimal {
    let sale = try kasir.newSale()
    _ = try sale.scan(Product.coco)
    let change = try sale.pay(cash: 20000).payment.change
    _ = try await sale.complete()
    return change
}

final class ShiftViewModelTests: XCTestCase {
    func testAShiftOpensMovesCashAndClosesWithTheDifferenceFromTheCore() async throws {
        try await onMain {
            let kasir = try await openSampleStore()
            let model = ShiftViewModel(kasir: kasir, language: .en)
            XCTAssertNil(model.state.openShift)
            XCTAssertNil(model.state.report)
            XCTAssertTrue(model.state.canAct)

            model.setAmount("200000")
            XCTAssertTrue(model.open(), "\(String(describing: model.state.message))")
            XCTAssertEqual(model.state.openShift, 1)
            XCTAssertEqual(model.state.amount, "")
            XCTAssertEqual(model.state.report?.floatText, try coreMoney(kasir, 200000, .en))
            XCTAssertEqual(model.state.notice, "Shift 1 opened with \(try coreMoney(kasir, 200000, .en))")

            let change = try await sellCocoForCash(kasir)
            model.setAmount("50000")
            model.setReason("change from the safe")
            XCTAssertTrue(model.payIn())
            XCTAssertEqual(model.state.notice, "Paid in \(try coreMoney(kasir, 50000, .en)): change from the safe")
            model.setAmount("30000")
            model.setReason("ice")
            XCTAssertTrue(model.payOut())
            model.refresh()

            let open = try XCTUnwrap(model.state.report)
            XCTAssertFalse(open.closed)
            XCTAssertEqual(open.title, "Shift 1 so far")
            XCTAssertEqual(open.sales, 1)
            XCTAssertEqual(open.changeText, try coreMoney(kasir, change, .en))
            XCTAssertEqual(open.payOutsText, try coreMoney(kasir, 30000, .en))
            let expected = Decimal(200000 + 20000 + 50000 - 30000) - change
            XCTAssertEqual(open.expectedText, try coreMoney(kasir, expected, .en))
            XCTAssertNil(open.countedText)

            model.setAmount("\(expected - 1000)")
            XCTAssertTrue(model.close(), "\(String(describing: model.state.message))")
            let z = try XCTUnwrap(model.state.report)
            XCTAssertTrue(z.closed)
            XCTAssertNil(model.state.openShift)
            XCTAssertEqual(z.title, "Z report, shift 1")
            XCTAssertEqual(z.difference, .short)
            XCTAssertEqual(z.differenceLabel, "Short by \(try coreMoney(kasir, 1000, .en))")
            XCTAssertEqual(z.differenceText, try coreMoney(kasir, -1000, .en))
            XCTAssertEqual(z.tenders, [ShiftTenderRow(method: "Cash", count: 1, amountText: try coreMoney(kasir, 11500, .en))])
            XCTAssertNil(try kasir.currentShift())

            // The Z report stays on screen until the next shift opens.
            model.refresh()
            XCTAssertEqual(model.state.report, z)
            model.setAmount("0")
            XCTAssertTrue(model.open())
            XCTAssertEqual(model.state.openShift, 2)
        }
    }

    func testRefusedAmountsAndReasonsAreNamedAndChangeNothing() async throws {
        try await onMain {
            let kasir = try await openSampleStore()
            let model = ShiftViewModel(kasir: kasir, language: .id)
            model.setAmount("20.000")
            XCTAssertFalse(model.open())
            XCTAssertEqual(model.state.message?.field, "float")
            XCTAssertNil(try kasir.currentShift())

            model.setAmount("1000")
            model.setReason("es")
            XCTAssertFalse(model.payOut())
            XCTAssertEqual(model.state.message?.title, Label.errorNotAllowed.text(.id))

            model.setAmount("100000")
            XCTAssertTrue(model.open())
            model.setAmount("5000")
            model.setReason("  ")
            XCTAssertFalse(model.payOut())
            XCTAssertEqual(model.state.message?.field, "reason")
            model.setAmount("0")
            model.setReason("es")
            XCTAssertFalse(model.payIn())
            XCTAssertEqual(model.state.message?.field, "amount")
            model.setAmount("")
            XCTAssertFalse(model.close())
            XCTAssertEqual(model.state.message?.field, "counted")
            let report = try XCTUnwrap(try kasir.currentShift())
            XCTAssertEqual(report.payIns, 0)
            XCTAssertEqual(report.payOuts, 0)
            XCTAssertFalse(report.closed)

            model.setAmount("\(report.expectedCash)")
            XCTAssertTrue(model.close())
            XCTAssertEqual(model.state.report?.difference, .even)
            XCTAssertEqual(model.state.report?.differenceLabel, Label.cashMatches.text(.id))
            XCTAssertEqual(model.state.report?.title, "Laporan Z, shift 1")
        }
    }

    func testOnceTheStoreHasStaffTheShiftIsSignedByWhoeverSignedIn() async throws {
        try await onMain {
            let kasir = try await openSampleStore()
            try kasir.addStaff(name: "Sari", role: .manager, pin: "1234")
            try kasir.addStaff(name: "Budi", role: .cashier, pin: "5678", by: StaffSignIn(name: "Sari", pin: "1234"))
            let model = ShiftViewModel(kasir: kasir, language: .en)
            XCTAssertTrue(model.state.staffRequired)
            XCTAssertFalse(model.state.canAct)

            model.setAmount("100000")
            XCTAssertFalse(model.open())
            XCTAssertEqual(model.state.message?.field, "staff")
            XCTAssertFalse(model.signIn(name: "Budi", pin: "0000"))
            XCTAssertEqual(model.state.message?.field, "pin")
            XCTAssertNil(model.state.signedInAs)

            XCTAssertTrue(model.signIn(name: "Budi", pin: "5678"))
            XCTAssertTrue(model.state.canAct)
            model.setAmount("100000")
            XCTAssertTrue(model.open())
            XCTAssertEqual(model.state.report?.openedBy, "Budi")

            model.signOut()
            model.setAmount("100000")
            XCTAssertFalse(model.close())
            XCTAssertEqual(model.state.message?.field, "staff")
            XCTAssertTrue(model.signIn(name: "Sari", pin: "1234"))
            XCTAssertTrue(model.close())
            XCTAssertEqual(model.state.report?.closedBy, "Sari")
            XCTAssertEqual(model.state.report?.difference, .even)
        }
    }
}
