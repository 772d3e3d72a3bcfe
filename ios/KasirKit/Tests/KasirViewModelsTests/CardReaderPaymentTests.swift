// A card payment on the reader through the payment screen's view model, against the core's
// simulated reader (which speaks the reader protocol through the same adapter as a real one).

import Foundation
import KasirKit
import KasirViewModels
import XCTest

final class CardReaderPaymentTests: XCTestCase {
    func testAnApprovalWithATipIsTheSalesCardTenderAndTip() async throws {
        try await onMain {
            let kasir = try await openSampleStore()
            let register = try RegisterViewModel(kasir: kasir, language: .id)
            register.add(Product.coco, quantity: "3") // 34.500
            let model = register.payment(cardReader: PaymentReader.simulated(card: .approve, tipPercent: 15))
            XCTAssertTrue(model.state.hasCardReader)
            let paid = await model.payWithReader(tipOptions: [10, 15])
            let state = model.state

            XCTAssertTrue(paid)
            XCTAssertEqual(state.readerOutcome, .approved)
            XCTAssertEqual(state.readerPrompt, Label.readerApproved.text(.id))
            XCTAssertFalse(state.readerBusy)
            XCTAssertNil(state.message)
            XCTAssertTrue(state.isPaid)
            XCTAssertEqual(state.tipText, "Rp 5.175", "15% chosen on the reader")
            XCTAssertEqual(state.totalText, "Rp 39.675")
            XCTAssertEqual(state.tenders.map(\.detail), ["VISA •••• 1111"])
            XCTAssertEqual(state.tenders.map(\.amountText), ["Rp 39.675"])
            let sale = model.complete()
            XCTAssertEqual(sale?.total, 39675)
        }
    }

    func testADeclinedCardRecordsNothingAndSaysWhy() async throws {
        try await onMain {
            let kasir = try await openSampleStore()
            let register = try RegisterViewModel(kasir: kasir, language: .id)
            register.scan(Product.coco)
            let model = register.payment(cardReader: PaymentReader.simulated(card: .decline, tipPercent: nil))
            let paid = await model.payWithReader()
            let state = model.state

            XCTAssertFalse(paid)
            XCTAssertEqual(state.readerOutcome, .declined)
            XCTAssertEqual(state.readerPrompt, Label.readerDeclined.text(.id))
            XCTAssertTrue(state.message?.text.contains("DO NOT HONOUR") ?? false, "\(String(describing: state.message))")
            XCTAssertEqual(state.tenders, [])
            XCTAssertFalse(state.isPaid)
            XCTAssertNil(model.complete(), "nothing was paid")
        }
    }

    func testAPaymentCancelledOnTheReaderRecordsNothing() async throws {
        try await onMain {
            let kasir = try await openSampleStore()
            let register = try RegisterViewModel(kasir: kasir, language: .id)
            register.scan(Product.coco)
            let model = register.payment(cardReader: PaymentReader.simulated(card: .customerCancels, tipPercent: nil))
            let paid = await model.payWithReader()
            let state = model.state

            XCTAssertFalse(paid)
            XCTAssertEqual(state.readerOutcome, .cancelled)
            XCTAssertEqual(state.readerPrompt, Label.readerCancelled.text(.id))
            XCTAssertNil(state.message)
            XCTAssertEqual(state.tenders, [])
            XCTAssertEqual(state.remainingText, "Rp 11.500")
        }
    }

    func testTipChoicesAreRefusedAfterAnotherPaymentAndNoReaderDoesNothing() async throws {
        try await onMain {
            let kasir = try await openSampleStore()
            let register = try RegisterViewModel(kasir: kasir, language: .id)
            register.scan(Product.coco)
            let none = register.payment()
            XCTAssertFalse(none.state.hasCardReader)
            let withoutReader = await none.payWithReader()
            XCTAssertFalse(withoutReader)
            XCTAssertEqual(none.state.message?.title, Label.noCardReader.text(.id))

            let model = register.payment(cardReader: PaymentReader.simulated(card: .approve, tipPercent: nil))
            model.keypadDigit("1000")
            XCTAssertTrue(model.payCashFromKeypad())
            let withTips = await model.payWithReader(tipOptions: [10])
            XCTAssertFalse(withTips)
            XCTAssertEqual(model.state.readerOutcome, .failed)
            XCTAssertEqual(model.state.message?.field, "tip")
            XCTAssertEqual(model.state.tenders.count, 1)
            // Without tip choices the card pays the rest.
            let rest = await model.payWithReader()
            XCTAssertTrue(rest)
            XCTAssertTrue(model.state.isPaid)
            XCTAssertEqual(model.state.tenders.map(\.amountText), ["Rp 1.000", "Rp 10.500"])
        }
    }
}
