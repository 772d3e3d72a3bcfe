// KasirBench: how long one register call takes from Swift, against the same call made inside
// Rust in the same run: scan a barcode (look the item up, add it to the cart) and return the
// whole cart view with its totals. Both sides start the sale afresh every 100 scans, so the
// cart never grows past one line of quantity 100.
//
//   scripts/test-swift.sh --bench     (release Swift against the release libkasir.so)
//
// Then the register's view model: `RegisterViewModel.scan` from the scanner's code to the
// redrawn state (the item lookup, the scan, the amount texts of the redraw), for carts of 1 and
// of 20 lines, as the Kotlin ViewModelBenchmark measures it.
//
// Prints the median over rounds, in microseconds per call; nothing here is a test.

import Foundation
import KasirKit
import KasirViewModels

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

// The view model: the same scan, redrawn, into carts of 1 and of 20 lines.
let viewModelIterations = 2_000
let eachCodes = try store.categories().flatMap { try store.categoryItems($0.name) }
    .filter { $0.unit == .each }.prefix(20).map(\.gtin)
precondition(eachCodes.count == 20, "the sample catalog has 20 items sold by the piece")

@MainActor
func timeViewModel(lines: Int) throws -> Double {
    let model = try RegisterViewModel(kasir: store, language: .id)
    for code in eachCodes.prefix(lines) { model.scan(code) }
    let clock = ContinuousClock()
    let started = clock.now
    for _ in 0..<viewModelIterations { model.scan(eachCodes[0]) }
    return microseconds(clock.now - started) / Double(viewModelIterations)
}

_ = try timeViewModel(lines: 1)
for lines in [1, 20] {
    let times = try (0..<rounds).map { _ in try timeViewModel(lines: lines) }
    print(String(format: "  RegisterViewModel.scan, cart of %2d lines  %7.1f us/scan (median of %d rounds of %d)",
                 lines, median(times), rounds, viewModelIterations))
}

try? FileManager.default.removeItem(at: folder)
