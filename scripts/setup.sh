#!/usr/bin/env bash
# Installs the Debian packages docket needs to build, test and run, when they
# are missing.  Idempotent and quiet when nothing is missing.  Run as root
# (or with sudo available) on Debian bookworm.
set -euo pipefail

PACKAGES=(
  build-essential cmake pkg-config git
  libsqlite3-dev sqlite3 libjansson-dev libsodium-dev libssl-dev
  libcurl4-openssl-dev libarchive-dev libmicrohttpd-dev liboath-dev libpq-dev postgresql-15
  zlib1g-dev
  libcmocka-dev clang-14 libclang-rt-14-dev
  golang-go golang-golang-x-mod-dev python3-aiosmtpd strace chromium
  wrk nginx-light nodejs
)

missing=()
for p in "${PACKAGES[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed'; then
    missing+=("$p")
  fi
done
# Debian's npm package, unless an npm came with another nodejs build
command -v npm >/dev/null || missing+=(npm)

# The browser tests' npm packages (tests/browser/, from its lock file), once;
# without the npm registry those tests skip.  DOCKET_NO_NPM=1 skips this.
browser_deps() {
  [ "${DOCKET_NO_NPM:-0}" = 1 ] && return 0
  bash "$(dirname "$0")/browser-deps.sh" || echo "setup: the browser tests will be skipped" >&2
}
if [ ${#missing[@]} -eq 0 ]; then browser_deps; exit 0; fi

SUDO=
if [ "$(id -u)" -ne 0 ]; then
  command -v sudo >/dev/null || { echo "setup: need root to install: ${missing[*]}" >&2; exit 1; }
  SUDO=sudo
fi
echo "setup: installing ${missing[*]}" >&2
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq >/dev/null
$SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
browser_deps
