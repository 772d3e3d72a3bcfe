//! The bindings generator, pinned to the same uniffi version as the `kasir` library so that the
//! generated Kotlin and Swift always match the scaffolding compiled into it. `scripts/bindings.sh`
//! runs it as `cargo run -p uniffi-bindgen -- generate --library ...`.

fn main() {
    uniffi::uniffi_bindgen_main()
}
