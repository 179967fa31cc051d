#!/usr/bin/env bash
# Installs the browser tests' npm packages (playwright-core, axe-core) into
# tests/browser/node_modules from tests/browser/package-lock.json.  Needs
# npm (scripts/setup.sh installs Debian's nodejs and npm) and the npm
# registry; exits 77 ("skip") saying so when the registry is unreachable.
# Debian's Chromium is the browser: playwright-core downloads none.
set -euo pipefail
dir=$(cd "$(dirname "$0")/../tests/browser" && pwd)
[ -d "$dir/node_modules/playwright-core" ] && [ -d "$dir/node_modules/axe-core" ] && exit 0
command -v npm >/dev/null || { echo "browser-deps: npm is not installed (bash scripts/setup.sh)" >&2; exit 77; }
if ! (cd "$dir" && timeout 300 npm ci --no-audit --no-fund --loglevel=error >/dev/null 2>"$dir/.npm-error.log"); then
  echo "browser-deps: npm could not install from its registry (unreachable?): $(tail -1 "$dir/.npm-error.log")" >&2
  exit 77
fi
