#!/usr/bin/env bash
# Write the slide types and the figures' alt text into the committed notebooks (cell metadata
# only: sources and outputs stay byte for byte), then check both. Run it when no full run is
# rewriting the notebooks, review `git diff --stat notebooks/` and the descriptions printed,
# and commit. Idempotent: a second run changes nothing.
#   bash tools/site/apply_metadata.sh [NOTEBOOK ...]      (default: notebooks/*.ipynb)
set -euo pipefail
cd "$(dirname "$0")/../.."
python="${PYTHON:-.venv/bin/python}"
if [ "$#" -eq 0 ]; then set -- notebooks/*.ipynb; fi
"$python" tools/site/slide_metadata.py "$@"
# exits 1 when a figure's code has no title: describe it with --set CELL=TEXT or --interactive
"$python" tools/site/figure_alt.py "$@"
"$python" tools/site/slide_metadata.py --check --quiet "$@"
"$python" tools/site/figure_alt.py --check "$@" > /dev/null
echo "slide metadata and alt text in place: $*"
