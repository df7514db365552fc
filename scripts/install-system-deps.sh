#!/usr/bin/env bash
# Install the Debian packages Outcomes Tracker needs, but only those that are missing,
# so a second run costs a few dpkg look-ups and nothing else.
#
#   chromium                      headless browser for the browser/accessibility tests
#   poppler-utils                 pdftotext/pdftoppm, to read the PDF reports back in tests
#   libharfbuzz-subset0, libpango-1.0-0, libpangoft2-1.0-0
#                                 what WeasyPrint (the PDF reports) loads at run time
#   fonts-dejavu-core, fonts-liberation
#                                 fonts the reports render with
#   libcairo2                     what CairoSVG loads to draw the Word report's charts (SVG to PNG)
#
# With CI=true or OUTCOMES_TEST_POSTGRES=1 it also makes sure the PostgreSQL server binaries
# (initdb, pg_ctl) are there, for scripts/with-postgres.sh.
#
# As root it runs apt-get itself; otherwise it uses `sudo -n` when that works without a password,
# and if not, says what to install and carries on (locally; under CI=true it fails, so CI never
# passes on skipped tests). It never fails when everything is present.
set -euo pipefail

PACKAGES=(
  chromium
  poppler-utils
  libharfbuzz-subset0
  fonts-dejavu-core
  fonts-liberation
  libpango-1.0-0
  libpangoft2-1.0-0
  libcairo2
)

say() { printf 'system-deps: %s\n' "$*"; }

if ! command -v dpkg-query >/dev/null 2>&1; then
  say "not a Debian-based system: install by hand the equivalents of ${PACKAGES[*]}"
  exit 0
fi

installed() {
  [[ "$(dpkg-query -W -f='${Status}' "$1" 2>/dev/null)" == "install ok installed" ]]
}

have_postgres_server() {
  command -v initdb >/dev/null 2>&1 || compgen -G '/usr/lib/postgresql/*/bin/initdb' >/dev/null
}

missing=()
for pkg in "${PACKAGES[@]}"; do
  installed "$pkg" || missing+=("$pkg")
done
if [[ "${CI:-}" == "true" || "${OUTCOMES_TEST_POSTGRES:-}" == "1" ]] && ! have_postgres_server; then
  missing+=(postgresql)
fi

if ((${#missing[@]} == 0)); then
  say "all present"
  exit 0
fi

if [[ "$(id -u)" == "0" ]]; then
  sudo=()
elif command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then
  sudo=(sudo -n)
else
  say "missing Debian packages: ${missing[*]}"
  say "install them with:"
  say "  sudo apt-get update && sudo apt-get install -y --no-install-recommends ${missing[*]}"
  if [[ "${CI:-}" == "true" ]]; then
    say "CI=true: refusing to go on without them"
    exit 1
  fi
  say "going on without them: the tests that need them will be skipped"
  exit 0
fi

say "installing ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
"${sudo[@]}" apt-get update -qq
"${sudo[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}"
say "installed ${missing[*]}"
