#!/usr/bin/env bash
# Installs what building and testing Kasir needs on a fresh Debian machine, from the package
# registries only. Safe to run again: it installs only what is missing.
set -euo pipefail

missing=()
command -v cc >/dev/null 2>&1 || missing+=(gcc libc6-dev)
command -v pkg-config >/dev/null 2>&1 || missing+=(pkg-config)
# btleplug (kasir-devices) links BlueZ through D-Bus on Linux.
pkg-config --exists dbus-1 2>/dev/null || missing+=(libdbus-1-dev)
# The Bluetooth end-to-end test drives btleplug against a mocked BlueZ on a private bus.
command -v dbus-daemon >/dev/null 2>&1 || missing+=(dbus-daemon)
/usr/bin/python3 -c 'import dbusmock' >/dev/null 2>&1 || missing+=(python3-dbusmock)
# The shared receipt's PDF is read back by poppler's pdftotext, pdfinfo, pdffonts and pdfimages.
command -v pdftotext >/dev/null 2>&1 || missing+=(poppler-utils)
if [ ${#missing[@]} -gt 0 ]; then
  if [ "$(id -u)" = 0 ]; then
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}"
  else
    echo "setup: please install: ${missing[*]}" >&2
    exit 1
  fi
fi

if ! command -v cargo >/dev/null 2>&1; then
  echo "setup: Rust (cargo) is required: see https://rustup.rs" >&2
  exit 1
fi
for component in rustfmt clippy; do
  if ! cargo "${component/rustfmt/fmt}" --version >/dev/null 2>&1; then
    rustup component add "$component"
  fi
done
