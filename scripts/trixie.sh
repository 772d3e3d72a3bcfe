#!/usr/bin/env bash
# A Debian trixie root for the tools this machine's Debian does not carry: Swift (`swiftlang`,
# for KasirKit's tests on Linux) and Python 3.13 (for the independent ESC/POS interpreter that
# checks printed receipts). Everything comes from Debian's packages.
#
#   scripts/trixie.sh ensure PKG...   # builds the root if missing, installs the packages missing
#   scripts/trixie.sh run CMD...      # runs CMD inside, in the current directory, as root
#   scripts/trixie.sh path            # prints where the root lives
#
# The root is kept outside the repository (KASIR_TRIXIE_DIR, by default
# /var/cache/kasir/trixie) so that later runs on the same machine reuse it; the repository is
# bind-mounted inside at the same path, so paths mean the same thing on both sides. A lock
# makes concurrent callers wait for one another instead of building the root twice.
set -euo pipefail

ROOT="${KASIR_TRIXIE_DIR:-/var/cache/kasir/trixie}"
REPO="$(cd "$(dirname "$0")/.." && pwd)"
LOCK="${ROOT}.lock"

say() { echo "trixie.sh: $*" >&2; }

need_root() {
  if [ "$(id -u)" != 0 ]; then
    say "building and entering the trixie root needs root (debootstrap, mount, chroot)"
    exit 1
  fi
}

host_install() {
  local missing=()
  for tool in "$@"; do
    command -v "$tool" >/dev/null 2>&1 || missing+=("$tool")
  done
  if [ ${#missing[@]} -gt 0 ]; then
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
  fi
}

# Mounts what the tools inside need: /proc (the swift driver dies with SIGILL without it),
# /dev, and the repository at its own path. Idempotent.
mount_all() {
  mountpoint -q "$ROOT/proc" || mount -t proc proc "$ROOT/proc"
  mountpoint -q "$ROOT/dev" || mount --bind /dev "$ROOT/dev"
  mkdir -p "$ROOT$REPO"
  # A mount left from an earlier checkout at the same path (deleted and cloned again) still
  # shows the old directory: mount the repository again when the inside is not this one.
  if mountpoint -q "$ROOT$REPO" &&
     [ "$(stat -c %d:%i "$REPO")" != "$(stat -c %d:%i "$ROOT$REPO" 2>/dev/null)" ]; then
    umount -l "$ROOT$REPO"
  fi
  mountpoint -q "$ROOT$REPO" || mount --bind "$REPO" "$ROOT$REPO"
  cp /etc/resolv.conf "$ROOT/etc/resolv.conf" 2>/dev/null || true
}

build_root() {
  if [ -x "$ROOT/usr/bin/apt-get" ] && [ -f "$ROOT/.kasir-complete" ]; then
    return
  fi
  host_install debootstrap
  rm -rf "$ROOT"
  mkdir -p "$(dirname "$ROOT")"
  say "building a Debian trixie root in $ROOT (once per machine)"
  debootstrap --variant=minbase trixie "$ROOT" http://deb.debian.org/debian >"${ROOT}.log" 2>&1 ||
    { tail -n 30 "${ROOT}.log" >&2; exit 1; }
  touch "$ROOT/.kasir-complete"
}

ensure() {
  need_root
  mkdir -p "$(dirname "$ROOT")"
  exec 9>"$LOCK"
  flock 9
  build_root
  mount_all
  local missing=()
  for pkg in "$@"; do
    chroot "$ROOT" dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" ||
      missing+=("$pkg")
  done
  if [ ${#missing[@]} -gt 0 ]; then
    say "installing in the trixie root: ${missing[*]}"
    chroot "$ROOT" apt-get update -qq
    chroot "$ROOT" env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends \
      "${missing[@]}" >/dev/null
  fi
}

run() {
  need_root
  [ -f "$ROOT/.kasir-complete" ] || { say "no trixie root yet: run '$0 ensure PKG...' first"; exit 1; }
  mount_all
  local here
  here="$(pwd)"
  chroot "$ROOT" /usr/bin/env -i HOME=/root PATH=/usr/local/bin:/usr/bin:/bin LANG=C.UTF-8 \
    ${TERM:+TERM=$TERM} /bin/sh -c 'cd "$1" && shift && exec "$@"' sh "$here" "$@"
}

case "${1:-}" in
  ensure) shift; ensure "$@" ;;
  run) shift; run "$@" ;;
  path) echo "$ROOT" ;;
  *) echo "usage: $0 ensure PKG... | run CMD... | path" >&2; exit 2 ;;
esac
