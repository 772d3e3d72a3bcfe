#!/usr/bin/env bash
# Builds KasirCoreFFI.xcframework for the KasirKit Swift package, on a Mac with Xcode and
# rustup: libkasir as a static library for iOS devices (aarch64-apple-ios), the iOS simulator
# (aarch64-apple-ios-sim and x86_64-apple-ios, one universal library) and macOS (arm64 and
# x86_64, so that `swift test` also runs on the Mac), with the generated C header and module
# map; and the generated Swift bindings, copied into ios/KasirKit/Sources/KasirCore.
#
#   scripts/build-ios.sh            # release build (LTO as the release profile says)
#   PROFILE=debug scripts/build-ios.sh
#
# Then open ios/KasirKit in Xcode (or add it as a local package to the app's project) and
# build; `swift test --package-path ios/KasirKit` runs KasirKit's tests on the Mac.
set -euo pipefail
cd "$(dirname "$0")/.."
REPO="$(pwd)"

PROFILE="${PROFILE:-release}"
PKG="$REPO/ios/KasirKit"
OUT="$REPO/target/ios"
IOS_TARGETS=(aarch64-apple-ios aarch64-apple-ios-sim x86_64-apple-ios)
MAC_TARGETS=(aarch64-apple-darwin x86_64-apple-darwin)

say() { echo "build-ios.sh: $*" >&2; }

if [ "$(uname -s)" != Darwin ]; then
  say "needs macOS with Xcode (xcodebuild, lipo); on Linux use scripts/test-swift.sh"
  exit 1
fi
for tool in xcodebuild lipo cargo rustup; do
  command -v "$tool" >/dev/null 2>&1 || { say "missing $tool"; exit 1; }
done
rustup target add "${IOS_TARGETS[@]}" "${MAC_TARGETS[@]}"

# macOS's bash 3.2 treats an empty array as unset under `set -u`, hence the `+` expansion below.
cargo_flags=()
if [ "$PROFILE" = release ]; then cargo_flags+=(--release); fi

echo "== Swift bindings (from the unstripped host build, which carries uniffi's metadata)"
KASIR_BINDINGS_LANGUAGES=swift scripts/bindings.sh
GEN="$REPO/target/bindings/swift"

echo "== libkasir.a for ${IOS_TARGETS[*]} ${MAC_TARGETS[*]}"
for target in "${IOS_TARGETS[@]}" "${MAC_TARGETS[@]}"; do
  # IPHONEOS_DEPLOYMENT_TARGET matches the package's `.iOS(.v16)`.
  IPHONEOS_DEPLOYMENT_TARGET=16.0 MACOSX_DEPLOYMENT_TARGET=13.0 \
    cargo build -p kasir-ffi --lib --target "$target" ${cargo_flags[@]+"${cargo_flags[@]}"}
done
lib() { echo "target/$1/$PROFILE/libkasir.a"; }

# One library per platform variant: the simulator's two architectures, and the Mac's, are
# joined with lipo (an XCFramework takes one library per platform).
rm -rf "$OUT/sim" "$OUT/macos" "$OUT/headers"
mkdir -p "$OUT/sim" "$OUT/macos" "$OUT/headers"
lipo -create "$(lib aarch64-apple-ios-sim)" "$(lib x86_64-apple-ios)" -output "$OUT/sim/libkasir.a"
lipo -create "$(lib aarch64-apple-darwin)" "$(lib x86_64-apple-darwin)" \
  -output "$OUT/macos/libkasir.a"

# One module map for both uniffi components' C interfaces (the `kasir` surface and the domain
# records), as on Linux; no `link` line: Xcode links the XCFramework's static library.
cp "$GEN/KasirCoreFFI.h" "$GEN/KasirDomainFFI.h" "$OUT/headers/"
cat >"$OUT/headers/module.modulemap" <<'EOF'
module KasirCoreFFI {
    header "KasirCoreFFI.h"
    export *
}

module KasirDomainFFI {
    header "KasirDomainFFI.h"
    export *
}
EOF

echo "== KasirCoreFFI.xcframework"
rm -rf "$PKG/KasirCoreFFI.xcframework"
xcodebuild -create-xcframework \
  -library "$(lib aarch64-apple-ios)" -headers "$OUT/headers" \
  -library "$OUT/sim/libkasir.a" -headers "$OUT/headers" \
  -library "$OUT/macos/libkasir.a" -headers "$OUT/headers" \
  -output "$PKG/KasirCoreFFI.xcframework"
cp "$GEN/KasirCore.swift" "$GEN/KasirDomain.swift" "$PKG/Sources/KasirCore/"

say "built $PKG/KasirCoreFFI.xcframework ($PROFILE) and the Swift bindings"
