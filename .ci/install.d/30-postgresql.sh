#!/usr/bin/env bash
# PostgreSQL's server binaries (initdb, pg_ctl) for the store tests and `make bench`.
# The tests start their own throw-away server in a temporary folder; nothing runs here.
set -euo pipefail
if ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1; then
    exit 0
fi
apt-get update -qq
DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql >/dev/null
# Debian starts a cluster on install; the tests use their own, so stop it (if any).
service postgresql stop >/dev/null 2>&1 || true
