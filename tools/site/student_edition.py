"""The student edition of the notebooks: the same lessons without the exercises' solutions.

    .venv/bin/python tools/site/student_edition.py                   # -> build/student/
    .venv/bin/python tools/site/student_edition.py --out DIR NB...

A solution is what tools/site/slide_metadata.py skips as one: a Markdown cell headed "Solution"
(or "Solutions") and the cells after it up to the next heading, and any cell tagged `solution`.
The student edition drops those cells and keeps everything else as committed (the lesson's
outputs included, so the notebook reads well before it is run); each exercise still has its
answer cell and its checking cell, which prints "Not yet" until the answer is right. The
notebooks in notebooks/ are read, never written.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

import nbjson  # noqa: E402
import slide_metadata  # noqa: E402

REPO_ROOT = HERE.parent.parent


def is_tagged_solution(cell: nbjson.Cell) -> bool:
    """A cell tagged ``solution`` (in its metadata) is a solution wherever it stands."""
    return "solution" in cell.get("metadata", {}).get("tags", [])


def student_notebook(notebook: nbjson.Notebook) -> tuple[nbjson.Notebook, int]:
    """A copy without the solution cells, and how many cells were dropped."""
    rules = slide_metadata.slide_types(notebook)
    kept = [cell for cell, (_, rule) in zip(notebook["cells"], rules, strict=True)
            if rule != "solution" and not is_tagged_solution(cell)]
    edition = dict(notebook, cells=kept)
    return edition, len(notebook["cells"]) - len(kept)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("notebooks", nargs="*", type=Path, help="default: notebooks/*.ipynb")
    parser.add_argument("--out", type=Path, default=REPO_ROOT / "build" / "student")
    args = parser.parse_args(argv)
    notebooks = args.notebooks or sorted((REPO_ROOT / "notebooks").glob("*.ipynb"))
    args.out.mkdir(parents=True, exist_ok=True)
    for path in notebooks:
        if path.resolve().parent == args.out.resolve():
            parser.error(f"{path}: the student edition would overwrite its own source")
        edition, dropped = student_notebook(nbjson.read(path))
        target = args.out / path.name
        target.write_text(nbjson.dumps(edition), encoding="utf-8")
        print(f"{target}: {dropped} solution cells left out")
    return 0


if __name__ == "__main__":
    sys.exit(main())
