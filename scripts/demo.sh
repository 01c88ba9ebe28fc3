#!/usr/bin/env bash
# Quickstart 1: set up toolgrade, lint the built-in demo server over real stdio and
# contract-test it against the mocked Portkey Admin API on loopback.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/venv.sh
exec .venv/bin/toolgrade demo "$@"
