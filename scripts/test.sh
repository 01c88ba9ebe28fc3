#!/usr/bin/env bash
# Quickstart 2: set up toolgrade with its test extras and the pinned real servers, run every test.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/venv.sh test
bash scripts/setup-test-servers.sh
bash scripts/setup-browser.sh
exec .venv/bin/python -m pytest "$@"
