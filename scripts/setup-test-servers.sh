#!/usr/bin/env bash
# Installs the real MCP servers the tests run against, at pinned versions:
# npm servers from tests/npm/package-lock.json, Python servers through the [test] extra.
set -euo pipefail
cd "$(dirname "$0")/../tests/npm"
if ! command -v npm >/dev/null 2>&1; then
  echo "setup-test-servers: npm not found; the tests that need npm servers will be skipped" >&2
  exit 0
fi
if [ ! -f node_modules/.package-lock.json ] || ! cmp -s package-lock.json node_modules/.toolgrade-lock; then
  npm ci --no-audit --no-fund --loglevel=error
  cp package-lock.json node_modules/.toolgrade-lock
fi
