#!/usr/bin/env bash
# Installs the project's Node modules, and with them the project's own Node (the npm package
# `node`), when they are missing or older than package-lock.json; otherwise does nothing (with
# --report: says they are present). Runs before `npm start`, `npm test` and `npm run setup`
# (prestart / pretest / presetup), on whatever Node runs npm.
set -euo pipefail
cd "$(dirname "$0")/../.."

stamp=node_modules/.install-stamp
want=$(sha256sum package-lock.json | cut -d' ' -f1)
if [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$want" ] && [ -x node_modules/.bin/node ]; then
  [ "${1:-}" = --report ] &&
    echo "Node modules: already present in node_modules (the project's Node $(node_modules/.bin/node --version))"
  exit 0
fi

echo "Installing Node modules and the project's Node into node_modules (package-lock.json changed or node_modules missing)..."
start=$SECONDS
# npm runs on the machine's Node, older than the project's: it warns EBADENGINE for every
# package that wants Node 24 (about 50 lines), which is expected, since that Node is what it is
# installing. Those lines are dropped; every other warning and error passes through.
{ npm ci --no-audit --no-fund 2>&1 1>&3 | { grep -v 'EBADENGINE' || true; } >&2; } 3>&1
echo "$want" > "$stamp"
echo "Node modules: installed into node_modules ($(du -sh node_modules | cut -f1)) in $((SECONDS - start)) s, with the project's Node $(node_modules/.bin/node --version) (node_modules/.bin/node; npm ran on the machine's $("${npm_node_execpath:-node}" --version))"
