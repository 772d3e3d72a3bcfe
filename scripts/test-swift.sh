#!/usr/bin/env bash
# KasirKit's and the view models' tests on Linux: `swift test` in a Debian trixie root (Swift
# 6.0.3 from Debian's `swiftlang`) against the host build of libkasir.so; the sync tests start
# a real kasir-cloud (the host build, which runs inside the root too; loopback is shared).
#
#   scripts/test-swift.sh                  # parse the app, build, generate, lay out, test
#   scripts/test-swift.sh --bench          # then run the KasirBench benchmark (release build)
#
# Needs root (the trixie root is a chroot; see scripts/trixie.sh). The Swift build directory is
# target/swift (kept between runs, so a second run only recompiles what changed), with its own
# clang module cache inside it.
set -euo pipefail
cd "$(dirname "$0")/.."
REPO="$(pwd)"

BENCH=0
for arg in "$@"; do
  case "$arg" in
    --bench) BENCH=1 ;;
    *) echo "usage: $0 [--bench]" >&2; exit 2 ;;
  esac
done

PKG="$REPO/ios/KasirKit"
BUILD="$REPO/target/swift"
LIBDIR="$REPO/target/debug"
say() { echo "test-swift.sh: $*" >&2; }

echo "== Swift toolchain (Debian trixie root)"
# libc6-dev: swiftlang depends on gcc without gcc's Recommends, and linking needs the C
# library's development files (crt objects, libc.so).
scripts/trixie.sh ensure swiftlang libc6-dev

echo "== the iOS app's sources parse (syntax only)"
# SwiftUI, UIKit and AVFoundation are Apple's alone, so the app cannot be type-checked or built
# here; `swiftc -parse` still refuses a syntax error in any of its files (and fails this run).
APP_SOURCES=(ios/KasirApp/Sources/*.swift)
[ -f "${APP_SOURCES[0]}" ] || { say "no Swift sources in ios/KasirApp/Sources"; exit 1; }
scripts/trixie.sh run swiftc -parse "${APP_SOURCES[@]}"
say "${#APP_SOURCES[@]} app source files parse"

echo "== libkasir, kasir-cloud and the Swift bindings"
KASIR_BINDINGS_LANGUAGES=swift scripts/bindings.sh
# The sync tests start their own kasir-cloud from the workspace's debug build.
cargo build -q -p kasir-cloud
GEN="$REPO/target/bindings/swift"
[ -f "$LIBDIR/libkasir.so" ] || { say "no $LIBDIR/libkasir.so"; exit 1; }

# The generated Swift of both uniffi components (the `kasir` surface and the domain records)
# goes into one Swift module, KasirCore; their C headers sit next to the committed module map.
# Only what changed is copied, so that unchanged bindings keep SwiftPM's build cache valid.
CHANGED=0
lay_out() { # FILE DESTINATION_DIR
  [ -f "$GEN/$1" ] || { say "scripts/bindings.sh did not generate $GEN/$1"; exit 1; }
  cmp -s "$GEN/$1" "$2/$1" || { cp "$GEN/$1" "$2/$1"; CHANGED=1; }
}
lay_out KasirCore.swift "$PKG/Sources/KasirCore"
lay_out KasirDomain.swift "$PKG/Sources/KasirCore"
lay_out KasirCoreFFI.h "$PKG/Sources/KasirCoreFFI"
lay_out KasirDomainFFI.h "$PKG/Sources/KasirCoreFFI"
# New bindings: build every Swift module afresh. Swift 6.0.3's incremental build once kept the
# view models' calls into the generated classes at their old vtable slots, which crashed.
if [ "$CHANGED" = 1 ] && [ -d "$BUILD/build" ]; then
  say "the bindings changed: rebuilding the Swift modules from scratch"
  rm -rf "$BUILD/build"
fi
# The view models' string table is the Android app's (android/.../id/kasir/ui/Strings.kt);
# Labels.swift is rewritten when that table changed, so both apps show the same words.
python3 scripts/swift-labels.py

# The linker finds libkasir.so in target/debug, and the rpath lets the test binary find it at
# run time; LD_LIBRARY_PATH comes first, so a release library can stand in for the benchmark.
SWIFT_ARGS=(--package-path "$PKG" --scratch-path "$BUILD/build"
  -Xswiftc -module-cache-path -Xswiftc "$BUILD/module-cache"
  -Xlinker -L"$LIBDIR" -Xlinker -rpath -Xlinker "$LIBDIR")
mkdir -p "$BUILD"
in_trixie() {
  scripts/trixie.sh run env LD_LIBRARY_PATH="$LIBDIR" "$@"
}

echo "== swift test: bindings against the library"
# First on its own: when the bindings are stale, uniffi stops the process at the first call,
# and this test names each function that differs instead.
in_trixie swift test "${SWIFT_ARGS[@]}" --filter BindingsContractTests

echo "== swift test"
in_trixie swift test "${SWIFT_ARGS[@]}" --skip BindingsContractTests

if [ "$BENCH" = 1 ]; then
  echo "== KasirBench (release Swift, release libkasir)"
  cargo build -q --release -p kasir-ffi
  scripts/trixie.sh run env LD_LIBRARY_PATH="$REPO/target/release" \
    swift run -c release "${SWIFT_ARGS[@]}" KasirBench
fi

echo "== Swift tests passed"
