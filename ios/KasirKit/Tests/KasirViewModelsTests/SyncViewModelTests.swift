// Enrolment and sync status from the view models, against the real core and a real
// kasir-cloud: the code read from the owner's QR link, the waiting count and ages, sync now.

import Foundation
import KasirKit
import KasirTestSupport
import KasirViewModels
import XCTest

/// A clock the test moves.
@MainActor
final class TestClock {
    var now = Date(timeIntervalSince1970: 1_800_000_000)
}

final class SyncViewModelTests: XCTestCase {
    func testWaitingSalesAndAgesBeforeEnrolment() async throws {
        try await onMain {
            let kasir = try await openSampleStore()
            let clock = TestClock()
            let model = SyncViewModel(kasir: kasir, language: .en, clock: { clock.now })
            let fresh = model.state

            let register = try RegisterViewModel(kasir: kasir, language: .en)
            register.scan(Product.kecap)
            let payment = register.payment()
            payment.payCashExact()
            payment.complete()
            let status = try await kasir.syncStatus()
            let oldest = try XCTUnwrap(status.oldestWaiting)
            // Ages are counted to the clock: 2 min 5 s after the sale, then 3 h later.
            clock.now = oldest.addingTimeInterval(125)
            model.refresh()
            let waiting = model.state
            clock.now = oldest.addingTimeInterval(3 * 3600 + 59)
            model.refresh()
            let later = model.state
            clock.now = oldest.addingTimeInterval(10)
            let synced = await model.syncNow()
            let refused = model.state

            XCTAssertFalse(fresh.enrolled)
            XCTAssertEqual(fresh.waiting, 0)
            XCTAssertEqual(fresh.waitingText, "All sent")
            XCTAssertNil(fresh.oldestWaitingText)
            XCTAssertEqual(fresh.lastSyncText, "never synced")
            XCTAssertEqual(fresh.summary, "Not connected to a cloud account")
            XCTAssertEqual(waiting.waiting, Int64(status.waiting))
            XCTAssertEqual(waiting.waiting, 1)
            XCTAssertEqual(waiting.waitingText, "1 waiting")
            XCTAssertEqual(waiting.oldestWaitingAge, 125)
            XCTAssertEqual(waiting.oldestWaitingText, "oldest 2 min ago")
            XCTAssertEqual(waiting.summary, "Not connected to a cloud account · 1 waiting")
            XCTAssertEqual(later.oldestWaitingText, "oldest 3 h ago")
            // Sync without an account: refused with the reason, still waiting.
            XCTAssertFalse(synced)
            XCTAssertFalse(refused.syncing)
            XCTAssertEqual(refused.message?.title, "Not connected to a cloud account")
            XCTAssertEqual(refused.waiting, 1)
            XCTAssertEqual(refused.oldestWaitingText, "oldest 10 s ago")
        }
    }

    func testAgesInBothLanguages() async throws {
        try await onMain {
            let kasir = try await openSampleStore()
            let en = SyncViewModel(kasir: kasir, language: .en)
            let id = SyncViewModel(kasir: kasir, language: .id)
            XCTAssertEqual(en.ageText(59), "59 s ago")
            XCTAssertEqual(id.ageText(60), "1 mnt lalu")
            XCTAssertEqual(en.ageText(3599), "59 min ago")
            XCTAssertEqual(id.ageText(7200), "2 jam lalu")
            XCTAssertEqual(en.ageText(3 * 86400), "3 d ago")
            // A clock set back is not a negative age.
            XCTAssertEqual(en.ageText(-30), "0 s ago")
        }
    }

    func testEnrolFromTheOwnersQrLinkThenSyncNow() async throws {
        try await onMain {
            let cloud = try Cloud()
            defer { cloud.stop() }
            let storeId = try await cloud.createStore(name: "Warung Swift")
            let code = try await cloud.enrolmentCode(store: storeId)
            let kasir = try await openSampleStore(secureStorage: MemorySecureStorage())
            let enrolment = EnrolmentViewModel(kasir: kasir, language: .id)
            let before = enrolment.state

            // The owner's console shows the code as the link SERVER/enrol?code=CODE.
            let server = cloud.url.absoluteString.trimmingCharacters(in: CharacterSet(charactersIn: "/"))
            let scanned = await enrolment.scanned("\(server)/enrol?code=\(code.lowercased())")
            let enrolled = enrolment.state

            let register = try RegisterViewModel(kasir: kasir, language: .id)
            register.scan(Product.milk)
            let payment = register.payment()
            payment.payCashExact()
            payment.complete()
            let clock = TestClock()
            clock.now = Date()
            let sync = SyncViewModel(kasir: kasir, language: .id, clock: { clock.now })
            let waiting = sync.state
            let synced = await sync.syncNow()
            let after = sync.state
            let status = try await kasir.syncStatus()

            XCTAssertFalse(before.enrolled)
            XCTAssertTrue(scanned, "\(String(describing: enrolled.message))")
            XCTAssertTrue(enrolled.enrolled)
            XCTAssertFalse(enrolled.enrolling)
            XCTAssertEqual(enrolled.code, code.uppercased())
            XCTAssertEqual(enrolled.serverUrl, server)
            XCTAssertEqual(status.serverUrl, server)
            XCTAssertTrue(waiting.enrolled)
            XCTAssertEqual(waiting.waitingText, "1 menunggu")
            XCTAssertTrue(synced, "\(String(describing: after.message))")
            XCTAssertNil(after.message)
            XCTAssertEqual(after.waiting, 0)
            XCTAssertEqual(after.synced, 1)
            XCTAssertEqual(after.waitingText, "Semua terkirim")
            XCTAssertNil(after.oldestWaitingText)
            XCTAssertEqual(after.lastSyncAt, status.lastSuccessAt)
            XCTAssertNotNil(after.lastSyncAt)
            XCTAssertTrue(after.summary.hasPrefix("Semua terkirim · sinkron terakhir "), after.summary)

            // A new screen knows the device is enrolled; enrolling again is refused by the core.
            let again = EnrolmentViewModel(kasir: kasir, language: .en)
            XCTAssertTrue(again.state.enrolled)
            again.setServerUrl(server)
            again.setCode(code)
            let twice = await again.enrol()
            XCTAssertFalse(twice)
            XCTAssertNotNil(again.state.message)
            XCTAssertFalse(again.state.enrolling)
        }
    }

    func testTypedAndScannedEnrolmentsAreCheckedByTheCoreFirst() async throws {
        try await onMain {
            let kasir = try await openSampleStore()
            let model = EnrolmentViewModel(kasir: kasir, language: .en, serverUrl: "https://cloud.kasir.example")
            XCTAssertEqual(model.state.serverUrl, "https://cloud.kasir.example")

            model.setCode("ABCD-EFGH")
            let short = await model.enrol()
            let shortCode = model.state.message
            model.setCode("ABCD-EFGH-JKMN-PQRS")
            model.setServerUrl("ftp://cloud.kasir.example")
            let bad = await model.enrol()
            let badServer = model.state.message
            // Another app's QR code.
            let other = await model.scanned("https://example.com/login?code=1")
            let otherMessage = model.state.message

            XCTAssertFalse(short)
            XCTAssertEqual(shortCode?.field, "code")
            XCTAssertFalse(bad)
            XCTAssertEqual(badServer?.field, "server_url")
            XCTAssertFalse(other)
            XCTAssertEqual(otherMessage?.field, "code")
            XCTAssertFalse(model.state.enrolled)
            XCTAssertFalse(model.state.enrolling)
            let status = try await kasir.syncStatus()
            XCTAssertFalse(status.enrolled)
        }
    }
}
