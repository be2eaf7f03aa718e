#!/usr/bin/env bash
# Graphviz (`graph --format svg`) and tmux (the crash-and-resume test, tui-drive).
set -euo pipefail
[ "$(id -u)" = 0 ] || { echo "not root: install graphviz and tmux yourself" >&2; exit 0; }
missing=""
command -v dot >/dev/null || missing="$missing graphviz"
command -v tmux >/dev/null || missing="$missing tmux"
if [ -n "$missing" ]; then
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $missing >/dev/null
fi
