#!/usr/bin/env bash
# Installs the Debian packages docket needs to build, test and run, when they
# are missing.  Idempotent and quiet when nothing is missing.  Run as root
# (or with sudo available) on Debian bookworm.
set -euo pipefail

PACKAGES=(
  build-essential cmake pkg-config git
  libsqlite3-dev sqlite3 libjansson-dev libsodium-dev libssl-dev
  libcurl4-openssl-dev libarchive-dev libmicrohttpd-dev liboath-dev libpq-dev
  libcmocka-dev clang-14 libclang-rt-14-dev
  golang-go golang-golang-x-mod-dev python3-aiosmtpd strace chromium
  wrk nginx-light
)

missing=()
for p in "${PACKAGES[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed'; then
    missing+=("$p")
  fi
done
[ ${#missing[@]} -eq 0 ] && exit 0

SUDO=
if [ "$(id -u)" -ne 0 ]; then
  command -v sudo >/dev/null || { echo "setup: need root to install: ${missing[*]}" >&2; exit 1; }
  SUDO=sudo
fi
echo "setup: installing ${missing[*]}" >&2
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq >/dev/null
$SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
