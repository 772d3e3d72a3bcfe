// The Swift bindings must match the library they run against: same uniffi contract, same
// signatures for every exported function and method.

import Foundation
import XCTest

final class BindingsContractTests: XCTestCase {
    func testGeneratedBindingsMatchTheLoadedLibrary() throws {
        let expectations = BindingsExpectations(generatedSwift: try generatedBindingsSource())

        // A file without checksums would make the comparison below pass vacuously.
        XCTAssertNotNil(expectations.contractVersion, "no contract version in KasirCore.swift")
        XCTAssertFalse(expectations.checksums.isEmpty, "no checksums in KasirCore.swift")
        let mismatches = expectations.mismatches(asking: askLibrary)

        XCTAssertEqual(mismatches, [], "stale Swift bindings; run scripts/bindings.sh:\n"
            + mismatches.map(\.description).joined(separator: "\n"))
    }

    func testAChangedSignatureIsReportedByFunctionName() throws {
        // Bindings generated for another version of one method: its expected checksum differs.
        let source = try generatedBindingsSource()
        let expectations = BindingsExpectations(generatedSwift: source)
        let (function, expected) = try XCTUnwrap(expectations.checksums.first)
        let stale = source.replacingOccurrences(
            of: "\(function)() != \(expected)", with: "\(function)() != \((expected + 1) % 65536)")

        let fresh = expectations.mismatches(asking: askLibrary)

        let mismatches = BindingsExpectations(generatedSwift: stale).mismatches(asking: askLibrary)

        // Compared with the fresh bindings, so that this holds whether or not they are stale.
        let changed = try XCTUnwrap(mismatches.first { $0.function == function })
        XCTAssertEqual(changed.expected, (expected + 1) % 65536)
        XCTAssertEqual(mismatches.filter { $0.function != function }, fresh.filter { $0.function != function })
    }

    func testAFunctionMissingFromTheLibraryIsReported() throws {
        let source = try generatedBindingsSource()
        let stale = source + "\n    if (uniffi_kasir_checksum_method_kasir_gone() != 1) {\n"

        let fresh = BindingsExpectations(generatedSwift: source).mismatches(asking: askLibrary)

        let mismatches = BindingsExpectations(generatedSwift: stale).mismatches(asking: askLibrary)

        XCTAssertEqual(mismatches, fresh + [
            ContractMismatch(function: "uniffi_kasir_checksum_method_kasir_gone", expected: 1, actual: nil),
        ])
    }
}
