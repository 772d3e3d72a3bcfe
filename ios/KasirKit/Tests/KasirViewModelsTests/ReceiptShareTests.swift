// Sharing the receipt as the core's PNG and PDF through the platform's share port (Kotlin
// `ReceiptShareTest`).

import Foundation
import KasirKit
import KasirViewModels
import XCTest

/// A share port that keeps every file and link it is given, or fails like a share sheet with no
/// app; a file is "saved" to `savedTo` when that is set.
final class RecordingShare: ReceiptSharePort, @unchecked Sendable {
    // @unchecked: the tests touch it from the main actor only.
    struct NoApp: Error, CustomStringConvertible {
        var description: String { "no app can take it" }
    }

    var failing = false
    var savedTo: String?
    private(set) var files: [SharedFile] = []
    private(set) var links: [(subject: String, url: String)] = []

    func shareFile(_ file: SharedFile) async throws -> String? {
        if failing { throw NoApp() }
        files.append(file)
        return savedTo
    }

    func shareLink(subject: String, url: String) async throws {
        if failing { throw NoApp() }
        links.append((subject, url))
    }
}

/// Width and height from a PNG's IHDR chunk, after the 8-byte signature and the chunk's length
/// and type.
func pngSize(_ png: Data) -> (Int, Int) {
    let bytes = [UInt8](png)
    let be = { (at: Int) in bytes[at..<at + 4].reduce(0) { $0 << 8 | Int($1) } }
    return (be(16), be(20))
}

final class ReceiptShareTests: XCTestCase {
    func testShareImageAndSharePdfHandTheCoresFilesToThePort() async throws {
        try await onMain {
            let kasir = try await openSampleStore()
            let number = try sellKecapAndMilk(kasir)
            let port = RecordingShare()
            let model = ReceiptViewModel(kasir: kasir, receiptNumber: number, language: .id, sharePort: port)

            let image = await model.shareImage()
            let pdf = await model.sharePdf()

            XCTAssertTrue(image)
            XCTAssertTrue(pdf)
            XCTAssertEqual(port.files.map(\.fileName), ["struk-\(number).png", "struk-\(number).pdf"])
            XCTAssertEqual(port.files.map(\.mimeType), ["image/png", "application/pdf"])
            XCTAssertEqual(port.files[0].data, try kasir.receiptPng(number, columns: 32).bytes)
            XCTAssertEqual(port.files[1].data, try kasir.receiptPdf(number, columns: 32).bytes)
            XCTAssertEqual([UInt8](port.files[0].data.prefix(4)), [0x89, 0x50, 0x4E, 0x47])
            // 80 mm at 203 dots to the inch.
            XCTAssertEqual(pngSize(port.files[0].data).0, 640)
            XCTAssertEqual(String(decoding: port.files[1].data.prefix(5), as: UTF8.self), "%PDF-")
            XCTAssertFalse(model.state.sharing)
            XCTAssertNil(model.state.message)
            XCTAssertNil(model.state.savedTo, "a share sheet shows where the file goes itself")
            XCTAssertTrue(port.links.isEmpty)
            XCTAssertTrue(model.canShare)
        }
    }

    func testWhereThePortSavedTheFileIsKeptForTheScreenAndClearedByAFailure() async throws {
        try await onMain {
            let kasir = try await openSampleStore()
            let number = try sellKecapAndMilk(kasir)
            let port = RecordingShare()
            port.savedTo = "/Users/kasir/Downloads/struk-\(number).pdf"
            let model = ReceiptViewModel(kasir: kasir, receiptNumber: number, language: .en, sharePort: port)

            let saved = await model.sharePdf()
            XCTAssertTrue(saved)
            XCTAssertEqual(model.state.savedTo, "/Users/kasir/Downloads/struk-\(number).pdf")

            port.failing = true
            let failed = await model.shareImage()
            XCTAssertFalse(failed)
            XCTAssertNil(model.state.savedTo)
            XCTAssertEqual(model.state.message?.detail, "no app can take it")
        }
    }

    func testAFailingPortAMissingSaleAndNoPortAreSaidAndShareNothing() async throws {
        try await onMain {
            let kasir = try await openSampleStore()
            let number = try sellKecapAndMilk(kasir)
            let failingPort = RecordingShare()
            failingPort.failing = true
            let failing = ReceiptViewModel(kasir: kasir, receiptNumber: number, language: .en, sharePort: failingPort)
            let recording = RecordingShare()
            let missing = ReceiptViewModel(kasir: kasir, receiptNumber: "D01-000999", language: .en, sharePort: recording)
            let noPort = ReceiptViewModel(kasir: kasir, receiptNumber: number, language: .en)

            let failed = await failing.sharePdf()
            let notFound = await missing.shareImage()
            let unshared = await noPort.shareImage()

            XCTAssertFalse(failed)
            XCTAssertFalse(notFound)
            XCTAssertFalse(unshared)
            XCTAssertEqual(failing.state.message?.text, "Device problem: no app can take it")
            XCTAssertFalse(failing.state.sharing)
            XCTAssertEqual(missing.state.message?.title, Label.errorNotFound.text(.en))
            XCTAssertTrue(recording.files.isEmpty)
            XCTAssertNil(noPort.state.message)
            XCTAssertFalse(noPort.canShare)
        }
    }
}
