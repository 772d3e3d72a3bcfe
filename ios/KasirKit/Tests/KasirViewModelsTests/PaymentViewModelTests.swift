// The payment screen's view model against the real core: the keypad, quick amounts and change,
// card and QRIS, tips and split bills, each amount the core's.

import Foundation
import KasirKit
import KasirViewModels
import XCTest

final class PaymentViewModelTests: XCTestCase {
    func testKeypadCashGivesTheCoresChangeAndCompletes() async throws {
        try await onMain {
            let kasir = try await openSampleStore()
            let register = try RegisterViewModel(kasir: kasir, language: .id)
            register.scan(Product.coco)
            let model = register.payment()
            let events = EventLog(model)

            // 11,500 due: quick amounts are the exact amount, then rounded up to each note.
            let quick = model.state.quickAmounts
            model.keypadDigit("2")
            model.keypadDigit("000")
            model.keypadDigit("0")
            let typed = model.state
            model.keypadBackspace()
            model.keypadDigit("0")
            model.payCashFromKeypad()
            let paid = model.state
            let core = try register.register.view
            let receipt = model.complete()

            XCTAssertEqual(quick.map(\.amount), [11500, 12000, 15000, 20000, 50000, 100000])
            XCTAssertEqual(quick.map(\.amount), try kasir.quickCashAmounts(due: 11500))
            XCTAssertEqual(quick.first?.text, "Rp 11.500")
            XCTAssertEqual(quick.map(\.exact), [true, false, false, false, false, false])
            XCTAssertEqual(typed.keypadDigits, "20000")
            XCTAssertEqual(typed.keypadAmountText, "Rp 20.000")
            XCTAssertEqual(typed.amountDueText, "Rp 11.500")
            XCTAssertEqual(typed.cashDueText, "Rp 11.500")
            // 20,000 for 11,500: 8,500 change.
            XCTAssertTrue(paid.isPaid)
            XCTAssertEqual(paid.changeText, "Rp 8.500")
            XCTAssertEqual(paid.changeText, try coreMoney(kasir, core.payment.change))
            XCTAssertEqual(paid.remainingText, "Rp 0")
            XCTAssertEqual(paid.change, core.payment.change)
            XCTAssertEqual(paid.tenders, [TenderRow(method: "Tunai", detail: nil, amountText: "Rp 20.000", changeText: "Rp 8.500")])
            XCTAssertEqual(paid.quickAmounts, [], "nothing more to pay")
            XCTAssertEqual(paid.keypadDigits, "")
            XCTAssertNil(paid.keypadAmountText)
            XCTAssertEqual(receipt?.receiptNumber, "D01-000001")
            XCTAssertEqual(model.state.receiptNumber, "D01-000001")
            XCTAssertEqual(events.events, [.completed(receiptNumber: "D01-000001", changeText: "Rp 8.500")])
            let stored = try await kasir.sale(receiptNumber: "D01-000001")
            XCTAssertEqual(stored.total, 11500)
            XCTAssertEqual(stored.change, 8500)
            XCTAssertTrue(register.state.isEmpty, "the register redraws for the next sale")
        }
    }

    func testCardThenCashSplitTenderAndVoid() async throws {
        try await onMain {
            let kasir = try await openSampleStore()
            let register = try RegisterViewModel(kasir: kasir, language: .en)
            register.scan(Product.kecap)
            register.add(Product.mie, quantity: "3")
            register.addOrderDiscount("10%")
            let model = register.payment()

            // The README's sale: 14,500 less 10% = 13,050. Card 10,000, then 10,000 cash for the
            // 3,050 left: 6,950 change.
            model.keypadDigit("10000")
            model.cardPaid(approvalCode: "A1B2C3", last4: "1234", brand: "VISA")
            let afterCard = model.state
            model.payQuickAmount(10000)
            let paid = model.state

            XCTAssertEqual(afterCard.totalText, "Rp 13,050")
            XCTAssertEqual(afterCard.remainingText, "Rp 3,050")
            XCTAssertFalse(afterCard.isPaid)
            XCTAssertEqual(afterCard.quickAmounts.first?.amount, 3050)
            XCTAssertFalse(afterCard.canChangeBill, "no tip or split once a payment started")
            XCTAssertEqual(paid.changeText, "Rp 6,950")
            XCTAssertEqual(paid.tenders.map(\.method), ["Card", "Cash"])
            XCTAssertEqual(paid.tenders.map(\.detail), ["VISA •••• 1234", nil])
            XCTAssertEqual(paid.tenders.map(\.amountText), ["Rp 10,000", "Rp 10,000"])
            XCTAssertTrue(paid.isPaid)

            model.voidPayments()
            XCTAssertEqual(model.state.tenders, [])
            XCTAssertEqual(model.state.remainingText, "Rp 13,050")
            XCTAssertTrue(register.state.canEdit)
        }
    }

    func testRefusedTendersSayWhyAndChangeNothing() async throws {
        try await onMain {
            let kasir = try await openSampleStore()
            let register = try RegisterViewModel(kasir: kasir, language: .id)
            register.scan(Product.coco)
            let model = register.payment()
            let before = try register.register.view

            model.keypadDigit("12.000")
            let notDigits = model.state.keypadDigits
            // A full card number instead of its last four digits is refused, never stored.
            model.cardPaid(approvalCode: "A1B2C3", last4: "4111111111111111", brand: "VISA")
            let fullNumber = model.state.message
            let notPaid = model.complete()

            XCTAssertEqual(notDigits, "", "the keypad takes digits only")
            XCTAssertEqual(fullNumber?.field, "last4")
            XCTAssertFalse(fullNumber?.text.contains("4111111111111111") ?? true)
            XCTAssertNil(notPaid)
            XCTAssertNotNil(model.state.message)
            XCTAssertEqual(try register.register.view, before)
            XCTAssertEqual(model.state.tenders, [])
        }
    }

    func testTipsAreTheCoresAndJoinTheTotal() async throws {
        try await onMain {
            let kasir = try await openSampleStore()
            let register = try RegisterViewModel(kasir: kasir, language: .id)
            register.add(Product.coco, quantity: "3")
            let model = register.payment()

            // 3 x 11,500 = 34,500: 5% 1,725, 10% 3,450, 15% 5,175.
            let options = model.state.tipChoices
            model.selectTip(10)
            let tipped = model.state
            let core = try register.register.view
            model.selectTip(nil)

            XCTAssertEqual(options.map(\.amountText), [nil, "Rp 1.725", "Rp 3.450", "Rp 5.175"])
            XCTAssertEqual(options.map(\.label), ["Tanpa tip", "5%", "10%", "15%"])
            XCTAssertEqual(options.map(\.selected), [true, false, false, false])
            XCTAssertEqual(tipped.totalText, "Rp 37.950")
            XCTAssertEqual(tipped.tipText, "Rp 3.450")
            XCTAssertEqual(tipped.tipChoices.map(\.selected), [false, false, true, false])
            XCTAssertEqual(core.totals.chargesTotal, 3450)
            XCTAssertEqual(register.state.chargesText, nil, "the tip was removed again")
            XCTAssertEqual(model.state.totalText, "Rp 34.500")
        }
    }

    func testASplitBillIsPaidPartByPart() async throws {
        try await onMain {
            let kasir = try await openSampleStore()
            let register = try RegisterViewModel(kasir: kasir, language: .id)
            register.scan(Product.coco)
            register.scan(Product.kecap)
            let model = register.payment()

            // 11,500 + 4,000 = 15,500 in three: 5,167 + 5,167 + 5,166 (largest remainder).
            model.splitEvenly(3)
            let parts = model.state.splitParts
            model.selectPart(1)
            let keypad = model.state.keypadDigits
            model.payCashFromKeypad()
            model.selectPart(2)
            model.cardPaid(approvalCode: "A1", last4: "4321", brand: "GPN")
            let twoPaid = model.state
            model.splitEvenly(2)
            let refused = model.state.message
            model.selectPart(3)
            model.payCashFromKeypad()
            let done = model.state

            XCTAssertEqual(parts.map(\.amount), [5167, 5167, 5166])
            XCTAssertEqual(parts.map(\.amount).reduce(0, +), try register.register.view.totals.total)
            XCTAssertEqual(parts.map(\.totalText), ["Rp 5.167", "Rp 5.167", "Rp 5.166"])
            XCTAssertEqual(keypad, "5167")
            XCTAssertEqual(twoPaid.splitParts.map(\.paid), [true, true, false])
            XCTAssertEqual(twoPaid.remainingText, "Rp 5.166")
            XCTAssertEqual(twoPaid.tenders.map(\.amountText), ["Rp 5.167", "Rp 5.167"])
            XCTAssertEqual(twoPaid.tenders.map(\.detail), [nil, "GPN •••• 4321"])
            XCTAssertEqual(refused?.title, "Tidak bisa sekarang", "no new split once payments are taken")
            XCTAssertEqual(done.splitParts.map(\.paid), [true, true, true])
            XCTAssertTrue(done.isPaid)
            XCTAssertEqual(done.changeText, "Rp 0")
        }
    }

    func testQrisIsShownForWhatIsDueAndRecordedWhenPaid() async throws {
        try await onMain {
            let kasir = try await openSampleStore()
            let register = try RegisterViewModel(kasir: kasir, language: .id)
            register.add(Product.coco, quantity: "2")
            let model = register.payment()

            // Without the store's QRIS sticker there is nothing to show.
            model.showQris()
            let noSticker = model.state.message

            var settings = try await kasir.settings()
            settings.qris = qrisSticker
            try kasir.updateSettings(settings)
            let withSticker = try RegisterViewModel(kasir: kasir, language: .id)
            withSticker.add(Product.coco, quantity: "2")
            let payment = withSticker.payment()
            payment.payQuickAmount(3000)
            payment.showQris()
            let shown = payment.state.qris
            let core = try withSticker.register.qrisPayload()
            payment.qrisPaid(reference: "QRIS-0001")
            let paid = payment.state

            XCTAssertNil(model.state.qris)
            XCTAssertEqual(noSticker?.title, "Tidak bisa sekarang")
            // 23,000 less 3,000 in cash: the code asks for 20,000.
            XCTAssertEqual(shown?.amountText, "Rp 20.000")
            XCTAssertEqual(shown?.payload, core.payload)
            XCTAssertEqual(core.amount, 20000)
            XCTAssertTrue(shown?.payload.hasPrefix("000201010212") ?? false, "a dynamic code")
            XCTAssertTrue(shown?.payload.contains("540520000") ?? false, "tag 54 asks for 20000")
            XCTAssertNil(paid.qris, "the full-screen code closes once paid")
            XCTAssertTrue(paid.isPaid)
            XCTAssertEqual(paid.tenders.map(\.method), ["Tunai", "QRIS"])
            XCTAssertEqual(paid.tenders.map(\.detail), [nil, "QRIS-0001"])
            XCTAssertEqual(shown?.prompt, "Pindai untuk membayar Rp 20.000")
        }
    }
}
