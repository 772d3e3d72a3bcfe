// KasirBench: how long one register call takes from Swift, against the same call made inside
// Rust in the same run: scan a barcode (look the item up, add it to the cart) and return the
// whole cart view with its totals. Both sides start the sale afresh every 100 scans, so the
// cart never grows past one line of quantity 100.
//
//   scripts/test-swift.sh --bench     (release Swift against the release libkasir.so)
//
// Prints the median over rounds, in microseconds per call; nothing here is a test.

import Foundation
import KasirKit

let iterations = 20_000
let rounds = 7
let code = "8990121011028"  // Kecap Manis, in the sample catalog

func median(_ values: [Double]) -> Double {
    let sorted = values.sorted()
    return sorted[sorted.count / 2]
}

func microseconds(_ duration: Duration) -> Double {
    let (seconds, attoseconds) = duration.components
    return Double(seconds) * 1e6 + Double(attoseconds) / 1e12
}

func timeSwift(_ scan: () throws -> CartView, clear: () throws -> CartView) throws -> Double {
    let clock = ContinuousClock()
    let started = clock.now
    for i in 0..<iterations {
        if i % 100 == 0 { _ = try clear() }
        _ = try scan()
    }
    return microseconds(clock.now - started) / Double(iterations)
}

let folder = FileManager.default.temporaryDirectory
    .appendingPathComponent("kasirbench-\(UUID().uuidString)", isDirectory: true)
try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
let store = try await KasirStore.open(
    at: folder.appendingPathComponent("kasir.db"),
    creating: NewStore(name: "Bench", deviceCode: "D01", sampleCatalog: true))
let sale = try store.newSale()
let register = sale.core

// Warm up every path once (page cache, lazy initialisation of the bindings).
_ = try timeSwift({ try register.scan(code: code) }, clear: { try register.clear() })
_ = try rustScanBenchmark(kasir: store.core, code: code, iterations: UInt32(iterations))

var generated: [Double] = []
var wrapper: [Double] = []
var rust: [Double] = []
for _ in 0..<rounds {
    generated.append(try timeSwift({ try register.scan(code: code) }, clear: { try register.clear() }))
    wrapper.append(try timeSwift({ try sale.scan(code) }, clear: { try sale.clear() }))
    let nanos = try rustScanBenchmark(kasir: store.core, code: code, iterations: UInt32(iterations))
    rust.append(Double(nanos) / 1000 / Double(iterations))
}

let swiftGenerated = median(generated)
let swiftWrapper = median(wrapper)
let inRust = median(rust)
print("scan + cart view, median of \(rounds) rounds of \(iterations) calls (libkasir \(KasirStore.libraryVersion))")
print(String(format: "  Swift, generated bindings  %7.2f us/call", swiftGenerated))
print(String(format: "  Swift, KasirKit wrapper    %7.2f us/call", swiftWrapper))
print(String(format: "  Rust, same call inside     %7.2f us/call", inRust))
print(String(format: "  crossing into Swift        %7.2f us/call (%.2fx the Rust call)",
             swiftGenerated - inRust, swiftGenerated / inRust))

try? FileManager.default.removeItem(at: folder)
