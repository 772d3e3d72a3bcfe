// What the generated Swift bindings expect of the loaded library, checked against it.
//
// The generated KasirCore.swift carries uniffi's contract version and one checksum per exported
// function and method, computed from the Rust signatures when the bindings were generated. The
// library answers the same questions through C functions. uniffi itself compares them lazily
// and stops the process on a mismatch; this check compares every one up front and names each
// function whose bindings are stale, so a test reports the mismatch instead of a crash.

import Foundation

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// One thing the bindings expect that the library does not give.
struct ContractMismatch: Equatable, CustomStringConvertible {
    /// The C function asked (a checksum or the contract version).
    let function: String
    /// The value written in the generated bindings.
    let expected: UInt32
    /// The library's answer, or nil when it does not export the function at all.
    let actual: UInt32?

    var description: String {
        let got = actual.map(String.init) ?? "no such symbol"
        return "\(function): bindings expect \(expected), library gives \(got)"
    }
}

/// The expectations written in generated Swift bindings.
struct BindingsExpectations {
    /// The `ffi_*_uniffi_contract_version` function and the version the bindings were made for.
    let contractVersion: (function: String, expected: UInt32)?
    /// Each `uniffi_*_checksum_*` function and the checksum the bindings were made for.
    let checksums: [(function: String, expected: UInt32)]

    /// Reads them from the text of a generated bindings file.
    init(generatedSwift source: String) {
        checksums = Self.captures(#"(uniffi_\w+_checksum_\w+)\(\) != (\d+)"#, in: source).compactMap {
            guard let value = UInt32($0[1]) else { return nil }
            return ($0[0], value)
        }
        let function = Self.captures(#"(ffi_\w+_uniffi_contract_version)\(\)"#, in: source).first
        let version = Self.captures(#"bindings_contract_version = (\d+)"#, in: source).first
        if let function, let version, let expected = UInt32(version[0]) {
            contractVersion = (function[0], expected)
        } else {
            contractVersion = nil
        }
    }

    /// The capture groups of each match of `pattern` in `text`.
    private static func captures(_ pattern: String, in text: String) -> [[String]] {
        guard let regex = try? NSRegularExpression(pattern: pattern) else { return [] }
        let range = NSRange(text.startIndex..., in: text)
        return regex.matches(in: text, range: range).map { match in
            (1..<match.numberOfRanges).map { i in
                Range(match.range(at: i), in: text).map { String(text[$0]) } ?? ""
            }
        }
    }

    /// Everything that differs from what the library in this process answers.
    func mismatches(asking library: (String) -> UInt32?) -> [ContractMismatch] {
        var found: [ContractMismatch] = []
        if let (function, expected) = contractVersion {
            let actual = library(function)
            if actual != expected {
                found.append(ContractMismatch(function: function, expected: expected, actual: actual))
            }
        }
        for (function, expected) in checksums {
            let actual = library(function)
            if actual != expected {
                found.append(ContractMismatch(function: function, expected: expected, actual: actual))
            }
        }
        return found
    }
}

/// Calls the library's no-argument C function `name` (a uniffi checksum, `uint16_t`, or the
/// contract version, `uint32_t`) found among the symbols loaded in this process.
func askLibrary(_ name: String) -> UInt32? {
    #if canImport(Darwin)
    // The library is linked statically into the test bundle, which the test runner loaded.
    let handle = RTLD_DEFAULT
    #else
    // The process's global scope: the test binary and libkasir.so, which it links.
    let handle = dlopen(nil, RTLD_NOW)
    #endif
    guard let symbol = dlsym(handle, name) else { return nil }
    if name.hasSuffix("_uniffi_contract_version") {
        typealias Version = @convention(c) () -> UInt32
        return unsafeBitCast(symbol, to: Version.self)()
    }
    typealias Checksum = @convention(c) () -> UInt16
    return UInt32(unsafeBitCast(symbol, to: Checksum.self)())
}

/// The generated bindings this package was built with.
func generatedBindingsSource() throws -> String {
    let here = URL(fileURLWithPath: #filePath)
    let file = here.deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Sources/KasirCore/KasirCore.swift")
    return try String(contentsOf: file, encoding: .utf8)
}
