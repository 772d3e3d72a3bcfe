#!/usr/bin/env bash
# Checks Kasir's printed receipts with an independent ESC/POS interpreter: renders sample
# receipts, kitchen tickets and a test page with kasir-escpos, feeds the bytes to emupos (a
# virtual receipt printer from PyPI, which needs Python 3.13: it runs in the Debian trixie root
# of scripts/trixie.sh), and checks the text it printed and the codes read from its picture.
#
#   scripts/check-receipts.sh [OUTDIR]   # default target/escpos-receipts; .bin, .txt, .png
#
# Exits non-zero when a receipt does not print what it should.
set -euo pipefail

REPO="$(cd "$(dirname "$0")/.." && pwd)"
OUT="${1:-$REPO/target/escpos-receipts}"
VENV=/opt/kasir-escpos
PACKAGES=(emupos==0.4.0 zxing-cpp==3.1.1)

case "$OUT" in
  "$REPO"/*) ;;
  *) echo "check-receipts.sh: OUTDIR must be inside the repository (it is read in the trixie root)" >&2; exit 2 ;;
esac

cd "$REPO"
scripts/trixie.sh ensure python3 python3-venv ca-certificates
ROOT="$(scripts/trixie.sh path)"
# pip inside the root trusts what this machine trusts (a proxy's certificate, for one).
cp /etc/ssl/certs/ca-certificates.crt "$ROOT/opt/kasir-host-ca.crt"
# shellcheck disable=SC2016
scripts/trixie.sh run sh -c '
  set -e
  venv="$1"; shift
  [ -x "$venv/bin/python" ] || python3 -m venv "$venv"
  "$venv/bin/python" -m pip install -q --disable-pip-version-check \
    --cert /opt/kasir-host-ca.crt "$@"
' sh "$VENV" "${PACKAGES[@]}"

rm -rf "$OUT"
cargo run -q --locked -p kasir-escpos --example render -- "$OUT"
scripts/trixie.sh run "$VENV/bin/python" rust-core/escpos/tests/interpreter/check_receipts.py "$OUT"
echo "check-receipts.sh: every receipt printed as expected (pictures in $OUT)"
