"""Set the slide type of every cell of the notebooks given, for reveal.js decks and RISE.

    .venv/bin/python tools/site/slide_metadata.py notebooks/*.ipynb           # write
    .venv/bin/python tools/site/slide_metadata.py --check notebooks/*.ipynb   # exit 1 if lacking

Each cell gets ``metadata.slideshow.slide_type``, the key that ``jupyter nbconvert --to slides``
and jupyterlab-rise read. Only that key changes: sources, outputs, ids and all other metadata stay
byte for byte as they were, and a second run changes nothing. The rules, first match wins
(docs/site.md explains them):

====  ==========================================================================  ===========
 #    cell                                                                          slide type
====  ==========================================================================  ===========
 1    an exercise's solution: a Markdown cell headed "Solution" and the cells        skip
      after it up to the next heading (students get them from the notebook)
 2    the standard setup cell (first code cell, "# Setup: the same first cell")     skip
 3    an exercise's checking function (a code cell that starts ``def check_``)      skip
 4    Markdown that starts with "**Speaker notes" or "**Instructor notes"           notes
      (or an HTML comment ``<!-- speaker notes -->``): none of the notebooks has
      one yet; what the course says is written for the reader, so nothing else
      becomes a note
 5    the title cell, or a Markdown cell with a "## " heading                      slide
 6    a Markdown cell with a "### " heading (any level below 2)                     subslide
 7    a code cell that draws a figure                                               subslide
 8    a long cell: more than 25 lines of code or Markdown, or more than 25 lines    subslide
      of printed output (the deck scrolls a tall slide and shortens printed
      output to its first and last lines; the notebook keeps all of it)
 9    anything else: continues the slide above                                      "-"
====  ==========================================================================  ===========

A slide can only start where a cell starts. A "## " heading in the middle of a Markdown cell
still makes that cell a slide, with the text above the heading on it; the script names such
cells (split the cell in the notebook to move the slide's start to the heading).

``--check`` writes nothing. It exits with 1 when a cell has no slide type or an unknown one, when
a title or "## " section cell is not a slide, or when a solution is not skipped; other slide
types are left to the author (change them by hand, then run with ``--keep-existing`` so later
runs fill only cells that have none).
"""

from __future__ import annotations

import argparse
import re
import sys
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import nbjson  # noqa: E402

SLIDE_TYPES = ("slide", "subslide", "fragment", "-", "skip", "notes")
LONG_LINES = 25
SETUP_MARK = "# Setup: the same first cell"
_NOTES = re.compile(r"^\s*(<!--\s*speaker notes\s*-->|\*\*(speaker|instructor) notes?\b)", re.I)
_CHECK_FUNCTION = re.compile(r"^\s*def\s+check_\w*\s*\(")
_SOLUTION = re.compile(r"^solutions?\b", re.I)


def _is_solution_heading(cell: nbjson.Cell) -> bool:
    return any(_SOLUTION.match(title) for _, title in nbjson.headings(cell))


def _first_code_line(text: str) -> str:
    for line in text.split("\n"):
        if line.strip() and not line.lstrip().startswith("#"):
            return line
    return ""


def slide_types(notebook: nbjson.Notebook) -> list[tuple[str, str]]:
    """The slide type of each cell by the rules above, with the rule's name."""
    result: list[tuple[str, str]] = []
    in_solution = False
    first_code_seen = False
    for index, cell in enumerate(notebook["cells"]):
        kind = cell.get("cell_type")
        text = nbjson.source(cell)
        levels = [level for level, _ in nbjson.headings(cell)]
        if levels:  # every heading ends a solution; a "Solution" heading starts one
            in_solution = _is_solution_heading(cell)
        is_first_code = kind == "code" and not first_code_seen
        first_code_seen = first_code_seen or kind == "code"

        if in_solution:
            result.append(("skip", "solution"))
        elif is_first_code and text.lstrip().startswith(SETUP_MARK):
            result.append(("skip", "setup cell"))
        elif kind == "code" and _CHECK_FUNCTION.match(_first_code_line(text)):
            result.append(("skip", "exercise check"))
        elif kind == "markdown" and _NOTES.match(text):
            result.append(("notes", "speaker notes"))
        elif index == 0 or 2 in levels or 1 in levels:
            result.append(("slide", "title or section"))
        elif levels:
            result.append(("subslide", "subsection"))
        elif kind == "code" and nbjson.image_outputs(cell):
            result.append(("subslide", "figure"))
        elif text.count("\n") + 1 > LONG_LINES:
            result.append(("subslide", "long source"))
        elif kind == "code" and nbjson.text_output_lines(cell) > LONG_LINES:
            result.append(("subslide", "long output"))
        else:
            result.append(("-", "continues"))
    return result


def current_type(cell: nbjson.Cell) -> str | None:
    slideshow = cell.get("metadata", {}).get("slideshow")
    if isinstance(slideshow, dict):
        return slideshow.get("slide_type")
    return None


def apply(notebook: nbjson.Notebook, keep_existing: bool = False) -> int:
    """Set the slide types in place; returns how many cells changed."""
    changed = 0
    for cell, (slide_type, _) in zip(notebook["cells"], slide_types(notebook), strict=True):
        if keep_existing and current_type(cell) in SLIDE_TYPES:
            continue
        if current_type(cell) != slide_type:
            metadata = cell.setdefault("metadata", {})
            slideshow = metadata.get("slideshow")
            if not isinstance(slideshow, dict):
                slideshow = metadata["slideshow"] = {}
            slideshow["slide_type"] = slide_type
            changed += 1
    return changed


def problems(notebook: nbjson.Notebook) -> list[str]:
    """What --check reports: missing or unknown slide types, unmarked sections and solutions."""
    found = []
    missing = [i for i, cell in enumerate(notebook["cells"]) if current_type(cell) is None]
    if missing:
        found.append(
            f"{len(missing)} of {len(notebook['cells'])} cells have no slide type "
            f"(first: cell {missing[0]}); run tools/site/slide_metadata.py on it"
        )
    for index, (cell, (expected, rule)) in enumerate(
        zip(notebook["cells"], slide_types(notebook), strict=True)
    ):
        actual = current_type(cell)
        if actual is None:
            continue
        if actual not in SLIDE_TYPES:
            found.append(f"cell {index}: unknown slide type {actual!r}")
        elif rule in ("title or section", "solution") and actual != expected:
            found.append(f"cell {index} ({rule}): slide type {actual!r}, expected {expected!r}")
    return found


def mid_cell_sections(notebook: nbjson.Notebook) -> list[str]:
    """Cells whose "## " heading is not their first line (the slide starts above it)."""
    notes = []
    for index, cell in enumerate(notebook["cells"]):
        if cell.get("cell_type") != "markdown":
            continue
        lines = [line for line in nbjson.markdown_lines(nbjson.source(cell)) if line.strip()]
        for number, line in enumerate(lines):
            if line.startswith("## ") and number > 0:
                notes.append(f"cell {index}: {line.strip()!r} is not the cell's first line")
    return notes


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("notebooks", nargs="+", type=Path)
    parser.add_argument("--check", action="store_true", help="write nothing; exit 1 on problems")
    parser.add_argument("--keep-existing", action="store_true",
                        help="fill only cells that have no slide type yet")
    parser.add_argument("--quiet", action="store_true", help="print problems only")
    args = parser.parse_args(argv)

    status = 0
    for path in args.notebooks:
        notebook = nbjson.read(path)
        if args.check:
            found = problems(notebook)
            for problem in found:
                print(f"{path}: {problem}")
            if found:
                status = 1
            elif not args.quiet:
                print(f"{path}: slide metadata present ({len(notebook['cells'])} cells)")
            continue
        changed = apply(notebook, keep_existing=args.keep_existing)
        written = nbjson.write_if_changed(path, notebook)
        if not args.quiet:
            counts = Counter(current_type(cell) for cell in notebook["cells"])
            summary = ", ".join(f"{counts[t]} {t}" for t in SLIDE_TYPES if counts[t])
            state = f"{changed} cells changed, written" if written else "unchanged"
            print(f"{path}: {summary} ({state})")
            for note in mid_cell_sections(notebook):
                print(f"  note: {note}")
    return status


if __name__ == "__main__":
    sys.exit(main())
