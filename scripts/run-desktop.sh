#!/usr/bin/env bash
# The register in a desktop window (Linux, macOS or Windows with Git Bash): the Android app's
# Compose screens built for the desktop JVM with Compose Multiplatform, over the same Rust core.
# Needs Rust, a JDK 17+ and Maven; Compose comes from Maven Central on the first run.
#
#   scripts/run-desktop.sh                         the kasir command's own store, the computer's language
#   scripts/run-desktop.sh --language id --store /tmp/toko.db
set -euo pipefail

cd "$(dirname "$0")/.."
root="$(pwd)"
KASIR_BINDINGS_LANGUAGES=kotlin scripts/bindings.sh >/dev/null

target_dir="${CARGO_TARGET_DIR:-$root/target}"
case "$target_dir" in /*) ;; *) target_dir="$root/$target_dir" ;; esac

# exec:java takes the window's arguments as one string; quote each for it.
args=""
for arg in "$@"; do args+="'${arg//\'/\\\'}' "; done
cd android/desktop
exec mvn -B -q -Dstyle.color=never compile exec:java -Dkasir.target="$target_dir" -Dexec.args="$args"
