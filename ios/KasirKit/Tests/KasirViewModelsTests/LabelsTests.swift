// The string table and the observation of view models.

import Foundation
import KasirKit
import KasirViewModels
import XCTest

final class LabelsTests: XCTestCase {
    /// The Kotlin table the Swift one is generated from (scripts/swift-labels.py).
    private func kotlinLabels() throws -> [String: (String, String)] {
        // ios/KasirKit/Tests/KasirViewModelsTests/LabelsTests.swift: the root is five up.
        var root = URL(fileURLWithPath: #filePath)
        for _ in 0..<5 { root.deleteLastPathComponent() }
        let file = root.appendingPathComponent("android/kasir/src/main/kotlin/id/kasir/ui/Strings.kt")
        let source = try String(contentsOf: file, encoding: .utf8)
        let start = try XCTUnwrap(source.range(of: "enum class Label("))
        let body = source[start.upperBound...]
        let open = try XCTUnwrap(body.firstIndex(of: "{"))
        let end = try XCTUnwrap(endOfEntries(body))
        let entries = String(body[body.index(after: open)..<end])
        let text = #""((?:[^"\\]|\\.)*)""#
        let pattern = try NSRegularExpression(pattern: #"\b([A-Z][A-Z0-9_]*)\(\s*"# + text + #"\s*,\s*"# + text + #"\s*,?\s*\)"#)
        var labels: [String: (String, String)] = [:]
        let range = NSRange(entries.startIndex..., in: entries)
        for match in pattern.matches(in: entries, range: range) {
            let group = { (i: Int) in String(entries[Range(match.range(at: i), in: entries)!]) }
            labels[group(1)] = (group(2).replacingOccurrences(of: #"\""#, with: "\""),
                                group(3).replacingOccurrences(of: #"\""#, with: "\""))
        }
        return labels
    }

    /// The `;` that ends the enum's entries: the first one outside a string and a `//` comment
    /// (a label's text or a comment may hold one of its own), as scripts/swift-labels.py reads it.
    private func endOfEntries(_ body: Substring) -> Substring.Index? {
        var inString = false
        var i = body.startIndex
        while i < body.endIndex {
            let c = body[i]
            if inString && c == "\\" {
                i = body.index(i, offsetBy: 2, limitedBy: body.endIndex) ?? body.endIndex
                continue
            }
            if !inString && body[i...].hasPrefix("//") {
                i = body[i...].firstIndex(of: "\n") ?? body.endIndex
                continue
            }
            if c == "\"" {
                inString.toggle()
            } else if c == ";" && !inString {
                return i
            }
            i = body.index(after: i)
        }
        return nil
    }

    func testTheSwiftTableIsTheKotlinOne() throws {
        let kotlin = try kotlinLabels()
        XCTAssertGreaterThan(kotlin.count, 50)
        XCTAssertEqual(Set(Label.allCases.map(\.rawValue)), Set(kotlin.keys),
                       "run scripts/swift-labels.py after changing Strings.kt")
        for label in Label.allCases {
            guard let texts = kotlin[label.rawValue] else { continue }
            XCTAssertEqual(label.text(.en), texts.0, label.rawValue)
            XCTAssertEqual(label.text(.id), texts.1, label.rawValue)
        }
    }

    func testEveryLabelHasBothLanguagesWithTheSamePlaceholders() {
        let placeholders = try! NSRegularExpression(pattern: #"\{\d\}"#)
        func found(_ text: String) -> [String] {
            placeholders.matches(in: text, range: NSRange(text.startIndex..., in: text))
                .map { String(text[Range($0.range, in: text)!]) }.sorted()
        }
        for label in Label.allCases {
            XCTAssertFalse(label.text(.en).isEmpty, label.rawValue)
            XCTAssertFalse(label.text(.id).isEmpty, label.rawValue)
            XCTAssertEqual(found(label.text(.en)), found(label.text(.id)), label.rawValue)
        }
        XCTAssertEqual(Label.syncWaiting.format(.id, "3"), "3 menunggu")
        XCTAssertEqual(Label.itemsCount.format(.en, "2"), "2 items")
    }

    func testTheDeviceLanguageFromItsLocaleTag() {
        XCTAssertEqual(Language.forDevice("id-ID"), .id)
        XCTAssertEqual(Language.forDevice("in_ID"), .id)
        XCTAssertEqual(Language.forDevice("id"), .id)
        XCTAssertEqual(Language.forDevice("en-US"), .en)
        XCTAssertEqual(Language.forDevice("nl-NL"), .en)
        XCTAssertEqual(Language.forDevice("indonesian"), .en)
        XCTAssertEqual(Language.of(.id), .id)
        XCTAssertEqual(Language.en.core, .en)
    }

    func testObserversSeeEveryChangeUntilCancelledAndEventsWait() async throws {
        try await onMain {
            let kasir = try await openSampleStore()
            let model = try RegisterViewModel(kasir: kasir, language: .id)
            // A scan before anyone listens: its event waits for the first listener.
            model.scan(Product.kecap)
            var totals: [String] = []
            let observation = model.observe { totals.append($0.totalText) }
            var events: [ScanEvent] = []
            model.events { events.append($0) }

            model.scan(Product.kecap)
            model.dismissMessage() // no change: no call
            observation.cancel()
            model.scan(Product.kecap)

            XCTAssertEqual(totals, ["Rp 4.000", "Rp 8.000"])
            XCTAssertEqual(events.map { if case .accepted(_, _, _, let total) = $0 { return total } else { return "" } },
                           ["Rp 4.000", "Rp 8.000", "Rp 12.000"])
        }
    }
}
