// The core's logs reach a log sink written in Swift (on iOS, OSLogSink).

import Foundation
import KasirKit
import XCTest

final class LogSinkTests: XCTestCase {
    func testCompletedSaleIsLoggedToASwiftSinkWithoutCardDetails() async throws {
        let sink = RecordingLogSink()
        try KasirStore.sendLogs(to: sink, level: .info)
        let store = try await openSampleStore()
        let sale = try store.newSale()
        try sale.scan(Product.milk)
        try sale.pay(card: nil, approvalCode: "A1B2C3", last4: "1234", brand: "VISA")

        let completed = try await sale.complete()
        let records = sink.received

        let logged = records.filter { $0.message.hasPrefix("sale completed") }
        XCTAssertEqual(logged.count, 1, "\(records)")
        XCTAssertEqual(logged.first?.level, .info)
        XCTAssertEqual(logged.first?.target, "kasir::register")
        // Nothing of the card leaves the core in a log line.
        for record in records {
            XCTAssertFalse(record.message.contains("1234"), record.message)
            XCTAssertFalse(record.message.contains("A1B2C3"), record.message)
        }
        XCTAssertEqual(completed.tenders.count, 1)
    }

    func testRecordsBelowTheChosenLevelAreNotSent() async throws {
        let sink = RecordingLogSink()
        try KasirStore.sendLogs(to: sink, level: .warn)
        let store = try await openSampleStore()
        let sale = try store.newSale()
        try sale.scan(Product.milk)
        try sale.pay(cash: nil)

        _ = try await sale.complete()

        XCTAssertEqual(sink.received.filter { $0.level == .info || $0.level == .debug }, [])
    }
}
