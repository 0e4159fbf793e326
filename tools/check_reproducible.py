"""Run notebooks twice in fast mode and list the printed lines that differ between the runs.

    .venv/bin/python tools/check_reproducible.py notebooks/02_lenet_mnist.ipynb

Both runs go through ``utils.notebooks`` into scratch folders (``build/repro/a`` and ``b``), so
the notebooks themselves and ``results/`` are never touched. Lines with a clock in them
(seconds, minutes, ms per step) are expected to differ and are counted separately. Exit status 1
when another line differs. Run it with the backend to check in ``KERAS_BACKEND``.
"""

from __future__ import annotations

import argparse
import re
import sys
from pathlib import Path

import nbformat

REPO_ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO_ROOT))

from utils.notebooks import execute  # noqa: E402

# A line that reports a duration: "12s", "0.3 min", "207ms/step", "in 28.2 s", "it/s" ...
CLOCK = re.compile(r"\d\s*(?:s|ms|min|seconds?|minutes?)\b|ms/step|s/step|it/s|/s\b|seconds")


def printed_lines(path: Path) -> list[list[str]]:
    """The text each code cell printed (stream outputs and text/plain results), by cell."""
    notebook = nbformat.read(path, as_version=4)
    cells = []
    for cell in notebook.cells:
        if cell.cell_type != "code":
            continue
        text = []
        for output in cell.get("outputs", []):
            if output.get("output_type") == "stream":
                text.append(output.get("text", ""))
            elif "data" in output:
                text.append(output["data"].get("text/plain", ""))
        cells.append("".join(text).splitlines())
    return cells


def compare(first: Path, second: Path) -> tuple[list[str], list[str]]:
    """(lines that differ, lines that differ but report a time), as 'cell N: a | b'."""
    differ, timed = [], []
    for index, (lines_a, lines_b) in enumerate(
        zip(printed_lines(first), printed_lines(second), strict=True)
    ):
        for line_a, line_b in zip(lines_a, lines_b, strict=False):
            if line_a != line_b:
                entry = f"code cell {index}: {line_a.strip()!r} | {line_b.strip()!r}"
                (timed if CLOCK.search(line_a) else differ).append(entry)
        if len(lines_a) != len(lines_b):
            differ.append(f"code cell {index}: {len(lines_a)} lines vs {len(lines_b)} lines")
    return differ, timed


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("notebooks", nargs="+", type=Path)
    args = parser.parse_args(argv)
    status = 0
    for path in args.notebooks:
        runs = []
        for label in ("a", "b"):
            output = REPO_ROOT / "build" / "repro" / label
            result = execute(path, "fast", output_dir=output)
            if not result.ok:
                print(f"{path}: run {label} failed: {result.error}")
                return 1
            runs.append(result.written)
        differ, timed = compare(*runs)
        print(f"{path}: {len(differ)} printed line(s) differ, {len(timed)} more report a time")
        for entry in differ:
            print("  DIFFERS", entry)
        for entry in timed[:5]:
            print("  time   ", entry)
        status |= bool(differ)
    return status


if __name__ == "__main__":
    sys.exit(main())
