#!/usr/bin/env bash
# Builds the `kasir` library (debug, unstripped: the generator reads the interface from its
# metadata) and generates its Kotlin and Swift bindings into target/bindings/{kotlin,swift}.
# Generated code is not committed; run this after any change to the FFI surface.
#
#   scripts/bindings.sh            build, then generate both languages
#   KASIR_BINDINGS_LANGUAGES=kotlin scripts/bindings.sh
set -euo pipefail

cd "$(dirname "$0")/.."
target_dir="${CARGO_TARGET_DIR:-target}"
library="$target_dir/debug/libkasir.so"
if [[ "$(uname -s)" == "Darwin" ]]; then
    library="$target_dir/debug/libkasir.dylib"
fi
languages="${KASIR_BINDINGS_LANGUAGES:-kotlin swift}"

cargo build -q -p kasir-ffi
cargo build -q -p uniffi-bindgen

generate() { # LANGUAGE CONFIG OUT
    rm -rf "$3"
    mkdir -p "$3"
    "$target_dir/debug/uniffi-bindgen" generate --library "$library" --config "$2" \
        --language "$1" --no-format --out-dir "$3"
}

for language in $languages; do
    generate "$language" uniffi.toml "$target_dir/bindings/$language"
done

if [[ " $languages " == *" kotlin "* ]]; then
    # A second Kotlin copy with uniffi's API checksums on, in packages of its own, for the JVM
    # test that fails when bindings and library disagree (the shipped copy omits them: they
    # crash on 32-bit ARM Android).
    checked_config="$target_dir/bindings/uniffi-checked.toml"
    sed -e 's/^omit_checksums = true/omit_checksums = false/' \
        -e 's/^package_name = "id\.kasir\.core"/package_name = "id.kasir.checked"/' \
        -e 's/^package_name = "id\.kasir\.core\.domain"/package_name = "id.kasir.checked.domain"/' \
        uniffi.toml >"$checked_config"
    generate kotlin "$checked_config" "$target_dir/bindings/kotlin-checked"
fi
echo "bindings: $(find "$target_dir/bindings" -type f | wc -l) files in $target_dir/bindings"
