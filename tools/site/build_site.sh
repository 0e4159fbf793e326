#!/usr/bin/env bash
# Build the course website into build/site/ (docs/site.md): the notebooks as committed, the
# benchmarks and data pages, and every slide deck. Offline once reveal.js and MathJax are cached.
#   bash tools/site/build_site.sh [--clean] [--notebooks DIR] [--out DIR]
set -euo pipefail
cd "$(dirname "$0")/../.."
exec "${PYTHON:-.venv/bin/python}" tools/site/build_site.py "$@"
