#!/usr/bin/env bash
# Every check CI runs, in the order CI runs them: formatting, lints, then all tests.
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

echo "== all checks passed"
