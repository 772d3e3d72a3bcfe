// Sending the receipt as its public link: known offline, handed to the platform's share port,
// open at the cloud once the sale has synced (Kotlin `ReceiptLinkTest`).

import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import KasirKit
import KasirTestSupport
import KasirViewModels
import XCTest

/// `GET url`: the status and the body.
private func fetch(_ url: String) async throws -> (Int, Data) {
    let request = URLRequest(url: try XCTUnwrap(URL(string: url)))
    let (data, status): (Data, Int) = try await withCheckedThrowingContinuation { continuation in
        URLSession.shared.dataTask(with: request) { data, response, error in
            if let error {
                continuation.resume(throwing: error)
            } else {
                continuation.resume(returning: (data ?? Data(), (response as? HTTPURLResponse)?.statusCode ?? 0))
            }
        }.resume()
    }
    return (status, data)
}

final class ReceiptLinkTests: XCTestCase {
    func testWithoutACloudAccountSendLinkSaysToConnectOneAndSharesNothing() async throws {
        try await onMain {
            let kasir = try await openSampleStore()
            let number = try sellKecapAndMilk(kasir)
            let port = RecordingShare()
            let model = ReceiptViewModel(kasir: kasir, receiptNumber: number, language: .en, sharePort: port)

            let sent = await model.sendLink()

            XCTAssertFalse(sent)
            XCTAssertNil(model.state.link)
            XCTAssertEqual(model.state.message?.title, "Connect this device to a cloud account to send receipt links")
            XCTAssertTrue(port.links.isEmpty)
        }
    }

    func testSendLinkHandsTheCloudsLinkToThePortAndItOpensTheSameSaleOnceSynced() async throws {
        try await onMain {
            let cloud = try Cloud()
            defer { cloud.stop() }
            let storeId = try await cloud.createStore(name: "Toko Tautan")
            let code = try await cloud.enrolmentCode(store: storeId)
            let kasir = try await openSampleStore(secureStorage: MemorySecureStorage())
            try await kasir.enrol(server: cloud.url, code: code)
            let number = try sellKecapAndMilk(kasir)
            let sale = try kasir.core.sale(receiptNumber: number)
            let port = RecordingShare()
            let model = ReceiptViewModel(kasir: kasir, receiptNumber: number, language: .id, sharePort: port)

            let sent = await model.sendLink()

            XCTAssertTrue(sent, "\(String(describing: model.state.message))")
            let server = cloud.url.absoluteString.trimmingCharacters(in: CharacterSet(charactersIn: "/"))
            let link = try XCTUnwrap(model.state.link)
            XCTAssertTrue(link.hasPrefix("\(server)/r/"), link)
            XCTAssertEqual(port.links.map(\.subject), ["Struk \(number)"])
            XCTAssertEqual(port.links.map(\.url), [link])
            XCTAssertTrue(port.files.isEmpty, "a link is not a file")
            XCTAssertEqual(model.state.message?.title, "Tautan bisa dibuka setelah penjualan ini tersinkron")
            let (before, _) = try await fetch(link)
            XCTAssertEqual(before, 404)

            _ = try await kasir.syncOnce()
            let again = await model.sendLink()
            let (status, body) = try await fetch("\(link).json")
            let receipt = try JSONSerialization.jsonObject(with: body) as? [String: Any]

            XCTAssertTrue(again)
            XCTAssertEqual(model.state.link, link, "the link never changes")
            XCTAssertNil(model.state.message)
            XCTAssertEqual(status, 200)
            XCTAssertEqual(receipt?["receipt_number"] as? String, number)
            XCTAssertEqual((receipt?["total"] as? String).flatMap { Decimal(string: $0) }, sale.total)
            XCTAssertEqual((receipt?["change"] as? String).flatMap { Decimal(string: $0) }, sale.change)
        }
    }

    func testAFailingPortLeavesTheLinkShownWithThePortsMessage() async throws {
        try await onMain {
            let cloud = try Cloud()
            defer { cloud.stop() }
            let storeId = try await cloud.createStore(name: "Toko Tautan")
            let code = try await cloud.enrolmentCode(store: storeId)
            let kasir = try await openSampleStore(secureStorage: MemorySecureStorage())
            try await kasir.enrol(server: cloud.url, code: code)
            let number = try sellKecapAndMilk(kasir)
            let port = RecordingShare()
            port.failing = true
            let model = ReceiptViewModel(kasir: kasir, receiptNumber: number, language: .en, sharePort: port)
            let noPort = ReceiptViewModel(kasir: kasir, receiptNumber: number, language: .en)

            let sent = await model.sendLink()
            let shown = await noPort.sendLink()

            XCTAssertFalse(sent)
            XCTAssertNotNil(model.state.link)
            XCTAssertEqual(model.state.message?.detail, "no app can take it")
            XCTAssertFalse(shown)
            XCTAssertEqual(noPort.state.link, model.state.link)
        }
    }
}
