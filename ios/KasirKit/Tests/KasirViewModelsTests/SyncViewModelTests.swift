// Enrolment and sync status from the view models, against the real core and a real
// kasir-cloud: the code read from the owner's QR link, the waiting count and ages, sync now.

import Foundation
import KasirKit
import KasirViewModels
import XCTest

final class SyncViewModelTests: XCTestCase {
    @MainActor
    func testWaitingSalesAndAgesBeforeEnrolment() async throws {
        let kasir = try await openSampleStore()
        let model = SyncViewModel(kasir: kasir, language: .en)
        await model.refresh()
        let fresh = model.state

        let register = try RegisterViewModel(kasir: kasir, language: .en)
        register.scan(Product.kecap)
        let payment = register.payment()
        payment.payCashExact()
        payment.complete()
        let status = try await kasir.syncStatus()
        let oldest = try XCTUnwrap(status.oldestWaiting)
        // Ages are counted to the clock the test gives: 2 min 5 s after the sale.
        await model.refresh(now: oldest.addingTimeInterval(125))
        let waiting = model.state
        model.tick(now: oldest.addingTimeInterval(3 * 3600 + 59))
        let later = model.state
        await model.syncNow(now: { oldest.addingTimeInterval(10) })
        let refused = model.state

        XCTAssertFalse(fresh.enrolled)
        XCTAssertEqual(fresh.waiting, 0)
        XCTAssertEqual(fresh.waitingText, "All sent")
        XCTAssertNil(fresh.oldestWaitingText)
        XCTAssertEqual(fresh.lastSyncText, "never synced")
        XCTAssertEqual(waiting.waiting, Int(status.waiting))
        XCTAssertEqual(waiting.waiting, 1)
        XCTAssertEqual(waiting.waitingText, "1 waiting")
        XCTAssertEqual(waiting.oldestWaitingText, "oldest 2 min ago")
        XCTAssertEqual(later.oldestWaitingText, "oldest 3 h ago")
        // Sync without an account: refused with the reason, still waiting.
        XCTAssertFalse(refused.busy)
        XCTAssertEqual(refused.message?.title, "Not connected to a cloud account")
        XCTAssertEqual(refused.waiting, 1)
        XCTAssertEqual(refused.oldestWaitingText, "oldest 10 s ago")
    }

    func testAgesInBothLanguages() {
        let then = Date(timeIntervalSince1970: 1_800_000_000)
        XCTAssertEqual(age(from: then, to: then.addingTimeInterval(59), .en), "59 s ago")
        XCTAssertEqual(age(from: then, to: then.addingTimeInterval(60), .id), "1 mnt lalu")
        XCTAssertEqual(age(from: then, to: then.addingTimeInterval(3599), .en), "59 min ago")
        XCTAssertEqual(age(from: then, to: then.addingTimeInterval(7200), .id), "2 jam lalu")
        XCTAssertEqual(age(from: then, to: then.addingTimeInterval(3 * 86400), .en), "3 d ago")
        // A clock set back is not a negative age.
        XCTAssertEqual(age(from: then, to: then.addingTimeInterval(-30), .en), "0 s ago")
    }

    @MainActor
    func testEnrolFromTheOwnersQrLinkThenSyncNow() async throws {
        let cloud = try Cloud()
        defer { cloud.stop() }
        let storeId = try await cloud.createStore(name: "Warung Swift")
        let code = try await cloud.enrolmentCode(store: storeId)
        let kasir = try await openSampleStore(secureStorage: MemorySecureStorage())
        let enrolment = EnrolmentViewModel(kasir: kasir, language: .id)

        // The owner's console shows the code as the link SERVER/enrol?code=CODE.
        let link = cloud.url.absoluteString.trimmingCharacters(in: CharacterSet(charactersIn: "/"))
            + "/enrol?code=\(code.lowercased())"
        await enrolment.scanned(link)
        let enrolled = enrolment.state

        let register = try RegisterViewModel(kasir: kasir, language: .id)
        register.scan(Product.milk)
        let payment = register.payment()
        payment.payCashExact()
        payment.complete()
        let sync = SyncViewModel(kasir: kasir, language: .id)
        await sync.refresh()
        let before = sync.state
        let start = Date()
        await sync.syncNow(now: { start })
        let after = sync.state
        let status = try await kasir.syncStatus()

        XCTAssertTrue(enrolled.enrolled, "\(String(describing: enrolled.message))")
        XCTAssertFalse(enrolled.busy)
        XCTAssertEqual(enrolled.code, code.uppercased())
        XCTAssertEqual(enrolled.serverUrl, status.serverUrl)
        XCTAssertEqual(enrolled.message?.text, "Perangkat ini sudah terhubung")
        XCTAssertTrue(before.enrolled)
        XCTAssertEqual(before.waitingText, "1 menunggu")
        XCTAssertNil(after.message)
        XCTAssertEqual(after.waiting, 0)
        XCTAssertEqual(after.waitingText, "Semua terkirim")
        XCTAssertEqual(status.synced, 1)
        XCTAssertNotNil(status.lastSuccessAt)
        XCTAssertNil(after.oldestWaitingText)
        XCTAssertTrue(after.lastSyncText.hasPrefix("sinkron terakhir "), after.lastSyncText)

        // Enrolling again is refused by the core and said.
        let again = EnrolmentViewModel(kasir: kasir, language: .en)
        again.setServerUrl(cloud.url.absoluteString)
        again.setCode(code)
        await again.enrol()
        XCTAssertNotNil(again.state.message)
        XCTAssertFalse(again.state.busy)
    }

    @MainActor
    func testTypedEnrolmentIsCheckedByTheCoreFirst() async throws {
        let kasir = try await openSampleStore()
        let model = EnrolmentViewModel(kasir: kasir, language: .en)

        model.setCode("ABCD-EFGH")
        model.setServerUrl("https://cloud.kasir.example")
        await model.enrol()
        let shortCode = model.state.message
        model.setCode("ABCD-EFGH-JKMN-PQRS")
        model.setServerUrl("ftp://cloud.kasir.example")
        await model.enrol()
        let badServer = model.state.message
        // Another app's QR code is taken as a typed code, checked when Connect is pressed.
        await model.scanned("https://example.com/login?code=1")

        XCTAssertEqual(shortCode?.field, "code")
        XCTAssertEqual(badServer?.field, "server_url")
        XCTAssertFalse(model.state.enrolled)
        XCTAssertFalse(model.state.busy)
        let status = try await kasir.syncStatus()
        XCTAssertFalse(status.enrolled)
    }
}
