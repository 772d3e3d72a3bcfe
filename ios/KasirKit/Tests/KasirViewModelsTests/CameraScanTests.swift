// Camera frames from real barcode photos (Frames/, grayscale PGM conversions made by
// scripts/barcode-pgm.py from rust-core/scan/tests/data/barcodes, ZXing authors, Apache-2.0)
// through the core's decoder into the register's sale.

import Foundation
import KasirKit
import KasirViewModels
import XCTest

/// A photo as a camera's luminance plane: rows padded past the width, as camera buffers are.
struct CameraFrame {
    let pixels: Data
    let width: Int
    let height: Int
    let rowStride: Int
    /// The code the photo shows.
    let code: String

    static let folder = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .appendingPathComponent("Frames", isDirectory: true)

    /// Frame `name` (`ean13-3-01`), each row `padding` bytes longer than the width.
    static func named(_ name: String, padding: Int = 64) throws -> CameraFrame {
        let pgm = try Data(contentsOf: folder.appendingPathComponent("\(name).pgm"))
        let code = try String(contentsOf: folder.appendingPathComponent("\(name).txt"), encoding: .utf8)
            .trimmingCharacters(in: .whitespacesAndNewlines)
        // P5 header: magic, width, height, maximum, each followed by one whitespace byte.
        var fields: [String] = []
        var field = ""
        var index = pgm.startIndex
        while fields.count < 4, index < pgm.endIndex {
            let byte = pgm[index]
            index += 1
            if byte == 0x20 || byte == 0x0A || byte == 0x0D || byte == 0x09 {
                if !field.isEmpty { fields.append(field); field = "" }
            } else {
                field.append(Character(UnicodeScalar(byte)))
            }
        }
        guard fields.count == 4, fields[0] == "P5", let width = Int(fields[1]), let height = Int(fields[2]),
              fields[3] == "255", pgm.endIndex - index == width * height
        else { throw CocoaError(.fileReadCorruptFile) }
        let stride = width + padding
        var pixels = Data(repeating: 0x55, count: stride * height)
        for row in 0..<height {
            let from = index + row * width
            pixels.replaceSubrange(row * stride..<(row * stride + width), with: pgm[from..<(from + width)])
        }
        return CameraFrame(pixels: pixels, width: width, height: height, rowStride: stride, code: code)
    }
}

/// A store with the sample catalog and the two photographed books.
func storeWithBooks(_ book: CameraFrame, _ other: CameraFrame) async throws -> KasirStore {
    let kasir = try await openSampleStore()
    try kasir.importCatalog("gtin,sku,name,price,tax_category,unit,category,stock\n"
        + "\(book.code),BK-1,Buku foto,85000,ppn,each,Buku,3\n"
        + "\(other.code),BK-2,Buku lain,42000,ppn,each,Buku,3\n")
    return kasir
}

final class CameraScanTests: XCTestCase {

    func testAPaddedFrameOfARealPhotoReadsItsCode() throws {
        let frame = try CameraFrame.named("ean13-3-01", padding: 96)
        let read = try XCTUnwrap(try FrameScanner().frame(
            frame.pixels, width: frame.width, height: frame.height, rowStride: frame.rowStride, timestampMs: 0))
        XCTAssertEqual(read.code, frame.code)
        XCTAssertEqual(read.symbology, "EAN-13")
        XCTAssertTrue(read.isNew)

        let upc = try CameraFrame.named("upca-2-14", padding: 8)
        let upcRead = try FrameScanner().frame(
            upc.pixels, width: upc.width, height: upc.height, rowStride: upc.rowStride, timestampMs: 0)
        XCTAssertEqual(upcRead?.code, upc.code)
        XCTAssertEqual(upcRead?.symbology, "UPC-A")
    }

    func testTheSameFrameSeveralTimesAddsTheItemOnceWithOneAcceptEvent() async throws {
        try await onMain {
            let book = try CameraFrame.named("ean13-3-01")
            let other = try CameraFrame.named("ean13-2-05", padding: 16)
            let kasir = try await storeWithBooks(book, other)
            let model = try RegisterViewModel(kasir: kasir, language: .id)
            let scans = EventLog(model)
            let camera = try FrameScanner()

            let added = (0..<5).map { i in
                model.frame(camera, pixels: book.pixels, width: book.width, height: book.height,
                            rowStride: book.rowStride, timestampMs: UInt64(i) * 33)
            }
            XCTAssertEqual(added, [true, false, false, false, false])
            XCTAssertEqual(scans.events, [
                .accepted(code: book.code, name: "Buku foto", line: 1, totalText: "Rp 85.000"),
            ])
            XCTAssertEqual(model.state.lines.map(\.quantityText), ["1"])
            XCTAssertEqual(model.state.total, 85000)
        }
    }

    func testACodeBackAfterTheQuietTimeCountsAgainAndASecondCodeAtOnce() async throws {
        try await onMain {
            let book = try CameraFrame.named("ean13-3-01")
            let other = try CameraFrame.named("ean13-2-05", padding: 16)
            let kasir = try await storeWithBooks(book, other)
            let model = try RegisterViewModel(kasir: kasir, language: .id)
            let camera = try FrameScanner()
            @MainActor func show(_ frame: CameraFrame, at ms: UInt64) -> Bool {
                model.frame(camera, pixels: frame.pixels, width: frame.width, height: frame.height,
                            rowStride: frame.rowStride, timestampMs: ms)
            }
            XCTAssertTrue(show(book, at: 0))
            XCTAssertFalse(show(book, at: 500))
            XCTAssertTrue(show(other, at: 600))
            // Out of view for longer than the quiet time (1 s): scanning it again adds one.
            XCTAssertTrue(show(book, at: 2_000))
            XCTAssertEqual(model.state.lines.map(\.name), ["Buku foto", "Buku lain"])
            XCTAssertEqual(model.state.lines.map(\.quantityText), ["2", "1"])
            XCTAssertEqual(model.state.total, 212000)
        }
    }

    func testBadGeometryIsRefusedByTheCoreAndChangesNothing() async throws {
        try await onMain {
            let book = try CameraFrame.named("ean13-3-01")
            let kasir = try await openSampleStore()
            let model = try RegisterViewModel(kasir: kasir, language: .id)
            let camera = try FrameScanner()
            XCTAssertFalse(model.frame(camera, pixels: book.pixels.prefix(100), width: book.width,
                                       height: book.height, rowStride: book.rowStride, timestampMs: 0))
            XCTAssertEqual(model.state.message?.field, "pixels")
            XCTAssertTrue(model.state.isEmpty)
            XCTAssertThrowsError(try camera.frame(book.pixels, width: book.width, height: book.height,
                                                  rowStride: book.width - 1, timestampMs: 0))
        }
    }
}
