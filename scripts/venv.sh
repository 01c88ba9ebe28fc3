#!/usr/bin/env bash
# Creates .venv (Python >= 3.11) and installs toolgrade into it, editable, with the given extras.
set -euo pipefail
cd "$(dirname "$0")/.."
extras="${1:-}"
py="${PYTHON:-python3}"
if ! "$py" -c 'import sys; sys.exit(sys.version_info < (3, 11))' 2>/dev/null; then
  echo "toolgrade needs Python 3.11 or newer; set PYTHON=/path/to/python3.11" >&2
  exit 2
fi
[ -x .venv/bin/python ] || "$py" -m venv .venv
.venv/bin/python -m pip install --quiet --disable-pip-version-check --upgrade pip
.venv/bin/python -m pip install --quiet --disable-pip-version-check -e ".${extras:+[$extras]}"
# An editable install leaves our modules uncompiled (pip compiles only what it copies), and
# with PYTHONDONTWRITEBYTECODE set every run would recompile them: compile once, as a wheel install does.
.venv/bin/python -m compileall -q toolgrade >/dev/null
