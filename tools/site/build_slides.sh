#!/usr/bin/env bash
# Build a reveal.js deck from every notebook into build/slides/ (open build/slides/index.html).
#   bash tools/site/build_slides.sh [--out DIR] [NOTEBOOK ...]
set -euo pipefail
cd "$(dirname "$0")/../.."
exec "${PYTHON:-.venv/bin/python}" tools/site/build_slides.py "$@"
