#!/usr/bin/env bash
# Run a command against a throwaway PostgreSQL cluster, then stop it and delete it.
#
#   scripts/with-postgres.sh COMMAND [ARGS...]
#
# The cluster lives in a fresh folder under ${TMPDIR:-/tmp}, listens on a Unix socket in that folder
# only (no TCP, so no port can clash with anything else), trusts local connections, and has one
# database, outcomes_test, owned by the superuser `postgres`. The command runs with
#
#   OUTCOMES_TEST_DATABASE_URL=postgresql://postgres@<socket dir, %-encoded>:<port>/outcomes_test
#   PGHOST, PGPORT, PGUSER, PGDATABASE   (so plain `psql` finds it too)
#
# and this script exits with the command's exit status. The cluster is stopped and its folder
# removed on any exit (success, failure, Ctrl-C), without printing anything, so the command's own
# last line (pytest's summary) stays the last line of the output.
#
# The server must not run as root: as root the cluster runs as the `postgres` OS user (or `nobody`
# when there is none); as anyone else, as that user.
#
# With no PostgreSQL server binaries: under CI=true (or OUTCOMES_TEST_POSTGRES=1) that is an error;
# otherwise the command runs without a database, after a notice, and the tests that need one skip.
set -euo pipefail

if (($# == 0)); then
  echo "usage: $0 COMMAND [ARGS...]" >&2
  exit 2
fi

say() { printf 'with-postgres: %s\n' "$*" >&2; }

# --- find the server binaries ------------------------------------------------------------------
find_bindir() {
  local dir
  if command -v pg_ctl >/dev/null 2>&1 && command -v initdb >/dev/null 2>&1; then
    dirname "$(readlink -f "$(command -v initdb)")"  # through symlinks, to find pg_isready beside it
    return 0
  fi
  if command -v pg_config >/dev/null 2>&1; then
    dir="$(pg_config --bindir 2>/dev/null || true)"
    if [[ -n "$dir" && -x "$dir/initdb" ]]; then
      echo "$dir"
      return 0
    fi
  fi
  # Debian/Ubuntu: /usr/lib/postgresql/<major>/bin, newest major first.
  for dir in $(printf '%s\n' /usr/lib/postgresql/*/bin | sort -t/ -k4,4 -rn); do
    if [[ -x "$dir/initdb" && -x "$dir/pg_ctl" ]]; then
      echo "$dir"
      return 0
    fi
  done
  return 1
}

if ! BINDIR="$(find_bindir)"; then
  if [[ "${CI:-}" == "true" || "${OUTCOMES_TEST_POSTGRES:-}" == "1" ]]; then
    say "no PostgreSQL server binaries (initdb, pg_ctl) found, and CI=true or OUTCOMES_TEST_POSTGRES=1 asks for them."
    say "install them with: apt-get install -y --no-install-recommends postgresql"
    exit 1
  fi
  say "NOTICE: no PostgreSQL server binaries (initdb, pg_ctl); running without PostgreSQL."
  say "NOTICE: the tests that need it will be skipped (apt-get install postgresql to run them)."
  exec "$@"
fi

# --- who runs the server -------------------------------------------------------------------------
as_owner=()
if [[ "$(id -u)" == "0" ]]; then
  owner=postgres
  id -u "$owner" >/dev/null 2>&1 || owner=nobody
  runuser_bin="$(command -v runuser || echo /usr/sbin/runuser)" # /usr/sbin may not be on PATH
  as_owner=("$runuser_bin" -u "$owner" --)
else
  owner="$(id -un)"
fi

# --- a fresh folder: data/, the socket, the log --------------------------------------------------
# The folder name is lower case on purpose: URL host names are read case-insensitively
# (urllib lower-cases them), and the socket folder is the URL's host.
base="${TMPDIR:-/tmp}"
base="${base%/}"
# ... and short, plain and absolute: a Unix socket path has a limit of about 100 bytes.
if [[ ! "$base" =~ ^/[a-z0-9/._-]*$ || ${#base} -gt 60 || ! -d "$base" ]]; then base=/tmp; fi
root=""
for _ in 1 2 3 4 5 6 7 8 9 10; do
  candidate="$base/outcomes-pg-$(printf "%x-%04x%04x" "$$" "$RANDOM" "$RANDOM")"
  if mkdir -m 700 "$candidate" 2>/dev/null; then
    root="$candidate"
    break
  fi
done
if [[ -z "$root" ]]; then
  say "could not make a folder under $base"
  exit 1
fi
port="${OUTCOMES_TEST_PG_PORT:-54329}"
data="$root/data"
log="$root/server.log"        # written by the server's owner
initdb_log="$root/initdb.log" # written by this script

# Run a server binary as the owner, from inside the cluster's folder (the owner may not be allowed
# into the caller's working directory, and initdb/pg_ctl complain when they cannot return to it).
as_owner_run() { (cd "$root" && "${as_owner[@]}" "$@"); }

started=0
# shellcheck disable=SC2317  # called by the EXIT trap
cleanup() {
  local status=$? pid
  if ((started)) && [[ -f "$data/postmaster.pid" ]]; then
    if ! as_owner_run "$BINDIR/pg_ctl" -D "$data" -m fast -w -t 30 stop >/dev/null 2>&1; then
      pid="$(head -n 1 "$data/postmaster.pid" 2>/dev/null || true)"
      say "pg_ctl stop failed; sending SIGQUIT (immediate shutdown) to the server, pid ${pid:-unknown}"
      [[ -n "$pid" ]] && kill -QUIT "$pid" 2>/dev/null && sleep 2
    fi
  fi
  rm -rf -- "$root" 2>/dev/null || say "could not remove $root"
  exit "$status"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM HUP

if [[ "$owner" != "$(id -un)" ]]; then
  chown "$owner" "$root"
  # The owner must be able to reach its folder: the base is normally /tmp (world-searchable).
fi

fail_with_log() {
  local file
  say "$1"
  for file in "$initdb_log" "$log"; do
    if [[ -f "$file" ]]; then sed 's/^/  | /' "$file" >&2; fi
  done
  exit 1
}

as_owner_run "$BINDIR/initdb" -D "$data" -A trust -U postgres -E UTF8 --locale=C.UTF-8 \
  --no-sync >"$initdb_log" 2>&1 || fail_with_log "initdb failed"

started=1
as_owner_run "$BINDIR/pg_ctl" -D "$data" -l "$log" -w -t 60 \
  -o "-k $root -p $port -c listen_addresses='' -c fsync=off -c synchronous_commit=off -c full_page_writes=off" \
  start >/dev/null 2>&1 || fail_with_log "the server did not start"

pg_isready="$BINDIR/pg_isready"
command -v "$pg_isready" >/dev/null 2>&1 || pg_isready=pg_isready
for _ in $(seq 1 60); do
  "$pg_isready" -q -h "$root" -p "$port" -U postgres && break
  sleep 0.5
done
"$pg_isready" -q -h "$root" -p "$port" -U postgres || fail_with_log "the server is not ready"

createdb="$BINDIR/createdb"
[[ -x "$createdb" ]] || createdb=createdb
"$createdb" -h "$root" -p "$port" -U postgres outcomes_test >/dev/null ||
  fail_with_log "could not create the database outcomes_test"

encoded_root="${root//\//%2F}"
export OUTCOMES_TEST_DATABASE_URL="postgresql://postgres@${encoded_root}:${port}/outcomes_test"
export PGHOST="$root" PGPORT="$port" PGUSER=postgres PGDATABASE=outcomes_test
say "PostgreSQL $("$BINDIR/postgres" --version | awk '{print $3}') ready: OUTCOMES_TEST_DATABASE_URL=$OUTCOMES_TEST_DATABASE_URL"

# Not exec: the EXIT trap must run after the command. The command runs in the background (stdin kept)
# so that a TERM or HUP sent to this script is passed on at once rather than when the command ends;
# Ctrl-C reaches the command directly, from the terminal, and this script waits for it to finish.
"$@" <&0 &
child=$!
trap 'kill -TERM "$child" 2>/dev/null || true' TERM HUP
trap ':' INT
while kill -0 "$child" 2>/dev/null; do
  wait "$child" || true # returns early when a trapped signal arrives; wait again
done
status=0
wait "$child" || status=$?
exit "$status"
