#!/usr/bin/env bash
# The desktop build of the register's Compose screens and their screenshot tests: builds the
# `kasir` library (debug) and its Kotlin bindings, compiles the Android app's screens for the
# desktop JVM with Compose Multiplatform (android/desktop/pom.xml) and, under Xvfb, renders
# every screen at phone and tablet sizes in English and Indonesian and compares them with the
# reference images in android/desktop/src/test/resources/screenshots. A failing comparison
# names the rendered image and a difference image under android/desktop/target/screenshots.
#
#   scripts/test-desktop.sh                     compare with the references
#   scripts/test-desktop.sh -Dkasir.record=true  render the references again (review them!)
#
# Maven, a JDK, Xvfb and the DejaVu fonts the screenshots are drawn with come from apt when
# they are missing; Compose and the rest from Maven Central (an empty ~/.m2 fills on the first run).
set -euo pipefail

cd "$(dirname "$0")/.."
root="$(pwd)"

missing=()
command -v mvn >/dev/null 2>&1 || missing+=(maven)
command -v javac >/dev/null 2>&1 || missing+=(default-jdk-headless)
command -v xvfb-run >/dev/null 2>&1 || missing+=(xvfb xauth)
[[ -f /usr/share/fonts/truetype/dejavu/DejaVuSans.ttf ]] || missing+=(fonts-dejavu-core)
if ((${#missing[@]})); then
    echo "test-desktop: installing ${missing[*]} from apt" >&2
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq
    apt-get install -y -qq "${missing[@]}" >/dev/null
fi

KASIR_BINDINGS_LANGUAGES=kotlin scripts/bindings.sh >/dev/null
# The receipt screen's Send link test enrols the register with a real kasir-cloud.
cargo build -q -p kasir-cloud

target_dir="${CARGO_TARGET_DIR:-$root/target}"
case "$target_dir" in /*) ;; *) target_dir="$root/$target_dir" ;; esac

cd android/desktop
rm -rf target/surefire-reports target/screenshots
# Maven 3.8 writes colour codes even in batch mode; strip them so the summary line is plain.
# A quiet, passing run prints nothing, which grep counts as a failure: only Maven's status counts.
status=0
xvfb-run --auto-servernum --server-args="-screen 0 1600x1000x24" \
    mvn -B -q -Dstyle.color=never test -Dkasir.target="$target_dir" "$@" 2>&1 \
    | sed -u -e 's/\x1b\[[0-9;]*m//g' -e '/^screenshot recorded: /d' || status=$?
python3 - "$(pwd)/target/surefire-reports" <<'PY'
import glob, sys, xml.etree.ElementTree as ET
tests = failures = 0
for path in glob.glob(sys.argv[1] + "/TEST-*.xml"):
    suite = ET.parse(path).getroot()
    tests += int(suite.get("tests", 0))
    failures += int(suite.get("failures", 0)) + int(suite.get("errors", 0))
if tests == 0:
    sys.exit("test-desktop: no desktop test ran")
print(f"desktop: {tests - failures} passed, {failures} failed")
sys.exit(1 if failures else 0)
PY
exit "$status"
