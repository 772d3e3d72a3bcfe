#!/usr/bin/env bash
# Every check CI runs, in the order CI runs them: formatting, lints, the Rust tests, the
# receipts through an independent ESC/POS interpreter, then the Kotlin and Swift tests.
# Usage: scripts/test.sh   (from anywhere inside the repository)
set -euo pipefail
cd "$(dirname "$0")/.."

scripts/setup.sh

echo "== cargo fmt --check"
cargo fmt --all -- --check

echo "== cargo clippy -D warnings"
cargo clippy --workspace --all-targets --locked -- -D warnings

echo "== PostgreSQL for kasir-cloud's tests"
# kasir-cloud's tests run on SQLite always and on PostgreSQL when KASIR_TEST_POSTGRES_URL is
# set; without one, start a throwaway server (installed from Debian's packages if missing).
if [ -z "${KASIR_TEST_POSTGRES_URL:-}" ]; then
  postgres_env=$(scripts/postgres.sh start)
  trap 'scripts/postgres.sh stop' EXIT
  eval "$postgres_env"
fi

echo "== cargo test"
cargo test --workspace --all-targets --locked

echo "== receipts through an independent ESC/POS interpreter"
scripts/check-receipts.sh

echo "== Kotlin: the bindings and the id.kasir wrapper on the JVM"
scripts/test-kotlin.sh

echo "== Swift: KasirKit on Linux"
scripts/test-swift.sh

echo "== all checks passed"
