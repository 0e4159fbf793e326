"""Read and write notebooks as plain JSON, exactly as nbformat writes them.

The metadata scripts of tools/site/ change cell metadata only. Reading with ``json`` and writing
with nbformat's own layout (one-space indent, sorted keys, UTF-8, a final newline) keeps every
other byte of the file as it was: sources and outputs are never parsed into other types or
re-wrapped, so a file that gains no metadata is written back unchanged (and is not rewritten).
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

Notebook = dict[str, Any]
Cell = dict[str, Any]


def read(path: str | Path) -> Notebook:
    with open(path, encoding="utf-8") as handle:
        return json.load(handle)


def dumps(notebook: Notebook) -> str:
    """The text nbformat.write produces for this notebook (nbformat 4)."""
    return json.dumps(notebook, indent=1, sort_keys=True, ensure_ascii=False) + "\n"


def write_if_changed(path: str | Path, notebook: Notebook) -> bool:
    """Write ``notebook`` to ``path`` unless the file already holds exactly that text."""
    path = Path(path)
    text = dumps(notebook)
    if path.read_text(encoding="utf-8") == text:
        return False
    path.write_text(text, encoding="utf-8")
    return True


def source(cell: Cell) -> str:
    src = cell.get("source", "")
    return "".join(src) if isinstance(src, list) else src


def markdown_lines(text: str) -> list[str]:
    """The lines of a Markdown text outside fenced code blocks."""
    lines, fence = [], None
    for line in text.split("\n"):
        stripped = line.lstrip()
        match = re.match(r"(`{3,}|~{3,})", stripped)
        if match:
            if fence is None:
                fence = match.group(1)[0] * len(match.group(1))
            elif stripped.startswith(fence):
                fence = None
            continue
        if fence is None:
            lines.append(line)
    return lines


def headings(cell: Cell) -> list[tuple[int, str]]:
    """(level, title) of each ATX heading of a Markdown cell, outside code fences."""
    if cell.get("cell_type") != "markdown":
        return []
    found = []
    for line in markdown_lines(source(cell)):
        match = re.match(r"^(#{1,6})\s+(.*?)\s*#*\s*$", line)
        if match:
            found.append((len(match.group(1)), match.group(2)))
    return found


def section_count(notebook: Notebook) -> int:
    """How many "## " sections the notebook has (level-2 headings in Markdown cells)."""
    return sum(1 for cell in notebook["cells"] for level, _ in headings(cell) if level == 2)


def text_output_lines(cell: Cell) -> int:
    """Lines of text a code cell prints or displays (streams, text results, tracebacks)."""
    total = 0
    for output in cell.get("outputs", []):
        if output.get("output_type") == "stream":
            text = "".join(output.get("text", ""))
        elif output.get("output_type") == "error":
            text = "\n".join(output.get("traceback", []))
        else:
            data = output.get("data", {})
            if any(key.startswith("image/") for key in data):
                continue
            if "text/html" in data:
                text = "".join(data["text/html"])
                # an HTML table: count its rows, not its markup lines
                rows = text.count("<tr")
                total += rows if rows else 1
                continue
            text = "".join(data.get("text/plain", ""))
        total += len(text.rstrip("\n").split("\n")) if text.strip() else 0
    return total


def image_outputs(cell: Cell) -> int:
    """How many figures (image/png or image/jpeg outputs) a code cell shows."""
    return sum(
        1
        for output in cell.get("outputs", [])
        if {"image/png", "image/jpeg"} & set(output.get("data", {}))
    )


def without_metadata(notebook: Notebook) -> list[tuple[str, str, str]]:
    """Each cell's type, source and outputs as JSON text: what metadata scripts must not touch."""
    return [
        (
            cell.get("cell_type", ""),
            json.dumps(cell.get("source"), ensure_ascii=False),
            json.dumps(cell.get("outputs"), sort_keys=True, ensure_ascii=False),
        )
        for cell in notebook["cells"]
    ]
