#!/usr/bin/env bash
# Kasir's performance check.
#
#   scripts/bench.sh            # from the repository root (or anywhere: it finds the root)
#
# 1. Runs the criterion benchmarks of the store (`cargo bench -p kasir-store --bench register`):
#    scan_to_totals (aim < 200 µs), sale_commit_vs_bare_insert (aim: ratio <= 2) and
#    import_100k (aim < 3 s); see rust-core/store/benches/register.rs.
# 2. Measures the peak resident memory of the `kasir` binary (release build) with GNU time:
#    importing a generated 100,000-row catalog into a new store, then a scripted sale of two
#    items paid in exact cash at the register.
#
# Environment: KASIR_BENCH_ROWS (default 100000) sets the catalog size of step 2;
# KASIR_BENCH_SKIP_CRITERION=1 skips step 1.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
rows="${KASIR_BENCH_ROWS:-100000}"
target_dir="${CARGO_TARGET_DIR:-$root/target}"
kasir="$target_dir/release/kasir"

echo "== machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ *//')"

if [[ "${KASIR_BENCH_SKIP_CRITERION:-0}" != 1 ]]; then
    echo "== criterion: cargo bench -p kasir-store --bench register"
    cargo bench -p kasir-store --bench register
fi

echo "== peak memory of the kasir binary"
# GNU time: the shell's `time` keyword and BSD time have no -v.
if ! /usr/bin/time -v true >/dev/null 2>&1; then
    if [[ "$(id -u)" -eq 0 ]] && command -v apt-get >/dev/null; then
        echo "GNU time is missing; installing it (apt-get install -y time)"
        apt-get install -y time >/dev/null || { apt-get update >/dev/null && apt-get install -y time >/dev/null; }
    else
        echo "bench.sh: GNU time (/usr/bin/time -v) is required; install it, e.g. 'sudo apt-get install time'" >&2
        exit 1
    fi
fi

cargo build --release -p kasir-cli

tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT
python3 "$root/scripts/gen_catalog.py" --rows "$rows" --out "$tmp/catalog.csv"
# Two codes from the catalog to sell.
mapfile -t codes < <(sed -n '2p;3p' "$tmp/catalog.csv" | cut -d, -f1)

# measure LABEL CMD...: runs CMD under GNU time (with this function's stdin), keeps its output in
# $tmp/LABEL.log and .err, and prints its peak resident set size in MB and its last line.
measure() {
    local label="$1"
    shift
    if ! /usr/bin/time -v -o "$tmp/$label.time" "$@" >"$tmp/$label.log" 2>"$tmp/$label.err"; then
        echo "bench.sh: '$label' failed: $*" >&2
        cat "$tmp/$label.log" "$tmp/$label.err" >&2
        [[ -f "$tmp/$label.time" ]] && cat "$tmp/$label.time" >&2
        exit 1
    fi
    local kb seconds
    kb="$(awk -F': *' '/Maximum resident set size/ {print $2}' "$tmp/$label.time")"
    seconds="$(awk '/Elapsed \(wall clock\) time/ {print $NF}' "$tmp/$label.time")"
    awk -v l="$label" -v kb="$kb" -v s="$seconds" \
        'BEGIN { printf "%-28s max RSS %7.1f MB  (%d kB), wall %s\n", l, kb / 1024, kb, s }'
    # The command's last line of output, as evidence that it did its work.
    tail -n 1 "$tmp/$label.log" | sed 's/^/    /'
}

# Only `init` and `register` create a store; start from an empty one.
"$kasir" --store "$tmp/kasir.db" init --no-sample >/dev/null
measure "catalog import ($rows rows)" \
    "$kasir" --store "$tmp/kasir.db" catalog import "$tmp/catalog.csv"
printf '%s\n' "${codes[0]}" "${codes[1]}" 'pay cash' |
    measure "register sale (2 items)" "$kasir" --store "$tmp/kasir.db" register
