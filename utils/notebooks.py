"""Run a notebook top to bottom and save its outputs (how the committed outputs are made).

    python -m utils.notebooks notebooks/02_lenet_mnist.ipynb            # full mode (default)
    python -m utils.notebooks --mode fast notebooks/01_*.ipynb          # a quick check

Full runs can take long: start them in the background (``nohup ... &``). After a full run,
``BENCHMARKS.md`` is regenerated from ``results/``.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path

import nbformat

from .settings import MODE_VARIABLE, MODES

# The first code cell of every notebook, word for word (tests/test_notebooks.py checks it).
SETUP_CELL = """\
# Setup: the same first cell in every notebook (see README.md, "Run modes and backends").
import os
import sys

os.environ.setdefault("KERAS_BACKEND", "tensorflow")  # or "jax" / "torch": set before Keras loads
if "google.colab" in sys.modules:  # on Colab only: fetch the course's helpers once
    COURSE_REPO = os.environ.get("COURSE_REPO", "https://github.com/dl-course/keras-course")
    if not os.path.isdir("/content/course"):
        os.system(f"git clone -q {COURSE_REPO} /content/course")
        os.system("pip install -q -r /content/course/requirements-colab.txt")
    sys.path.insert(0, "/content/course")

import utils

RUN = utils.setup(seed=42)  # seeds, quiet logs, one line: versions, backend, GPU, run mode"""


def setup_cell_source(notebook_path: Path) -> str:
    """Source of a notebook's first code cell."""
    notebook = nbformat.read(notebook_path, as_version=4)
    for cell in notebook.cells:
        if cell.cell_type == "code":
            return cell.source
    raise ValueError(f"{notebook_path} has no code cell")


def execute(path: Path, mode: str = "full", timeout: int | None = None) -> float:
    """Execute ``path`` in place in the given run mode; returns the seconds it took."""
    from nbclient import NotebookClient

    if mode not in MODES:
        raise ValueError(f"mode must be one of {MODES}, got {mode!r}")
    path = Path(path)
    if not path.exists():
        raise FileNotFoundError(f"no notebook at {path}")
    notebook = nbformat.read(path, as_version=4)
    os.environ[MODE_VARIABLE] = mode
    client = NotebookClient(
        notebook,
        timeout=timeout,
        kernel_name="python3",
        resources={"metadata": {"path": str(path.parent)}},
    )
    start = time.perf_counter()
    try:
        client.execute()
    finally:
        nbformat.write(notebook, path)  # keep what ran, even after an error, to look at it
    return time.perf_counter() - start


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("notebooks", nargs="+", type=Path)
    parser.add_argument("--mode", choices=MODES, default="full")
    parser.add_argument("--timeout", type=int, default=None, help="seconds per cell")
    args = parser.parse_args(argv)
    for path in args.notebooks:
        print(f"running {path} in {args.mode} mode ...", flush=True)
        seconds = execute(path, args.mode, args.timeout)
        print(f"{path}: done in {seconds / 60:.1f} min", flush=True)
    if args.mode == "full":
        from .results import write_benchmarks

        print(f"wrote {write_benchmarks()}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
