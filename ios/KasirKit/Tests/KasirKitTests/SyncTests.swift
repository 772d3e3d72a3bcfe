// Sync from Swift against a real kasir-cloud: enrolment with the device token kept in a Swift
// secure storage, `async` sync of a completed sale, pulled catalog changes, and background
// sync as an AsyncStream woken by a Swift network monitor.

import Foundation
import KasirKit
import KasirTestSupport
import XCTest

final class SyncTests: XCTestCase {
    private var cloud: Cloud!

    override func setUp() async throws {
        cloud = try Cloud()
    }

    override func tearDown() async throws {
        cloud.stop()
    }

    /// A sale of 2 x Kecap Manis (4,000) and 1 x Ultra Milk (7,500), paid in cash: 15,500,
    /// of which PPN 8,000 x 11/111 = 792.79 -> 793.
    private func sellKecapAndMilk(in store: KasirStore) async throws -> Sale {
        let sale = try store.newSale()
        try sale.add(Product.kecap, quantity: 2)
        try sale.scan(Product.milk)
        try sale.pay(cash: nil)
        return try await sale.complete()
    }

    func testCompletedSaleReachesTheCloudThroughAsyncSync() async throws {
        let storeId = try await cloud.createStore(name: "Warung Swift")
        let code = try await cloud.enrolmentCode(store: storeId)
        let keychain = MemorySecureStorage()
        let store = try await openSampleStore(secureStorage: keychain)
        try await store.enrol(server: cloud.url, code: code)
        let sold = try await sellKecapAndMilk(in: store)
        let waiting = try await store.syncStatus().waiting

        let report = try await store.syncOnce()
        let status = try await store.syncStatus()
        let day = try await cloud.owner("GET", "v1/owner/stores/\(storeId)/reports/day/\(sold.businessDate)")

        // The token went to the Swift storage, not the store file.
        XCTAssertEqual(keychain.keys, ["kasir.device-token"])
        XCTAssertEqual(waiting, 1)
        XCTAssertEqual(report.stored, 1)
        XCTAssertEqual(report.rejected, 0)
        XCTAssertEqual(status.waiting, 0)
        XCTAssertEqual(status.synced, 1)
        XCTAssertTrue(status.enrolled)
        XCTAssertNil(status.lastError)
        XCTAssertEqual(day["sales"] as? Int, 1)
        XCTAssertEqual((day["total"] as? String).map(rp), 15500)
        XCTAssertEqual((day["tax"] as? String).map(rp), 793)
    }

    func testPriceChangedInTheCloudArrivesWithTheNextSync() async throws {
        let storeId = try await cloud.createStore(name: "Warung Swift")
        let code = try await cloud.enrolmentCode(store: storeId)
        let store = try await openSampleStore(secureStorage: MemorySecureStorage())
        try await store.enrol(server: cloud.url, code: code)
        _ = try await cloud.owner("PUT", "v1/owner/stores/\(storeId)/items", body: [
            "items": [[
                "gtin": Product.kecap, "name": "Kecap Manis 135 ml", "price": "4500",
                "tax_category": "ppn", "unit": "each",
            ]],
        ])

        let report = try await store.syncOnce()
        let item = try await store.item(code: Product.kecap)
        let view = try store.newSale().scan(Product.kecap)

        XCTAssertGreaterThanOrEqual(report.changes, 1)
        XCTAssertEqual(item.name, "Kecap Manis 135 ml")
        XCTAssertEqual(item.price, 4500)
        XCTAssertEqual(view.totals.total, 4500)
    }

    func testSecureStorageThatFailsRefusesEnrolmentAsDeviceUnavailable() async throws {
        let storeId = try await cloud.createStore(name: "Warung Swift")
        let code = try await cloud.enrolmentCode(store: storeId)
        let store = try await openSampleStore(secureStorage: LockedSecureStorage())

        do {
            try await store.enrol(server: cloud.url, code: code)
            XCTFail("enrolled without keeping the token")
        } catch KasirError.DeviceUnavailable {
            // expected: a Swift error the trait does not declare is the device's fault
        }
        let status = try await store.syncStatus()

        XCTAssertFalse(status.enrolled)
    }

    func testSyncBeforeEnrolmentIsNotEnrolled() async throws {
        let store = try await openSampleStore()

        do {
            _ = try await store.syncOnce()
            XCTFail("synced without enrolment")
        } catch KasirError.NotEnrolled {
            // expected
        }
    }

    func testBackgroundSyncStreamsEachSyncAndWakesWhenTheNetworkReturns() async throws {
        let storeId = try await cloud.createStore(name: "Warung Swift")
        let code = try await cloud.enrolmentCode(store: storeId)
        let store = try await openSampleStore(secureStorage: MemorySecureStorage())
        try await store.enrol(server: cloud.url, code: code)
        let network = SwitchedNetwork()

        // An hour between turns: only the first sync and the network's return can start one.
        let sync = try store.startSync(every: .seconds(3600), network: network)
        let guardrail = watchdog(sync)
        var updates: [SyncUpdate] = []
        for await update in sync.updates {
            updates.append(update)
            if updates.count == 2 { break }
            // After the first sync (nothing to send): a sale, then the network drops and
            // comes back, which wakes sync at once.
            _ = try await sellKecapAndMilk(in: store)
            network.set(reachable: false)
            network.set(reachable: true)
        }
        let listenedWhileRunning = network.isListened
        sync.cancel()
        guardrail.cancel()
        var afterCancel = 0
        for await _ in sync.updates { afterCancel += 1 }

        XCTAssertEqual(updates.count, 2)
        XCTAssertEqual(updates.first?.event.report?.stored, 0)
        XCTAssertNil(updates.first?.event.error)
        XCTAssertEqual(updates.last?.event.report?.stored, 1)
        XCTAssertEqual(updates.last?.status?.waiting, 0)
        XCTAssertTrue(listenedWhileRunning)
        XCTAssertFalse(sync.isRunning)
        XCTAssertFalse(network.isListened)
        XCTAssertEqual(afterCancel, 0)
    }
}
