#!/usr/bin/env bash
# Installs Debian's Chromium for the HTML report's browser test (tests/test_html_browser.py).
# Needs root and apt; where either is missing, the test is skipped and says why.
set -uo pipefail
if [ -x /usr/bin/chromium ]; then
  exit 0
fi
if [ "$(id -u)" != "0" ] || ! command -v apt-get >/dev/null 2>&1; then
  echo "setup-browser: not root or no apt-get; the browser test will be skipped" >&2
  exit 0
fi
export DEBIAN_FRONTEND=noninteractive
if ! timeout 900 apt-get install -y -q --no-install-recommends chromium >/tmp/toolgrade-apt.log 2>&1; then
  timeout 300 apt-get update -q >>/tmp/toolgrade-apt.log 2>&1
  timeout 900 apt-get install -y -q --no-install-recommends chromium >>/tmp/toolgrade-apt.log 2>&1 \
    || echo "setup-browser: apt-get install chromium failed (see /tmp/toolgrade-apt.log); the browser test will be skipped" >&2
fi
exit 0
