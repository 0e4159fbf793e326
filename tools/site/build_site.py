"""Build the course website (Sphinx, MyST-NB, sphinx-book-theme) with every deck, offline.

    .venv/bin/python tools/site/build_site.py             # -> build/site/ (open index.html)
    .venv/bin/python tools/site/build_site.py --notebooks DIR --out DIR

Steps (docs/site.md says why):

1. assemble the sources in ``build/site-src/`` (``--src``): the landing page (docs/index.md with
   README.md's course map), the notebooks as committed, BENCHMARKS.md, data/README.md and the
   pages of docs/. Links to files of the repository that are not pages become links to the
   repository on GitHub. A figure without alt text, or a notebook without slide types, gets
   them for the build from tools/site/figure_alt.py's and slide_metadata.py's rules (the build
   names each); the notebooks themselves are never written;
2. ``sphinx-build -W --keep-going -b html -c docs build/site-src build/site``: warnings are
   errors, nothing is executed (``nb_execution_mode = "off"``), nothing is downloaded;
3. the decks (tools/site/build_slides.py) into ``build/site/slides/``, where each notebook page's
   "Slides" link points.

The folder is the whole site: publish it as it is (it has a ``.nojekyll`` for GitHub Pages).
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

import build_slides  # noqa: E402
import figure_alt  # noqa: E402
import js_vendor  # noqa: E402
import nbjson  # noqa: E402
import slide_metadata  # noqa: E402

REPO_ROOT = HERE.parent.parent
DOCS = REPO_ROOT / "docs"
COURSE_MAP_MARK = "<!-- course map: from README.md, by tools/site/build_site.py -->"
# repository file -> page of the site (the other files are linked on GitHub)
PAGES = {"BENCHMARKS.md": "benchmarks.md", "data/README.md": "data.md"}
_LINK = re.compile(r"(?<!!)\[([^\]]*)\]\(([^)\s]+)\)")
_BADGE = re.compile(r"\[!\[Open In Colab\]\([^)]*\)\]\(([^)]*)\)")


def _colab():
    import importlib.util

    spec = importlib.util.spec_from_file_location("course_colab", REPO_ROOT / "utils" / "colab.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def rewrite_links(text: str, where: str, notebooks: set[str]) -> str:
    """Point the relative links of a repository file (at ``where``) at the site or GitHub."""
    colab = _colab()
    text = _BADGE.sub(lambda m: f"[Open\u00a0in\u00a0Colab]({m.group(1)})", text)

    def target(match: re.Match) -> str:
        label, link = match.groups()
        if re.match(r"^[a-z][a-z0-9+.-]*:", link) or link.startswith("#"):
            return match.group(0)
        path, _, anchor = link.partition("#")
        resolved = os.path.normpath(os.path.join(os.path.dirname(where), path))
        if resolved in PAGES:
            new = PAGES[resolved] + (f"#{anchor}" if anchor else "")
        elif resolved.startswith("notebooks/") and Path(resolved).name in notebooks:
            new = resolved
        else:
            kind = "tree" if path.endswith("/") else "blob"
            new = f"{colab.repository_url()}/{kind}/{colab.BRANCH}/{resolved}"
            new += "/" if path.endswith("/") else ""
            new += f"#{anchor}" if anchor else ""
        return f"[{label}]({new})"

    return _LINK.sub(target, text)


def course_map(readme: str, notebooks: set[str]) -> str:
    """README.md from its title to its first "## " section, with a column of decks added."""
    lines = readme.split("\n")
    start = next(i for i, line in enumerate(lines) if line.startswith("# "))
    end = next((i for i, line in enumerate(lines) if line.startswith("## ") and i > start),
               len(lines))
    out = []
    for line in lines[start:end]:
        match = re.match(r"^\| *\[`?([\w-]+)`?\]\(notebooks/([\w-]+)\.ipynb\)", line)
        if match and f"{match.group(2)}.ipynb" in notebooks:
            line = line.rstrip().rstrip("|").rstrip()
            line += f' | <a href="slides/{match.group(2)}.slides.html">slides</a> |'
        elif re.match(r"^\| *notebook *\|", line):
            line = line.rstrip() + " slides |"
        elif re.match(r"^\|(-+\|)+\s*$", line.strip()) and out and "slides |" in out[-1]:
            line = line.rstrip() + "---|"
        out.append(line)
    return rewrite_links("\n".join(out).rstrip() + "\n", "README.md", notebooks)


def _write(path: Path, text: str) -> None:
    """Write only when the text changed, so that Sphinx rebuilds only what changed."""
    path.parent.mkdir(parents=True, exist_ok=True)
    if not path.exists() or path.read_text(encoding="utf-8") != text:
        path.write_text(text, encoding="utf-8")


def site_notebook(path: Path, quiet: bool) -> str:
    """The notebook as the site shows it: alt text (and slide types) filled in where missing."""
    notebook = nbjson.read(path)
    for index in figure_alt.missing(notebook):
        cell = notebook["cells"][index]
        text = figure_alt.describe_source(nbjson.source(cell), nbjson.image_outputs(cell))
        how = "generated from its titles for this build"
        if text is None:
            text = f"Figure drawn by cell {index} of {path.stem} (no description yet)"
            how = "NO DESCRIPTION: a placeholder for this build"
        figure_alt.set_alt_text(cell, text)
        if not quiet:
            print(f"{path}: cell {index}: alt text {how} (tools/site/figure_alt.py writes it)")
    slide_metadata.apply(notebook, keep_existing=True)
    return nbjson.dumps(notebook)


def assemble(src: Path, notebooks: list[Path], quiet: bool = False) -> None:
    names = {p.name for p in notebooks}
    # stale pages of notebooks that are gone would still be built: remove them
    for old in (src / "notebooks").glob("*.ipynb") if (src / "notebooks").is_dir() else []:
        if old.name not in names:
            old.unlink()
    for path in notebooks:
        _write(src / "notebooks" / path.name, site_notebook(path, quiet))
    readme = (REPO_ROOT / "README.md").read_text(encoding="utf-8")
    index = (DOCS / "index.md").read_text(encoding="utf-8")
    if COURSE_MAP_MARK not in index:
        raise SystemExit(f"docs/index.md lacks the line {COURSE_MAP_MARK!r}")
    _write(src / "index.md", index.replace(COURSE_MAP_MARK, course_map(readme, names)))
    for repo_file, page in PAGES.items():
        text = (REPO_ROOT / repo_file).read_text(encoding="utf-8")
        _write(src / page, rewrite_links(text, repo_file, names))
    for page in sorted(DOCS.glob("*.md")):
        if page.name != "index.md":
            _write(src / page.name, rewrite_links(page.read_text(encoding="utf-8"),
                                                  f"docs/{page.name}", names))


def build(notebooks: list[Path], out: Path, src: Path, quiet: bool = False) -> float:
    started = time.perf_counter()
    assemble(src, notebooks, quiet)
    static = src.parent / (src.name + "-static")
    mathjax = js_vendor.site_static(static)
    assert mathjax == "mathjax/tex-mml-chtml.js"
    env = dict(os.environ, COURSE_SITE_STATIC=str(static))
    command = [sys.executable, "-m", "sphinx", "-W", "--keep-going", "-b", "html",
               "-c", str(DOCS), "-d", str(src.parent / (src.name + "-doctrees")),
               str(src), str(out)]
    if quiet:
        command.insert(3, "-q")
    done = subprocess.run(command, env=env)
    if done.returncode != 0:
        raise SystemExit(f"sphinx-build failed (exit {done.returncode}): see its messages above")
    build_slides.build(notebooks, out / "slides", quiet=True)
    (out / ".nojekyll").touch()
    seconds = time.perf_counter() - started
    if not quiet:
        print(f"website in {out} ({seconds:.0f} s): open {out / 'index.html'}")
    return seconds


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--notebooks", type=Path, default=REPO_ROOT / "notebooks",
                        help="folder of the notebooks (default: notebooks/)")
    parser.add_argument("--out", type=Path, default=REPO_ROOT / "build" / "site")
    parser.add_argument("--src", type=Path, default=REPO_ROOT / "build" / "site-src",
                        help="where the sources are assembled")
    parser.add_argument("--clean", action="store_true", help="rebuild every page")
    parser.add_argument("--quiet", action="store_true")
    args = parser.parse_args(argv)
    notebooks = sorted(args.notebooks.glob("*.ipynb"))
    if not notebooks:
        parser.error(f"no notebooks in {args.notebooks}")
    if args.clean:
        for folder in (args.out, args.src, args.src.parent / (args.src.name + "-doctrees")):
            shutil.rmtree(folder, ignore_errors=True)
    build(notebooks, args.out.resolve(), args.src.resolve(), quiet=args.quiet)
    return 0


if __name__ == "__main__":
    sys.exit(main())
