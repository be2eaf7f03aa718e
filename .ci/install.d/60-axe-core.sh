#!/usr/bin/env bash
# axe-core (the accessibility rules engine) from the npm registry, pinned, for the web page's
# real-browser test (tests/e2e/test_web_browser.py injects node_modules/axe-core/axe.min.js).
# Installed into .ci/axe (gitignored), never globally; idempotent.
set -euo pipefail
AXE_VERSION=4.14.1
here="$(cd "$(dirname "$0")/../.." && pwd)"
dest="$here/.ci/axe"
if [ -f "$dest/node_modules/axe-core/axe.min.js" ] \
   && grep -q "\"version\": \"$AXE_VERSION\"" "$dest/node_modules/axe-core/package.json"; then
  exit 0
fi
command -v npm >/dev/null || { echo "npm is missing: apt-get install npm" >&2; exit 1; }
mkdir -p "$dest"
cd "$dest"
[ -f package.json ] || printf '{"name": "countertalk-ci-axe", "private": true}\n' > package.json
npm install --no-audit --no-fund --save-exact "axe-core@$AXE_VERSION" >/dev/null
test -f node_modules/axe-core/axe.min.js
