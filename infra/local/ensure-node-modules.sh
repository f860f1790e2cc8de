#!/usr/bin/env bash
# Installs the project's Node modules, and with them the project's own Node (the npm package
# `node`), when they are missing or older than package-lock.json; otherwise does nothing.
# Runs before `npm start` and `npm test` (prestart / pretest), on whatever Node runs npm.
set -euo pipefail
cd "$(dirname "$0")/../.."

stamp=node_modules/.install-stamp
want=$(sha256sum package-lock.json | cut -d' ' -f1)
if [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$want" ] && [ -x node_modules/.bin/node ]; then
  exit 0
fi

echo "Installing Node modules and the project's Node (package-lock.json changed or node_modules missing)..."
npm ci --no-audit --no-fund
echo "$want" > "$stamp"
echo "Using $(node_modules/.bin/node --version) from node_modules/.bin/node"
