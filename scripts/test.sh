#!/usr/bin/env bash
# Every check CI runs, in the order CI runs them: formatting, lints, the Rust tests, the
# receipts through an independent ESC/POS interpreter, the Kotlin and Swift tests (the wrappers
# and the register's view models), then the Compose screens' screenshot tests on the desktop JVM.
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

# The test runs also go to a log, from which the closing line counts every test of the three
# languages.
log=target/test-output.log
mkdir -p target
: >"$log"
logged() { "$@" 2>&1 | tee -a "$log"; }

echo "== cargo test"
logged cargo test --workspace --all-targets --locked

echo "== receipts through an independent ESC/POS interpreter"
scripts/check-receipts.sh

echo "== Kotlin: the bindings and the id.kasir wrapper on the JVM"
logged scripts/test-kotlin.sh

echo "== Swift: KasirKit on Linux"
logged scripts/test-swift.sh

echo "== Compose screens on the desktop JVM: screenshot tests under Xvfb"
logged scripts/test-desktop.sh

echo "== all checks passed"
# Rust: cargo's "test result" lines; Kotlin: the JVM and desktop summary lines; Swift: the XCTest total that
# follows each run's outermost suite.
awk '
  /^test result:/ { rust_p += $4; rust_f += $6 }
  /^kotlin: [0-9]+ passed/ { kt_p += $2; kt_f += $4 }
  /^desktop: [0-9]+ passed/ { kt_p += $2; kt_f += $4 }
  /^Test Suite .(All|Selected) tests. (passed|failed) at/ { total = 1; next }
  total && /Executed [0-9]+ tests?, with [0-9]+ failures?/ {
    sw_p += $2 - $5; sw_f += $5; total = 0
  }
  END {
    printf "rust: %d passed, %d failed\n", rust_p, rust_f
    printf "kotlin: %d passed, %d failed\n", kt_p, kt_f
    printf "swift: %d passed, %d failed\n", sw_p, sw_f
    printf "%d passed, %d failed\n", rust_p + kt_p + sw_p, rust_f + kt_f + sw_f
  }' "$log"
