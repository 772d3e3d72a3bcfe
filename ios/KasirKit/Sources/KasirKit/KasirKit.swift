// KasirKit: Kasir's core for Swift apps.
//
// The generated bindings (module KasirCore) are the whole surface of the Rust library; KasirKit
// re-exports them and adds what a Swift developer expects on top: `async` calls that leave the
// caller's actor for work that touches the disk or the network, an `AsyncStream` of background
// sync updates that stops syncing when its consumer goes away, Swift-style argument labels, and
// the platform services (Keychain, OSLog, NWPathMonitor) on Apple platforms.
//
// Money is `Foundation.Decimal` throughout, never `Double`: the library sends amounts as decimal
// text and the bindings parse it with the POSIX locale, so every digit arrives as computed.

@_exported import KasirCore
