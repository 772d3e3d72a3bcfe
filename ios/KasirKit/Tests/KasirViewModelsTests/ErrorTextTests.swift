// The core's errors in the screen's language: real refusals through the core shown by an
// Indonesian view model in Indonesian, the same words as the Kotlin view models (ErrorTextTest).

import Foundation
import KasirKit
import KasirViewModels
import XCTest

final class ErrorTextTests: XCTestCase {
    func testAnIndonesianRegisterShowsTheCoresRefusalsInIndonesian() async throws {
        try await onMain {
            let kasir = try await openSampleStore()
            let model = try RegisterViewModel(kasir: kasir, language: .id)

            XCTAssertFalse(model.scan("8858652601389")) // coco with a wrong check digit
            XCTAssertEqual(model.state.message?.title, "Periksa isian ini")
            XCTAssertEqual(model.state.message?.detail, "barcode: EAN-13 `8858652601389` berdigit periksa 9, seharusnya 8")
            XCTAssertEqual(model.state.message?.field, "gtin", "the field the screen marks stays the core's name")

            XCTAssertFalse(model.scan("4006381333931"))
            XCTAssertEqual(model.state.message?.title, "Tidak ditemukan")
            XCTAssertEqual(model.state.message?.detail, "produk `4006381333931`")

            XCTAssertTrue(model.scan(Product.coco))
            XCTAssertFalse(model.setQuantity(line: 1, "0"))
            XCTAssertEqual(model.state.message?.detail, "jumlah: 0 harus lebih dari nol")

            XCTAssertFalse(model.setLineDiscount(line: 1, "150%"))
            XCTAssertEqual(model.state.message?.detail, "diskon: 150% harus lebih dari 0 dan paling banyak 100")

            // An amount in the reason is written again by the core, in Indonesian style.
            XCTAssertFalse(model.setLineDiscount(line: 1, "20000"))
            XCTAssertEqual(model.state.message?.detail, "diskon baris 1: Rp 20.000 lebih dari Rp 11.500 yang didiskon")

            let payment = model.payment()
            payment.keypadDigit("20")
            payment.keypadDigit("000")
            XCTAssertTrue(payment.payCashFromKeypad())
            XCTAssertFalse(model.scan(Product.kecap))
            XCTAssertEqual(model.state.message?.title, "Tidak bisa sekarang")
            XCTAssertEqual(model.state.message?.detail,
                           "pembayaran sudah dimulai: batalkan pembayaran sebelum mengubah penjualan")
        }
    }

    func testAnEnglishRegisterShowsTheCoresOwnWords() async throws {
        try await onMain {
            let kasir = try await openSampleStore()
            let model = try RegisterViewModel(kasir: kasir, language: .en)
            XCTAssertTrue(model.scan(Product.coco))
            XCTAssertFalse(model.setLineDiscount(line: 1, "20000"))
            XCTAssertEqual(model.state.message?.detail,
                           "line 1 discount: Rp 20,000 is more than the Rp 11,500 it applies to")
            XCTAssertFalse(model.scan("8858652601389"))
            XCTAssertEqual(model.state.message?.detail, "gtin: EAN-13 `8858652601389` has check digit 9, but it must be 8")
        }
    }

    func testAnEmptySalesQrisAndADottedAmountInIndonesian() async throws {
        try await onMain {
            let kasir = try await openSampleStore()
            let register = try RegisterViewModel(kasir: kasir, language: .id)
            let payment = register.payment()
            XCTAssertFalse(payment.showQris())
            XCTAssertEqual(payment.state.message?.detail, "toko ini belum punya kode QRIS: atur di pengaturan toko")
            do {
                _ = try kasir.parseAmount(field: "amount", "20.000")
                XCTFail("20.000 is refused")
            } catch {
                XCTAssertEqual(
                    UiMessage.of(error, .id).detail,
                    "jumlah uang: `20.000`: jumlah IDR adalah bilangan bulat; ketik tanpa titik atau koma, misalnya 20000")
            }
        }
    }

    func testACardRefusedByTheCoreInIndonesianWithTheCoresAmounts() async throws {
        try await onMain {
            let kasir = try await openSampleStore()
            let register = try RegisterViewModel(kasir: kasir, language: .id)
            XCTAssertTrue(register.scan(Product.coco))
            let payment = register.payment()
            XCTAssertFalse(payment.cardPaid(approvalCode: "A1B2C3", last4: "12", brand: "VISA"))
            XCTAssertEqual(payment.state.message?.detail, "4 angka terakhir kartu: harus tepat empat angka terakhir kartu")
            payment.keypadDigit("50")
            payment.keypadDigit("000")
            XCTAssertFalse(payment.cardPaid(approvalCode: "A1B2C3", last4: "4242", brand: "VISA"))
            XCTAssertEqual(
                payment.state.message?.detail,
                "jumlah uang: kartu sebesar Rp 50.000 lebih dari sisa tagihan Rp 11.500; hanya tunai yang memberi kembalian")
        }
    }

    func testAReasonWithoutATemplateStaysTheCoresEnglish() {
        let message = UiMessage.of(KasirError.NotAllowed(reason: "a reason no template knows"), .id)
        XCTAssertEqual(message.title, "Tidak bisa sekarang")
        XCTAssertEqual(message.detail, "a reason no template knows")
    }

    func testEveryVariantOfTheCoresErrorHasATemplateInBothLanguages() {
        // One of each variant; a new variant fails to compile in `ErrorTemplates.of` and in
        // `UiMessage.of` (their switches have no default) before it reaches this list.
        let variants: [KasirError] = [
            .NotFound(what: "x", key: "x"), .InvalidInput(field: "x", reason: "x"), .NotAllowed(reason: "x"),
            .Declined(reason: "x"), .DeviceUnavailable(reason: "x"), .Storage(reason: "x"), .Network(reason: "x"),
            .NotEnrolled, .Cancelled, .Internal(reason: "x"),
        ]
        var titles = Set<Label>()
        for error in variants {
            let (title, detail) = ErrorTemplates.of(error)
            titles.insert(title)
            for language in Language.allCases {
                XCTAssertFalse(title.text(language).isEmpty, "\(error) \(language)")
                XCTAssertFalse(detail.text(language).isEmpty, "\(error) \(language)")
            }
            XCTAssertNotEqual(title.text(.en), title.text(.id), "\(error)")
            let message = UiMessage.of(error, .id)
            XCTAssertEqual(message.title, title.text(.id))
            XCTAssertFalse(message.detail?.isEmpty ?? true, "\(error)")
        }
        XCTAssertEqual(titles.count, variants.count, "each variant has a title of its own")
        let words = Label.allCases.filter { ["WHAT_", "FIELD_", "REASON_"].contains(where: $0.rawValue.hasPrefix) }
        XCTAssertGreaterThan(words.count, 30)
        for label in words { XCTAssertFalse(label.text(.id).isEmpty, label.rawValue) }
    }
}
