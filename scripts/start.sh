#!/usr/bin/env bash
# Quick start: install jupyterlab_neuroglancer into .venv and start JupyterLab with the offline
# Neuroglancer demo open. Extra arguments go to `jupyter lab` (e.g. --no-browser --port 9999).
set -euo pipefail
repo_root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
# shellcheck disable=SC1091
# An explicit empty argument: a bare `source` would pass this script's own arguments on as extras.
source "$repo_root/scripts/setup-env.sh" ""
cd "$repo_root"
exec jupyter lab --NeuroglancerExtension.open_demo_on_start=True "$@"
