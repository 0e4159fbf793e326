#!/usr/bin/env bash
# Set up the course and open it: creates .venv, installs the pinned requirements and the `utils`
# helpers (editable), then starts JupyterLab on notebooks/.
#
#   bash setup.sh              # set up (or update) and open JupyterLab
#   bash setup.sh --no-launch  # set up only (what CI does)
#
# Needs Python 3.11 or newer (set PYTHON=/path/to/python3.x to choose one).
set -euo pipefail
cd "$(dirname "$0")"

launch=1
for arg in "$@"; do
  case "$arg" in
    --no-launch) launch=0 ;;
    *) echo "usage: bash setup.sh [--no-launch]" >&2; exit 2 ;;
  esac
done

PYTHON=${PYTHON:-python3}
if ! "$PYTHON" -c 'import sys; sys.exit(sys.version_info < (3, 11))' 2>/dev/null; then
  echo "setup.sh: Python 3.11 or newer is needed; found: $("$PYTHON" --version 2>&1)." >&2
  echo "Install it (python.org, pyenv, Homebrew) and run: PYTHON=python3.11 bash setup.sh" >&2
  exit 1
fi

if [ ! -x .venv/bin/python ]; then
  echo "==> creating the virtual environment .venv"
  "$PYTHON" -m venv .venv
fi
echo "==> installing the pinned requirements (first time: a few minutes, about 3 GB)"
.venv/bin/python -m pip install --quiet --disable-pip-version-check -r requirements.txt
echo "==> installing the course helpers (utils) in editable mode"
.venv/bin/python -m pip install --quiet --disable-pip-version-check --no-deps -e .
COURSE_MODE=full .venv/bin/python -c "import utils; print('ready:', utils.setup(verbose=False).describe())"

if [ "$launch" = 1 ]; then
  echo "==> opening JupyterLab on notebooks/ (Ctrl+C to stop)"
  exec .venv/bin/jupyter lab notebooks/
fi
