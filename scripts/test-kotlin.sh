#!/usr/bin/env bash
# The Kotlin tests: builds the `kasir` library and `kasir-cloud` (debug), generates the Kotlin
# bindings, then compiles the generated code with the id.kasir wrapper and runs its JUnit 5
# tests on the JVM against the host library (android/kasir/pom.xml). Maven and its plugins come
# from Debian and Maven Central; an empty ~/.m2 is filled on the first run.
set -euo pipefail

cd "$(dirname "$0")/.."
root="$(pwd)"

if ! command -v mvn >/dev/null 2>&1 || ! command -v javac >/dev/null 2>&1; then
    echo "test-kotlin: installing Maven and a JDK from apt" >&2
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq
    apt-get install -y -qq maven default-jdk-headless >/dev/null
fi

# The sync test starts a real kasir-cloud.
cargo build -q -p kasir-cloud
KASIR_BINDINGS_LANGUAGES=kotlin scripts/bindings.sh

target_dir="${CARGO_TARGET_DIR:-$root/target}"
case "$target_dir" in /*) ;; *) target_dir="$root/$target_dir" ;; esac

cd android/kasir
rm -rf target/surefire-reports
# Maven 3.8 writes colour codes even in batch mode; strip them so the summary line is plain.
mvn -B -q -Dstyle.color=never test -Dkasir.target="$target_dir" "$@" 2>&1 | sed -u 's/\x1b\[[0-9;]*m//g'
# Maven's quiet mode prints nothing on success; say what ran.
python3 - "$(pwd)/target/surefire-reports" <<'PY'
import glob, sys, xml.etree.ElementTree as ET
tests = failures = skipped = 0
for path in glob.glob(sys.argv[1] + "/TEST-*.xml"):
    suite = ET.parse(path).getroot()
    tests += int(suite.get("tests", 0))
    failures += int(suite.get("failures", 0)) + int(suite.get("errors", 0))
    skipped += int(suite.get("skipped", 0))
if tests == 0:
    sys.exit("test-kotlin: no Kotlin test ran")
print(f"kotlin: {tests - failures - skipped} passed, {failures} failed, {skipped} skipped")
sys.exit(1 if failures else 0)
PY
