"""Build a reveal.js deck from every notebook, for a classroom without a network.

    .venv/bin/python tools/site/build_slides.py                 # notebooks/*.ipynb -> build/slides
    .venv/bin/python tools/site/build_slides.py --out DIR NB... # other notebooks, other folder

Each notebook becomes ``build/slides/<name>.slides.html`` (``jupyter nbconvert --to slides``, with
the course's template, tools/site/templates/course_reveal), beside ``index.html`` (a list of the
decks) and ``_static/`` (reveal.js, MathJax 2, RequireJS and jQuery from the pinned npm packages:
tools/site/js_vendor.py). The decks load nothing from the network: copy the whole folder to a USB
stick and open ``index.html``.

What the deck shows differs from the notebook in two ways, both in the deck only (the notebook
is read, never written):

* printed output longer than 25 lines is shortened to its first 12 and last 6 lines, with a line
  saying how many were left out (training logs would otherwise fill a slide per epoch);
* a notebook whose cells have no slide types yet gets them, for this build, from the rules of
  tools/site/slide_metadata.py (the build says so). Run that script on the notebook to keep them
  (and to edit them in JupyterLab, where jupyterlab-rise presents the same slides live).
"""

from __future__ import annotations

import argparse
import copy
import html
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

import js_vendor  # noqa: E402
import nbjson  # noqa: E402
import slide_metadata  # noqa: E402

REPO_ROOT = HERE.parent.parent
KEEP_HEAD, KEEP_TAIL = 12, 6


def _clip(text: str) -> str:
    lines = text.split("\n")
    trailing = lines[-1] == ""
    if trailing:
        lines = lines[:-1]
    if len(lines) <= slide_metadata.LONG_LINES:
        return text
    left_out = len(lines) - KEEP_HEAD - KEEP_TAIL
    marker = f"⋮ ({left_out} more lines: the notebook shows them all)"
    clipped = lines[:KEEP_HEAD] + [marker] + lines[-KEEP_TAIL:]
    return "\n".join(clipped) + ("\n" if trailing else "")


def deck_notebook(notebook: dict) -> tuple[dict, bool]:
    """A copy of ``notebook`` as the deck shows it; True if slide types had to be filled in."""
    notebook = copy.deepcopy(notebook)
    filled = any(slide_metadata.current_type(c) is None for c in notebook["cells"])
    if filled:
        slide_metadata.apply(notebook, keep_existing=True)
    for cell in notebook["cells"]:
        for output in cell.get("outputs", []):
            if output.get("output_type") == "stream":
                output["text"] = _clip("".join(output.get("text", "")))
            elif "text/plain" in output.get("data", {}) and len(output["data"]) == 1:
                output["data"]["text/plain"] = _clip("".join(output["data"]["text/plain"]))
    return notebook, filled


def exporter(urls: dict[str, str]):
    from nbconvert import SlidesExporter
    from traitlets.config import Config

    config = Config()
    config.SlidesExporter.update(urls)
    config.SlidesExporter.reveal_scroll = True  # a tall slide scrolls instead of being cut off
    config.SlidesExporter.reveal_number = "c/t"
    config.SlidesExporter.exclude_input_prompt = True
    config.SlidesExporter.exclude_output_prompt = True
    config.SlidesExporter.template_name = "course_reveal"
    config.SlidesExporter.extra_template_basedirs = [str(HERE / "templates")]
    return SlidesExporter(config=config)


def title_of(notebook: dict, fallback: str) -> str:
    for cell in notebook["cells"]:
        for level, title in nbjson.headings(cell):
            if level == 1:
                return title
    return fallback


def build(notebooks: list[Path], out: Path, quiet: bool = False) -> list[Path]:
    import nbformat

    started = time.perf_counter()
    out.mkdir(parents=True, exist_ok=True)
    urls = js_vendor.slides_static(out / "_static")
    slides = exporter(urls)
    decks = []
    for path in notebooks:
        raw = nbjson.read(path)
        shown, filled = deck_notebook(raw)
        if filled and not quiet:
            print(f"{path}: no slide metadata in the notebook; the rules of "
                  f"tools/site/slide_metadata.py applied for this build only")
        node = nbformat.reads(nbjson.dumps(shown), as_version=4)
        title = title_of(raw, path.stem)
        body, _ = slides.from_notebook_node(node, resources={"metadata": {"name": title}})
        target = out / f"{path.stem}.slides.html"
        target.write_text(body, encoding="utf-8")
        decks.append(target)
        if not quiet:
            print(f"{target} ({len(body) / 1e6:.1f} MB)")
    items = "\n".join(
        f'  <li><a href="{d.name}">{html.escape(title_of(nbjson.read(p), p.stem))}</a></li>'
        for p, d in zip(notebooks, decks, strict=True)
    )
    (out / "index.html").write_text(
        "<!DOCTYPE html>\n<html lang=\"en\">\n<head><meta charset=\"utf-8\">"
        "<title>Course slides</title>\n<style>body{font:18px/1.5 sans-serif;max-width:48em;"
        "margin:2em auto;padding:0 1em}</style></head>\n<body>\n<h1>Slides of the course</h1>\n"
        "<p>One deck per notebook. Keys: space or arrows to move, <kbd>s</kbd> for the speaker "
        "view, <kbd>f</kbd> for full screen, <kbd>Esc</kbd> for an overview.</p>\n"
        f"<ul>\n{items}\n</ul>\n</body>\n</html>\n",
        encoding="utf-8",
    )
    if not quiet:
        print(f"{len(decks)} decks in {out} ({time.perf_counter() - started:.1f} s)")
    return decks


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("notebooks", nargs="*", type=Path,
                        help="default: notebooks/*.ipynb")
    parser.add_argument("--out", type=Path, default=REPO_ROOT / "build" / "slides")
    parser.add_argument("--quiet", action="store_true")
    args = parser.parse_args(argv)
    notebooks = args.notebooks or sorted((REPO_ROOT / "notebooks").glob("*.ipynb"))
    if not notebooks:
        parser.error("no notebooks given and none in notebooks/")
    build(notebooks, args.out, quiet=args.quiet)
    return 0


if __name__ == "__main__":
    sys.exit(main())
