// swift-tools-version:6.0
// KasirKit: Kasir's core for Swift. The generated uniffi bindings (`KasirCore`, compiled in
// Swift 5 mode) over the C interface of the Rust library (`KasirCoreFFI`), and a thin Swift
// wrapper (`KasirKit`) with async/await and AsyncStream, and the register app's view models
// (`KasirViewModels`).
//
// The generated files are not committed: `scripts/test-swift.sh` (Linux) and
// `scripts/build-ios.sh` (macOS) generate them and lay them out here.
import PackageDescription

#if os(Linux)
// On Linux the C interface is the generated header over the host build of `libkasir.so`; the
// module map in Sources/KasirCoreFFI links it, and the linker and loader find it through the
// paths scripts/test-swift.sh passes.
let ffiTarget: Target = .systemLibrary(name: "KasirCoreFFI", path: "Sources/KasirCoreFFI")
#else
// On Apple platforms it is the XCFramework (static libraries, headers and module map for each
// slice) that scripts/build-ios.sh builds.
let ffiTarget: Target = .binaryTarget(name: "KasirCoreFFI", path: "KasirCoreFFI.xcframework")
#endif

let package = Package(
    name: "KasirKit",
    platforms: [.iOS(.v16), .macOS(.v13)],
    products: [
        .library(name: "KasirKit", targets: ["KasirKit"]),
        .library(name: "KasirViewModels", targets: ["KasirViewModels"]),
    ],
    targets: [
        ffiTarget,
        .target(
            name: "KasirCore",
            dependencies: ["KasirCoreFFI"],
            path: "Sources/KasirCore",
            // Swift 6.0.3 crashes compiling the generated code for async foreign traits in
            // Swift 6 mode; the generated target alone stays in Swift 5 mode.
            swiftSettings: [.swiftLanguageMode(.v5)]
        ),
        .target(name: "KasirKit", dependencies: ["KasirCore"], path: "Sources/KasirKit"),
        // The register app's view models: plain Swift (no SwiftUI, Combine or UIKit), so they
        // are built and tested on Linux too.
        .target(name: "KasirViewModels", dependencies: ["KasirKit"], path: "Sources/KasirViewModels"),
        .executableTarget(name: "KasirBench", dependencies: ["KasirKit", "KasirViewModels"], path: "Sources/KasirBench"),
        // A real kasir-cloud for the sync tests of both test targets.
        .target(name: "KasirTestSupport", path: "Tests/KasirTestSupport"),
        .testTarget(
            name: "KasirKitTests",
            dependencies: ["KasirKit", "KasirTestSupport"],
            path: "Tests/KasirKitTests"
        ),
        .testTarget(
            name: "KasirViewModelsTests",
            dependencies: ["KasirViewModels", "KasirKit", "KasirTestSupport"],
            path: "Tests/KasirViewModelsTests",
            // Camera frames the tests read from their own folder (scripts/barcode-pgm.py).
            exclude: ["Frames"]
        ),
    ],
    swiftLanguageModes: [.v6]
)
