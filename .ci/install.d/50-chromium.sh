#!/usr/bin/env bash
# Debian's Chromium, for the phone page's real-browser test (tests/e2e/test_phone_browser.py,
# driven by the Python playwright package from the dev extras; no browser download).
set -euo pipefail
[ "$(id -u)" = 0 ] || { echo "not root: install chromium yourself" >&2; exit 0; }
if ! command -v chromium >/dev/null; then
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null
fi
