#!/usr/bin/env bash
# A test-only virtualenv with Ralph (a Learning Record Store) for the xAPI export tests.
# Ralph pins its own dependencies, so it never shares CounterTalk's venv. Built from the
# hashed lock requirements/lrs.txt (pip-compile --generate-hashes); idempotent.
# The tests run this themselves when the venv is missing.
set -euo pipefail
here="$(cd "$(dirname "$0")/../.." && pwd)"
venv="${COUNTERTALK_LRS_VENV:-$here/.venv-lrs}"
lock="$here/requirements/lrs.txt"
stamp="$venv/.installed-$(sha256sum "$lock" | cut -c1-16)"
if [ -x "$venv/bin/ralph" ] && [ -e "$stamp" ]; then
    exit 0
fi
"${PYTHON:-python3}" -m venv --clear "$venv"
"$venv/bin/python" -m pip install --quiet --require-hashes --no-deps -r "$lock"
"$venv/bin/ralph" --help >/dev/null
touch "$stamp"
