#!/usr/bin/env bash
# Installs the project's Python tools (infra/local/python-tools.txt: moto, cfn-lint, checkov,
# each pinned with everything below it) into the project's own virtual environment,
# .local/python, when it is missing, when python-tools.txt changed or when the machine's
# python3 did; otherwise does nothing (with --report: says they are present). Never installs
# into the machine's Python. Runs before `npm test` (pretest), `npm run setup`, `npm run
# cfn-lint` and `npm run checkov`, and when moto is started (infra/local/services/moto-server.ts).
# Needs python3 (3.11 or newer) with its venv module (Debian and Ubuntu: apt-get install
# python3-venv).
set -euo pipefail
cd "$(dirname "$0")/../.."

venv=.local/python
requirements=infra/local/python-tools.txt
stamp=$venv/.install-stamp
tools=(moto_server cfn-lint checkov)

tool_versions() {
  "$venv/bin/python" -c '
import importlib.metadata as m
print(", ".join(f"{name} {m.version(name)}" for name in ("moto", "cfn-lint", "checkov")))'
}

if ! command -v python3 >/dev/null; then
  echo "python3 was not found on PATH. Install Python 3.11 or newer with its venv module (apt-get install python3 python3-venv)." >&2
  exit 1
fi
# One install at a time: `npm test` and a service start may both get here on a fresh clone.
mkdir -p .local
exec 9>.local/python.lock
flock 9
want=$({ cat "$requirements"; python3 --version; } | sha256sum | cut -d' ' -f1)
present=true
[ -f "$stamp" ] && [ "$(cat "$stamp")" = "$want" ] && "$venv/bin/python" -c "" 2>/dev/null || present=false
for tool in "${tools[@]}"; do
  [ -x "$venv/bin/$tool" ] || present=false
done
if [ "$present" = true ]; then
  [ "${1:-}" = --report ] && echo "Python tools: already present in $venv ($(tool_versions))"
  exit 0
fi

if ! python3 -c "import sys; sys.exit(sys.version_info < (3, 11))"; then
  echo "The project's Python tools need Python 3.11 or newer; python3 is $(python3 --version 2>&1)." >&2
  exit 1
fi
if ! python3 -c "import ensurepip, venv" 2>/dev/null; then
  echo "python3 has no venv module, needed for the project's own $venv. Install it: apt-get install python3-venv" >&2
  exit 1
fi
total=$(grep -cE '^[A-Za-z0-9]' "$requirements")
echo "Installing the project's Python tools into $venv: $total pinned packages from $requirements (first run, or it or python3 changed)..."
start=$SECONDS
rm -rf "$venv"
python3 -m venv "$venv"
# pip's own output is one line per package and download; show one line per 25 packages instead.
# Its errors go to stderr, which passes through. --no-compile: compiling all 125 packages'
# bytecode ahead took longer than fetching them (43 s of 78 s); Python compiles what a tool
# imports the first time it runs (moto's first start: about a second).
"$venv/bin/python" -m pip install --disable-pip-version-check --no-input --progress-bar off \
  --no-compile -r "$requirements" | {
  fetched=0
  while IFS= read -r line; do
    case $line in
    Collecting*)
      fetched=$((fetched + 1))
      if [ $((fetched % 25)) = 0 ]; then
        echo "  ... $fetched of $total packages fetched, $((SECONDS - start)) s"
      fi
      ;;
    "Installing collected packages"*) echo "  ... installing $total packages, $((SECONDS - start)) s" ;;
    esac
  done
}
echo "$want" > "$stamp"
echo "Python tools: installed $(tool_versions) into $venv ($(du -sh "$venv" | cut -f1)) in $((SECONDS - start)) s"
