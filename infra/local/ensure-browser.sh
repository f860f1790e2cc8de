#!/usr/bin/env bash
# Makes a Chromium available for the console's browser tests (test/browser/): Debian's
# `chromium` package, installed with apt-get when it is missing and this user may install
# packages (root, as in CI); otherwise does nothing. Prints where the browser is, or why there
# is none; the browser tests then skip with that reason. Never fails `npm test` by itself.
set -uo pipefail

find_browser() {
  for candidate in "${CHROMIUM_PATH:-}" chromium chromium-browser google-chrome; do
    [ -n "$candidate" ] && command -v "$candidate" 2>/dev/null && return 0
  done
  return 1
}

if browser=$(find_browser); then
  exit 0
fi
if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
  echo "Installing Chromium for the browser tests (apt-get install chromium, first run only)..."
  start=$SECONDS
  if (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium) >/tmp/ensure-browser.log 2>&1; then
    echo "Chromium installed in $((SECONDS - start)) s: $(find_browser)"
  else
    echo "Could not install Chromium (see /tmp/ensure-browser.log): browser tests will be skipped"
  fi
else
  echo "No Chromium found and no way to install it (needs root and apt-get): browser tests will be skipped. Install Debian's chromium or set CHROMIUM_PATH."
fi
exit 0
