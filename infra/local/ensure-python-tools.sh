#!/usr/bin/env bash
# Installs the project's Python tools (infra/local/python-tools.txt: checkov) into the project's
# own virtual environment, .local/python, when it is missing, when python-tools.txt changed or
# when the machine's python3 did; otherwise does nothing. Never installs into the machine's
# Python. Runs before `npm test` (pretest) and `npm run checkov`. Needs python3 with its venv
# module (Debian and Ubuntu: apt-get install python3-venv).
set -euo pipefail
cd "$(dirname "$0")/../.."

venv=.local/python
requirements=infra/local/python-tools.txt
stamp=$venv/.install-stamp
want=$({ cat "$requirements"; python3 --version; } | sha256sum | cut -d' ' -f1)
if [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$want" ] && "$venv/bin/python" -c "" 2>/dev/null &&
  [ -x "$venv/bin/checkov" ]; then
  exit 0
fi

echo "Installing the project's Python tools into $venv ($requirements or python3 changed, or $venv missing)..."
rm -rf "$venv"
python3 -m venv "$venv"
"$venv/bin/python" -m pip install --quiet --disable-pip-version-check --no-input -r "$requirements"
echo "$want" > "$stamp"
echo "Using checkov $(CKV_SKIP_PACKAGE_UPDATE_CHECK=true "$venv/bin/checkov" --version) from $venv/bin/checkov"
