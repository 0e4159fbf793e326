"""Give every figure of the notebooks a one-line description: the website's alt text.

    .venv/bin/python tools/site/figure_alt.py notebooks/*.ipynb              # fill what it can
    .venv/bin/python tools/site/figure_alt.py --interactive notebooks/05_rnn_text_generation.ipynb
    .venv/bin/python tools/site/figure_alt.py --set 17="Gradient norm ..." notebooks/05_....ipynb
    .venv/bin/python tools/site/figure_alt.py --check notebooks/*.ipynb      # exit 1 if lacking

Where it is kept: in the metadata of the cell that draws the figure, under the key MyST-NB reads
for the images of a cell's outputs (``nb_render_image_options``, cell key ``image``)::

    "metadata": {"mystnb": {"image": {"alt": "Line plot: Warm-up and cosine decay. ..."}}}

MyST-NB writes it as the ``alt`` of the ``<img>`` on the website; the slide decks read the same
entry (tools/site/templates/course_reveal). One cell has one entry: a cell that draws several
figures (a loop) gets one description of them all, which says how many there are.

How a description is made: from the cell's source, with Python's ``ast``: the kind of plot (the
course's helpers ``image_grid``, ``plot_history``, ``plot_confusion``; matplotlib's ``plot``,
``scatter``, ``bar``, ``imshow``, ...), the figure's title (``suptitle``, or a helper's
``title=``), the panels' titles (``set_title``, ``ax.set(title=...)``) and the axis labels. The
parts of an f-string computed at run time become "…". A cell where no title is found needs a
manual entry: ``--set CELL=TEXT`` or ``--interactive`` (which asks for each). Descriptions that
are there already are never overwritten (hand-written ones stay), unless ``--force``.

Review what the script wrote (it prints every description) before committing: a description
from titles says what the figure is about, not what it shows; add what a reader should see.
"""

from __future__ import annotations

import argparse
import ast
import re
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import nbjson  # noqa: E402

MAX_LENGTH = 300
KINDS = {  # function or method name -> kind of figure, most specific first
    "plot_confusion": "Confusion matrix",
    "plot_history": "Learning curves",
    "image_grid": "Grid of images",
    "scatter": "Scatter plot",
    "bar": "Bar chart",
    "barh": "Bar chart",
    "hist": "Histogram",
    "semilogy": "Line plot",
    "semilogx": "Line plot",
    "loglog": "Line plot",
    "plot": "Line plot",
    "imshow": "Images",
}


def alt_text(cell: nbjson.Cell) -> str | None:
    """The stored description of a cell's figures, or None."""
    mystnb = cell.get("metadata", {}).get("mystnb", {})
    alt = mystnb.get("image", {}).get("alt") if isinstance(mystnb, dict) else None
    return alt.strip() if isinstance(alt, str) and alt.strip() else None


def set_alt_text(cell: nbjson.Cell, text: str) -> None:
    metadata = cell.setdefault("metadata", {})
    mystnb = metadata.setdefault("mystnb", {})
    image = mystnb.setdefault("image", {})
    image["alt"] = " ".join(text.split())


def _string(node: ast.AST) -> str | None:
    """The text of a string literal or f-string (run-time parts as "…")."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return node.value
    if isinstance(node, ast.JoinedStr):
        parts = []
        for value in node.values:
            if isinstance(value, ast.Constant):
                parts.append(str(value.value))
            else:
                parts.append("…")
        return "".join(parts)
    if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Add):
        left, right = _string(node.left), _string(node.right)
        if left is not None and right is not None:
            return left + right
    return None


def _clean(text: str) -> str:
    text = text.replace("\n", " ").replace("$", "")
    text = re.sub(r"\\(mathrm|text|mathbf)\{([^}]*)\}", r"\2", text)
    return " ".join(text.split()).strip(" :;,")


def _informative(text: str) -> bool:
    """False for titles made mostly at run time ("… (…x…)"): they describe nothing."""
    return len(re.findall(r"[^\W\d_]", text.replace("…", ""))) >= 3


def _call_name(node: ast.Call) -> str:
    func = node.func
    if isinstance(func, ast.Attribute):
        return func.attr
    if isinstance(func, ast.Name):
        return func.id
    return ""


def describe_source(code: str, figures: int = 1) -> str | None:
    """A one-line description from the titles and labels in ``code``; None if it has no title."""
    code = "\n".join(
        "" if line.lstrip().startswith(("%", "!")) else line for line in code.split("\n")
    )
    try:
        tree = ast.parse(code)
    except SyntaxError:
        return None
    figure_titles: list[str] = []
    panel_titles: list[str] = []
    labels: dict[str, list[str]] = {"x": [], "y": []}
    called: set[str] = set()

    def add(bucket: list[str], node: ast.AST | None) -> None:
        text = _clean(_string(node) or "") if node is not None else ""
        if _informative(text) and text not in bucket:
            bucket.append(text)

    for node in ast.walk(tree):
        if not isinstance(node, ast.Call):
            continue
        name = _call_name(node)
        called.add(name)
        first = node.args[0] if node.args else None
        keywords = {k.arg: k.value for k in node.keywords if k.arg}
        if name == "suptitle":
            add(figure_titles, first)
        elif name in ("set_title", "title"):
            add(panel_titles, first)
        elif name in ("set_xlabel", "xlabel"):
            add(labels["x"], first)
        elif name in ("set_ylabel", "ylabel"):
            add(labels["y"], first)
        elif name == "set":
            add(panel_titles, keywords.get("title"))
            add(labels["x"], keywords.get("xlabel"))
            add(labels["y"], keywords.get("ylabel"))
        elif "title" in keywords and name not in ("legend",):
            add(figure_titles, keywords["title"])

    titles = figure_titles + [t for t in panel_titles if t not in figure_titles]
    if not titles:
        return None
    kinds = list(dict.fromkeys(kind for function, kind in KINDS.items() if function in called))
    if "Grid of images" in kinds and "Images" in kinds:
        kinds.remove("Images")
    kind = " and ".join([kinds[0]] + [k.lower() for k in kinds[1:2]]) if kinds else "Figure"
    main, panels = titles[0], titles[1:]
    head = f"{kind} ({figures} figures)" if figures > 1 else kind
    parts = [f"{head}: {main}"]
    if panels:
        shown = panels[:6]
        more = f" and {len(panels) - 6} more" if len(panels) > 6 else ""
        parts.append(f"panels: {'; '.join(shown)}{more}")
    axes = [f"{axis} axis {' / '.join(values[:2])}" for axis, values in labels.items() if values]
    if axes:
        parts.append(", ".join(axes))
    text = " ".join(
        part[0].upper() + part[1:] + ("" if part[-1] in ".?!" else ".") for part in parts
    )
    if len(text) > MAX_LENGTH:
        text = text[: MAX_LENGTH - 1].rsplit(" ", 1)[0] + "…"
    return text


def figure_cells(notebook: nbjson.Notebook) -> list[int]:
    return [
        index
        for index, cell in enumerate(notebook["cells"])
        if cell.get("cell_type") == "code" and nbjson.image_outputs(cell)
    ]


def missing(notebook: nbjson.Notebook) -> list[int]:
    """The cells that draw a figure and have no description."""
    return [i for i in figure_cells(notebook) if alt_text(notebook["cells"][i]) is None]


def _ask(path: Path, index: int, cell: nbjson.Cell) -> str | None:
    head = "\n".join("    " + line for line in nbjson.source(cell).split("\n")[:12])
    print(f"\n{path}, cell {index} draws {nbjson.image_outputs(cell)} figure(s):\n{head}")
    try:
        answer = input("one-line description (empty: leave it for later): ").strip()
    except EOFError:
        return None
    return answer or None


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("notebooks", nargs="+", type=Path)
    parser.add_argument("--check", action="store_true",
                        help="write nothing; exit 1 if a figure has no description")
    parser.add_argument("--set", action="append", default=[], metavar="CELL=TEXT",
                        help="the description of cell number CELL (one notebook only)")
    parser.add_argument("--interactive", action="store_true",
                        help="ask for each figure left without a description")
    parser.add_argument("--force", action="store_true",
                        help="replace existing descriptions with generated ones")
    args = parser.parse_args(argv)
    if args.set and len(args.notebooks) != 1:
        parser.error("--set needs exactly one notebook")

    status = 0
    for path in args.notebooks:
        notebook = nbjson.read(path)
        cells = notebook["cells"]
        if args.check:
            lacking = missing(notebook)
            for index in lacking:
                print(f"{path}: cell {index} draws a figure and has no alt text "
                      f"(metadata.mystnb.image.alt); run tools/site/figure_alt.py on it")
            if lacking:
                status = 1
            else:
                print(f"{path}: {len(figure_cells(notebook))} figure cells, all described")
            continue
        for item in args.set:
            number, _, text = item.partition("=")
            index = int(number)
            if index not in figure_cells(notebook):
                parser.error(f"{path}: cell {index} draws no figure")
            set_alt_text(cells[index], text)
            print(f"{path}: cell {index}: set by hand: {alt_text(cells[index])}")
        for index in figure_cells(notebook):
            cell = cells[index]
            if alt_text(cell) and not args.force:
                continue
            text = describe_source(nbjson.source(cell), nbjson.image_outputs(cell))
            if text:
                set_alt_text(cell, text)
                print(f"{path}: cell {index}: {text}")
        for index in missing(notebook):
            text = _ask(path, index, cells[index]) if args.interactive else None
            if text:
                set_alt_text(cells[index], text)
            else:
                print(f"{path}: cell {index}: NO TITLE FOUND, needs a description by hand "
                      f"(--set {index}=... or --interactive)")
                status = 1
        if nbjson.write_if_changed(path, notebook):
            print(f"{path}: written")
    return status


if __name__ == "__main__":
    sys.exit(main())
