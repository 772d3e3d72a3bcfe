// Printing a real sale's receipt through the core's Bluetooth LE chunking over a fake link
// (Kotlin `BlePrintTest`).

import Foundation
import KasirKit
import KasirViewModels
import XCTest

/// A link that keeps every chunk it is given, refuses a chunk larger than a platform would take,
/// and fails its `failAt`-th write (from 0) when that is set.
final class FakeBleLink: BlePrinterLink, BlePrinterConnection, @unchecked Sendable {
    // @unchecked: the state is behind `lock`; the core writes from its own thread.
    private let lock = NSLock()
    private let mtuValue: UInt16
    private let max: UInt32?
    private let withoutResponse: Bool
    private let failAt: Int?
    private var chunksWritten: [(Data, Bool)] = []
    private var closedFlag = false

    init(mtu: UInt16, max: UInt32? = nil, withoutResponse: Bool = true, failAt: Int? = nil) {
        mtuValue = mtu
        self.max = max
        self.withoutResponse = withoutResponse
        self.failAt = failAt
    }

    var link: BlePrinterLink { self }
    var chunks: [Data] { lock.withLock { chunksWritten.map(\.0) } }
    var acknowledged: [Bool] { lock.withLock { chunksWritten.map(\.1) } }
    var closed: Bool { lock.withLock { closedFlag } }
    var received: Data { chunks.reduce(Data(), +) }

    func close() { lock.withLock { closedFlag = true } }

    func mtu() -> UInt16 { mtuValue }
    func maxWriteWithoutResponse() -> UInt32? { max }
    func supportsWriteWithoutResponse() -> Bool { withoutResponse }

    func write(chunk: Data, withResponse: Bool) throws {
        try lock.withLock {
            if failAt == chunksWritten.count { throw BleLinkError.WriteFailed(reason: "peer removed pairing") }
            let limit = withResponse || max == nil ? Int(mtuValue) - 3 : Int(max!)
            if chunk.count > limit {
                throw BleLinkError.WriteFailed(reason: "\(chunk.count) bytes is more than \(limit)")
            }
            chunksWritten.append((chunk, withResponse))
        }
    }
}

/// A printer saved with the core's Bluetooth LE target.
private func blePrinter() -> SavedPrinter {
    SavedPrinter(name: "kasir", target: "ble:5A1C-PRINTER", profile: "generic-58")
}

/// The BLE receipt printer, connected to `link` whatever the address.
private func printer(over link: FakeBleLink) -> BleReceiptPrinter {
    BleReceiptPrinter { address in
        XCTAssertEqual(address, "5A1C-PRINTER")
        return link
    }
}

final class BlePrintTests: XCTestCase {
    func testAReceiptGoesOutInChunksOfMtuMinusThreeAndArrivesWhole() async throws {
        try await onMain {
            let kasir = try await openSampleStore()
            let bytes = try kasir.receiptBytes(try sellKecapAndMilk(kasir), profile: "generic-58")
            XCTAssertGreaterThan(bytes.count, 2 * 182)
            let link = FakeBleLink(mtu: 185, withoutResponse: false)

            try await printer(over: link).send(blePrinter(), bytes)

            let sizes = link.chunks.map(\.count)
            XCTAssertTrue(sizes.dropLast().allSatisfy { $0 == 182 }, "\(sizes)")
            XCTAssertEqual(sizes.count, (bytes.count + 181) / 182)
            XCTAssertEqual(link.received, bytes)
            XCTAssertTrue(link.acknowledged.allSatisfy { $0 })
            XCTAssertTrue(link.closed)
        }
    }

    func testThePlatformsWriteWithoutResponseLimitWinsWhenSmaller() async throws {
        try await onMain {
            let kasir = try await openSampleStore()
            let bytes = try kasir.receiptBytes(try sellKecapAndMilk(kasir), profile: "generic-58")
            let link = FakeBleLink(mtu: 517, max: 237)

            try await printer(over: link).send(blePrinter(), bytes)

            let sizes = link.chunks.map(\.count)
            XCTAssertTrue(sizes.dropLast().allSatisfy { $0 == 237 }, "\(sizes)")
            XCTAssertTrue((1...237).contains(sizes.last ?? 0))
            XCTAssertEqual(link.received, bytes)
            XCTAssertFalse(link.acknowledged.contains(true))
        }
    }

    func testTheReceiptScreenPrintsOnABlePrinter() async throws {
        try await onMain {
            let kasir = try await openSampleStore()
            let number = try sellKecapAndMilk(kasir)
            try kasir.savePrinter(blePrinter())
            let link = FakeBleLink(mtu: 23)
            let model = ReceiptViewModel(kasir: kasir, receiptNumber: number, language: .en,
                                         printerPort: printer(over: link))
            let printed = await model.print()
            XCTAssertTrue(printed)
            XCTAssertTrue(link.chunks.allSatisfy { $0.count <= 20 })
            XCTAssertEqual(link.received, try kasir.receiptBytes(number, profile: "generic-58"))
        }
    }

    func testALinkThatBreaksPartWaySaysHowMuchReachedThePrinter() async throws {
        try await onMain {
            let kasir = try await openSampleStore()
            let bytes = try kasir.receiptBytes(try sellKecapAndMilk(kasir), profile: "generic-58")
            let link = FakeBleLink(mtu: 185, failAt: 2)
            do {
                try await printer(over: link).send(blePrinter(), bytes)
                XCTFail("the third write fails")
            } catch KasirError.DeviceUnavailable(let reason) {
                XCTAssertTrue(reason.contains("after 364 of \(bytes.count) bytes"), reason)
                XCTAssertTrue(reason.contains("peer removed pairing"), reason)
            }
            XCTAssertEqual(link.chunks.count, 2)
            XCTAssertTrue(link.closed)
        }
    }

    func testThePrinterServicesComeFromTheCore() {
        let services = printerServices()
        XCTAssertEqual(services.count, 4)
        XCTAssertEqual(services.first?.service, "000018f0-0000-1000-8000-00805f9b34fb")
        XCTAssertEqual(services.first?.characteristic, "00002af1-0000-1000-8000-00805f9b34fb")
    }
}
