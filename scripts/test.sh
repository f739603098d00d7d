#!/usr/bin/env bash
# Install everything the tests need (Chromium from Debian, Python and npm packages), then run
# every check: lint, the installed extension, pytest, jest and the Galata UI tests.
set -euo pipefail
repo_root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$repo_root"

step() { printf '\n=== %s\n' "$*"; }

# Each runner's output is kept so that the last line can total the tests of all of them.
logs=$(mktemp -d)
passed_in() { grep -Eo '[0-9]+ passed' "$1" | tail -n 1 | grep -Eo '[0-9]+' || echo 0; }

step "System packages: Chromium for the UI tests"
if ! command -v chromium >/dev/null 2>&1; then
  if [ "$(id -u)" = 0 ]; then
    apt-get update -qq && apt-get install -y -qq chromium fonts-liberation >/dev/null
  else
    sudo apt-get update -qq && sudo apt-get install -y -qq chromium fonts-liberation >/dev/null
  fi
fi

step "Python environment and the wheel"
# shellcheck disable=SC1091
source scripts/setup-env.sh test

step "Lint: ruff, Prettier, ESLint"
ruff check .
ruff format --check .
jlpm lint:check

step "The installed extension is enabled and needs no Node.js"
no_node_path="$repo_root/.venv/bin:/usr/bin:/bin"
# Hide node: only the prebuilt labextension in the wheel may be used.
labext=$(env PATH="$no_node_path" NODE_OPTIONS= jupyter labextension list 2>&1 | grep -v '^$' || true)
echo "$labext"
echo "$labext" | grep -E 'jupyterlab_neuroglancer .*enabled.*OK' >/dev/null
serverext=$(jupyter server extension list 2>&1)
echo "$serverext" | grep -E 'jupyterlab_neuroglancer .*enabled' >/dev/null
echo "$serverext" | grep -E 'jupyterlab_neuroglancer .*OK' >/dev/null

step "jest: URL/state parsing and kernel snippets"
jlpm test 2>&1 | tee "$logs/jest"

step "pytest: proxy, registry, auth, kernel side, demo (real viewers)"
pytest -q -p no:cacheprovider 2>&1 | tee "$logs/pytest"

step "Galata: JupyterLab in headless Chromium"
cd ui-tests
jlpm install --immutable
../node_modules/.bin/tsc -p .  # the UI tests type-check (strict) before they run
CI=true jlpm playwright test 2>&1 | tee "$logs/galata"

jest=$(passed_in "$logs/jest")
py=$(passed_in "$logs/pytest")
galata=$(passed_in "$logs/galata")
printf '\njest %s, pytest %s, Galata %s\n' "$jest" "$py" "$galata"
# Any failure stopped this script before here (set -e, pipefail).
echo "$((jest + py + galata)) passed, 0 failed"
