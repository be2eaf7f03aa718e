#!/usr/bin/env bash
# Chromium for the browser tests of `countertalk serve` (driven by playwright's Python package
# with executable_path=/usr/bin/chromium; playwright's own browser download is not used).
set -euo pipefail
if command -v chromium >/dev/null 2>&1; then
    exit 0
fi
apt-get update -qq
DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null
