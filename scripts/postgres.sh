#!/usr/bin/env bash
# A throwaway PostgreSQL server for kasir-cloud's tests, from Debian's packages.
#
#   eval "$(scripts/postgres.sh start)"   # installs PostgreSQL if missing, starts a private
#                                         # cluster on a free loopback port, creates a database
#                                         # and prints `export KASIR_TEST_POSTGRES_URL=...`
#   scripts/postgres.sh stop              # stops the cluster and deletes its files
#
# The cluster lives in a temporary folder (trust authentication, 127.0.0.1 only, no fsync: it
# holds nothing worth keeping); target/kasir-postgres.env remembers where, for `stop`. It never
# touches a PostgreSQL server the machine already runs.
set -euo pipefail
cd "$(dirname "$0")/.."

STATE="target/kasir-postgres.env"
DB_USER="kasir"
DB_NAME="kasir_test"

say() { echo "postgres.sh: $*" >&2; }

bindir() {
  local dir
  dir=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1 || true)
  if [ -n "$dir" ] && [ -x "$dir/initdb" ]; then
    echo "$dir"
  elif command -v initdb >/dev/null 2>&1; then
    dirname "$(command -v initdb)"
  fi
}

install_postgres() {
  if [ -n "$(bindir)" ]; then
    return
  fi
  if [ "$(id -u)" != 0 ]; then
    say "PostgreSQL is not installed; please install Debian's postgresql package"
    exit 1
  fi
  say "installing Debian's postgresql package"
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql >/dev/null
}

# Runs a PostgreSQL program as a user it accepts: the servers refuse to run as root.
as_owner() {
  if [ "$(id -u)" = 0 ]; then
    runuser -u postgres -- "$@"
  else
    "$@"
  fi
}

port_is_free() {
  ! (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null
}

start() {
  if [ -f "$STATE" ]; then
    # shellcheck disable=SC1090
    . "$STATE"
    if as_owner "$BIN/pg_ctl" -D "$PGDIR/data" status >/dev/null 2>&1; then
      echo "export KASIR_TEST_POSTGRES_URL='$URL'"
      return
    fi
    rm -rf "$PGDIR" "$STATE"
  fi

  install_postgres
  local bin dir port url
  bin=$(bindir)
  if [ "$(id -u)" = 0 ] && ! id postgres >/dev/null 2>&1; then
    useradd --system --home-dir /var/lib/postgresql --shell /bin/sh postgres
  fi
  dir=$(mktemp -d "${TMPDIR:-/tmp}/kasir-postgres.XXXXXX")
  chmod 755 "$dir"
  if [ "$(id -u)" = 0 ]; then
    chown postgres "$dir"
  fi
  as_owner "$bin/initdb" -D "$dir/data" -U "$DB_USER" --auth=trust -E UTF8 --locale=C \
    >"$dir/initdb.log" 2>&1 || { cat "$dir/initdb.log" >&2; exit 1; }

  for _ in $(seq 1 50); do
    port=$((20000 + RANDOM % 20000))
    port_is_free "$port" || continue
    if as_owner "$bin/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -t 60 start -o \
      "-p $port -k $dir -c listen_addresses=127.0.0.1 -c max_connections=300 -c fsync=off -c synchronous_commit=off -c full_page_writes=off" \
      >/dev/null 2>&1; then
      url="postgres://$DB_USER@127.0.0.1:$port/$DB_NAME"
      mkdir -p target
      printf "BIN='%s'\nPGDIR='%s'\nURL='%s'\n" "$bin" "$dir" "$url" >"$STATE"
      as_owner "$bin/createdb" -h 127.0.0.1 -p "$port" -U "$DB_USER" "$DB_NAME"
      say "PostgreSQL $("$bin/postgres" --version | awk '{print $3}') listening on 127.0.0.1:$port"
      echo "export KASIR_TEST_POSTGRES_URL='$url'"
      return
    fi
  done
  cat "$dir/server.log" >&2 || true
  say "could not start PostgreSQL"
  exit 1
}

stop() {
  if [ ! -f "$STATE" ]; then
    return
  fi
  # shellcheck disable=SC1090
  . "$STATE"
  as_owner "$BIN/pg_ctl" -D "$PGDIR/data" -m fast -w stop >/dev/null 2>&1 || true
  rm -rf "$PGDIR" "$STATE"
  say "stopped"
}

case "${1:-}" in
  start) start ;;
  stop) stop ;;
  *)
    echo "usage: scripts/postgres.sh start|stop" >&2
    exit 2
    ;;
esac
