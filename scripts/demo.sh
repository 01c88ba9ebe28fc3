#!/usr/bin/env bash
# Quickstart 1: set up toolgrade and lint the built-in demo server over real stdio.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/venv.sh
exec .venv/bin/toolgrade demo "$@"
