# Sourced by scripts/start.sh and scripts/test.sh: a virtual environment in .venv with the
# package built from this checkout (labextension included) and the given extras installed.
# Usage: source scripts/setup-env.sh [EXTRAS]   e.g. "test"
set -euo pipefail

repo_root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
extras=${1:-}

if ! command -v node >/dev/null 2>&1; then
  echo "Node.js 20 or newer is needed to build the labextension (apt-get install nodejs)." >&2
  exit 1
fi

python3 -m venv "$repo_root/.venv"
# shellcheck disable=SC1091
source "$repo_root/.venv/bin/activate"
python -m pip install --quiet --upgrade pip
# jupyter-builder provides jlpm, used for the frontend dependencies and the build.
python -m pip install --quiet "jupyterlab==4.6.*" "jupyter-builder>=1.3" "hatch-jupyter-builder>=0.10" \
  "hatchling>=1.33" "hatch-nodejs-version>=0.3.2" build

(cd "$repo_root" && jlpm install --immutable)
# Build the wheel exactly as it is published, then install it: what runs is what ships.
rm -rf "$repo_root/dist"
(cd "$repo_root" && python -m build --wheel --no-isolation --outdir dist .)
wheel=$(ls "$repo_root"/dist/jupyterlab_neuroglancer-*.whl)
if [ -n "$extras" ]; then
  python -m pip install --quiet --force-reinstall --no-deps "$wheel"
  python -m pip install --quiet "${wheel}[${extras}]"
else
  python -m pip install --quiet --force-reinstall "$wheel"
fi
