"""The course website and slide decks (docs/site.md; tools/site/).

* the metadata scripts (slide types, figure alt text) change cell metadata only, follow their
  rules and are idempotent; the student edition drops the solutions and nothing else;
* the committed notebooks carry the slide metadata and every figure's alt text (these two tests
  skip, saying so, until ``tools/site/slide_metadata.py`` and ``tools/site/figure_alt.py`` have
  been run on notebooks/);
* the website and every deck build from a copy of the notebooks with the scripts applied, with
  the network cut off inside the build, and every page, deck, script, style sheet and image
  they need is a local file.

The build test needs the docs requirements (``.venv/bin/pip install -r requirements-docs.txt``)
and, the first time only, npm to fetch reveal.js and MathJax into build/docs-cache/; without
them it skips and says which is missing. It takes about half a minute on 2 cores.
"""

from __future__ import annotations

import importlib.util
import json
import os
import re
import shutil
import subprocess
import sys
import textwrap
from html.parser import HTMLParser
from pathlib import Path

import pytest

REPO_ROOT = Path(__file__).resolve().parent.parent
SITE_TOOLS = REPO_ROOT / "tools" / "site"
NOTEBOOKS = sorted((REPO_ROOT / "notebooks").glob("*.ipynb"))
sys.path.insert(0, str(SITE_TOOLS))

import build_site  # noqa: E402
import figure_alt  # noqa: E402
import nbjson  # noqa: E402
import slide_metadata  # noqa: E402
import student_edition  # noqa: E402

COLAB_BADGE = "https://colab.research.google.com/assets/colab-badge.svg"


def _colab_module():
    spec = importlib.util.spec_from_file_location("course_colab", REPO_ROOT / "utils" / "colab.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _md(text: str, **metadata) -> dict:
    return {"cell_type": "markdown", "id": f"m{abs(hash(text)) % 10**8}",
            "metadata": metadata, "source": text}


def _code(text: str, outputs: list | None = None) -> dict:
    return {"cell_type": "code", "execution_count": None, "id": f"c{abs(hash(text)) % 10**8}",
            "metadata": {}, "outputs": outputs or [], "source": text}


PNG_OUTPUT = {"output_type": "display_data", "metadata": {},
              "data": {"image/png": "iVBORw0KGgo=", "text/plain": "<Figure>"}}


def _toy_notebook() -> dict:
    cells = [
        _md("# A title\n\nintro"),
        _code("# Setup: the same first cell in every notebook\nimport utils"),
        _md("Some prose."),
        _md("## 1. A section"),
        _code("x = 1"),
        _code("\n".join(f"y{i} = {i}" for i in range(30))),
        _code("fig, ax = plt.subplots()\nax.plot([1, 2])\nax.set_title('Loss')\n"
              "ax.set_xlabel('epoch')\nax.set_ylabel(f'loss ({unit})')", [PNG_OUTPUT]),
        _code("print('many')", [{"output_type": "stream", "name": "stdout",
                                 "text": "".join(f"line {i}\n" for i in range(40))}]),
        _md("### A part"),
        _md("**Speaker notes:** say this, do not show it."),
        _md("Text, then a heading in the middle.\n\n## 2. Another section"),
        _md("## Exercises\n\n### Exercise 1: a question"),
        _code("answer = None"),
        _code("def check_exercise_1(answer):\n    return answer == 2"),
        _md("### Solution"),
        _code("answer = 2"),
        _md("### Exercise 2: another"),
        _code("answer_2 = None"),
    ]
    return {"cells": cells, "metadata": {}, "nbformat": 4, "nbformat_minor": 5}


def test_slide_rules_on_a_toy_notebook():
    types = [t for t, _ in slide_metadata.slide_types(_toy_notebook())]
    assert types == ["slide", "skip", "-", "slide", "-", "subslide", "subslide", "subslide",
                     "subslide", "notes", "slide", "slide", "-", "skip", "skip", "skip",
                     "subslide", "-"]


def test_slide_check_reports_missing_and_wrong_types(tmp_path):
    path = tmp_path / "toy.ipynb"
    path.write_text(nbjson.dumps(_toy_notebook()), encoding="utf-8")
    assert slide_metadata.main(["--check", "--quiet", str(path)]) == 1
    assert slide_metadata.main(["--quiet", str(path)]) == 0
    assert slide_metadata.main(["--check", "--quiet", str(path)]) == 0
    notebook = nbjson.read(path)
    notebook["cells"][3]["metadata"]["slideshow"]["slide_type"] = "-"  # a section, not a slide
    path.write_text(nbjson.dumps(notebook), encoding="utf-8")
    assert slide_metadata.problems(notebook) == [
        "cell 3 (title or section): slide type '-', expected 'slide'"]
    # a hand-made choice survives --keep-existing; the rules reset it without
    notebook["cells"][4]["metadata"]["slideshow"] = {"slide_type": "fragment"}
    path.write_text(nbjson.dumps(notebook), encoding="utf-8")
    slide_metadata.main(["--quiet", "--keep-existing", str(path)])
    assert slide_metadata.current_type(nbjson.read(path)["cells"][4]) == "fragment"
    slide_metadata.main(["--quiet", str(path)])
    assert slide_metadata.current_type(nbjson.read(path)["cells"][4]) == "-"


def test_figure_alt_from_titles_and_labels():
    code = _toy_notebook()["cells"][6]["source"]
    assert figure_alt.describe_source(code) == (
        "Line plot: Loss. X axis epoch, y axis loss (…).")
    grid = 'fig = image_grid(x[:8], labels, title="The first 8 digits")'
    assert figure_alt.describe_source(grid, figures=2) == (
        "Grid of images (2 figures): The first 8 digits.")
    assert figure_alt.describe_source("fig = draw(x)") is None  # no title: needs a person
    assert figure_alt.describe_source("%matplotlib inline\nplt.suptitle('Accuracy')") == (
        "Figure: Accuracy.")


def test_figure_alt_fills_keeps_and_asks(tmp_path, capsys):
    notebook = _toy_notebook()
    notebook["cells"].append(_code("fig = draw(x)", [PNG_OUTPUT]))
    path = tmp_path / "toy.ipynb"
    path.write_text(nbjson.dumps(notebook), encoding="utf-8")
    assert figure_alt.main(["--check", str(path)]) == 1
    assert figure_alt.main([str(path)]) == 1  # cell 18 has no title: reported, exit 1
    assert "cell 18: NO TITLE FOUND" in capsys.readouterr().out
    assert figure_alt.main(["--set", "18=A hand-written description.", str(path)]) == 0
    assert figure_alt.main(["--check", str(path)]) == 0
    cells = nbjson.read(path)["cells"]
    assert cells[18]["metadata"] == {"mystnb": {"image": {"alt": "A hand-written description."}}}
    assert figure_alt.alt_text(cells[6]) == "Line plot: Loss. X axis epoch, y axis loss (…)."
    figure_alt.set_alt_text(cells[6], "Edited by hand.")
    path.write_text(nbjson.dumps(dict(nbjson.read(path), cells=cells)), encoding="utf-8")
    figure_alt.main([str(path)])  # existing descriptions are kept
    assert figure_alt.alt_text(nbjson.read(path)["cells"][6]) == "Edited by hand."


@pytest.fixture(scope="module")
def applied_copies(tmp_path_factory):
    """Copies of the notebooks, as read, and with both metadata scripts applied."""
    folder = tmp_path_factory.mktemp("notebooks") / "notebooks"
    folder.mkdir()
    originals = {}
    for path in NOTEBOOKS:
        originals[path.name] = path.read_text(encoding="utf-8")
        (folder / path.name).write_text(originals[path.name], encoding="utf-8")
    copies = sorted(folder.glob("*.ipynb"))
    assert slide_metadata.main(["--quiet", *map(str, copies)]) == 0
    figure_alt.main(list(map(str, copies)))  # cells without a title keep no description
    return folder, originals


def test_metadata_scripts_change_metadata_only(applied_copies):
    folder, originals = applied_copies
    assert originals, "no notebooks in notebooks/"
    for name, original_text in originals.items():
        original = json.loads(original_text)
        applied = nbjson.read(folder / name)
        assert nbjson.without_metadata(applied) == nbjson.without_metadata(original), name
        # put the original metadata back: the file is then byte for byte the original
        for cell, old in zip(applied["cells"], original["cells"], strict=True):
            cell["metadata"] = old["metadata"]
        assert nbjson.dumps(applied) == original_text, name


def test_metadata_scripts_are_idempotent(applied_copies):
    folder, _ = applied_copies
    paths = sorted(folder.glob("*.ipynb"))
    before = {p: p.read_bytes() for p in paths}
    slide_metadata.main(["--quiet", *map(str, paths)])
    figure_alt.main(list(map(str, paths)))
    assert {p: p.read_bytes() for p in paths} == before
    assert slide_metadata.main(["--check", "--quiet", *map(str, paths)]) == 0


def test_every_figure_of_the_copies_is_described(applied_copies):
    folder, _ = applied_copies
    lacking = {p.name: figure_alt.missing(nbjson.read(p)) for p in sorted(folder.glob("*.ipynb"))}
    assert not any(lacking.values()), (
        f"figures whose code has no title, to describe by hand: {lacking}")


def test_committed_notebooks_have_slide_metadata():
    notebooks = {p: nbjson.read(p) for p in NOTEBOOKS}
    problems = {p.name: slide_metadata.problems(nb) for p, nb in notebooks.items()}
    assert not any(problems.values()), problems


def test_committed_figures_have_alt_text():
    notebooks = {p: nbjson.read(p) for p in NOTEBOOKS}
    lacking = {p.name: figure_alt.missing(nb) for p, nb in notebooks.items()}
    assert not any(lacking.values()), (
        f"cells that draw a figure without alt text (metadata.mystnb.image.alt): {lacking}")


def test_student_edition_drops_solutions_only(tmp_path):
    notebook = _toy_notebook()
    edition, dropped = student_edition.student_notebook(notebook)
    assert dropped == 2
    assert [c["source"] for c in edition["cells"]] == [
        c["source"] for c in notebook["cells"] if c["source"] not in ("### Solution", "answer = 2")]
    for path in NOTEBOOKS:
        edition, dropped = student_edition.student_notebook(nbjson.read(path))
        assert not any(slide_metadata._is_solution_heading(c) for c in edition["cells"])


def test_course_map_gets_decks_and_repository_links():
    readme = textwrap.dedent("""\
        # A course

        Intro, see [the benchmarks](BENCHMARKS.md) and [`results/`](results/).

        | notebook | what you do | Colab |
        |---|---|---|
        | [`00_a`](notebooks/00_a.ipynb) | do | [![Open In Colab](https://b)](https://colab/00_a) |

        ## Two commands
        """)
    page = build_site.course_map(readme, {"00_a.ipynb"})
    repository = _colab_module().repository_url()
    assert "## Two commands" not in page
    assert "[the benchmarks](benchmarks.md)" in page
    assert f"[`results/`]({repository}/tree/main/results/)" in page
    assert "| notebook | what you do | Colab | slides |" in page
    assert "|---|---|---|---|" in page
    assert ('| [`00_a`](notebooks/00_a.ipynb) | do | [Open\u00a0in\u00a0Colab](https://colab/00_a)'
            ' | <a href="slides/00_a.slides.html">slides</a> |') in page


# ---- the build ------------------------------------------------------------------------------

NETWORK_GUARD = '''\
"""Loaded by every Python of the docs build (PYTHONPATH): no connection leaves the machine."""
import os
import socket

_LOG = os.environ["DOCS_NETWORK_LOG"]
_LOCAL = ("127.0.0.1", "::1", "localhost")
with open(_LOG + ".loaded", "a") as _handle:  # the test checks that the guard was in place
    _handle.write(f"{os.getpid()}\\n")


def _refuse(what):
    with open(_LOG, "a") as handle:
        handle.write(f"{what}\\n")
    raise OSError(f"network used during the docs build: {what}")


_connect, _connect_ex, _getaddrinfo = (
    socket.socket.connect, socket.socket.connect_ex, socket.getaddrinfo)


def connect(self, address):
    if self.family in (socket.AF_INET, socket.AF_INET6) and address[0] not in _LOCAL:
        _refuse(f"connect {address}")
    return _connect(self, address)


def connect_ex(self, address):
    if self.family in (socket.AF_INET, socket.AF_INET6) and address[0] not in _LOCAL:
        _refuse(f"connect {address}")
    return _connect_ex(self, address)


def getaddrinfo(host, *args, **kwargs):
    if host not in _LOCAL and host is not None:
        _refuse(f"resolve {host}")
    return _getaddrinfo(host, *args, **kwargs)


socket.socket.connect, socket.socket.connect_ex, socket.getaddrinfo = (
    connect, connect_ex, getaddrinfo)
'''


class _Tags(HTMLParser):
    """Top-level <section>s (the slides), and the resources a page loads."""

    def __init__(self):
        super().__init__()
        self.depth = 0
        self.slides = 0
        self.resources: list[tuple[str, str]] = []
        self.images: list[dict] = []

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        if tag == "section":
            self.slides += self.depth == 0
            self.depth += 1
        elif tag == "script" and attributes.get("src"):
            self.resources.append(("script", attributes["src"]))
        elif tag == "link" and attributes.get("rel") in ("stylesheet", "preload") \
                and attributes.get("href"):
            self.resources.append(("link", attributes["href"]))
        elif tag == "img":
            self.images.append(attributes)

    def handle_endtag(self, tag):
        if tag == "section":
            self.depth -= 1


def _parse(path: Path) -> _Tags:
    tags = _Tags()
    tags.feed(path.read_text(encoding="utf-8"))
    return tags


def _local_file(page: Path, url: str) -> Path | None:
    """The file a page's relative URL names, or None for a URL that leaves the site."""
    if url.startswith("data:"):
        return page
    if re.match(r"^[a-z][a-z0-9+.-]*:|^//", url):
        return None
    return (page.parent / url.split("?")[0].split("#")[0]).resolve()


@pytest.fixture(scope="module")
def built(applied_copies, tmp_path_factory):
    pytest.importorskip("sphinx", reason="docs requirements missing: "
                        ".venv/bin/pip install -r requirements-docs.txt")
    pytest.importorskip("myst_nb", reason="docs requirements missing: "
                        ".venv/bin/pip install -r requirements-docs.txt")
    pytest.importorskip("sphinx_book_theme", reason="docs requirements missing: "
                        ".venv/bin/pip install -r requirements-docs.txt")
    import js_vendor

    cache = js_vendor.cache_dir() / "node_modules"
    if not cache.is_dir() and shutil.which("npm") is None:
        pytest.skip("reveal.js and MathJax are not in build/docs-cache/ and npm is missing")
    js_vendor.node_modules()  # the one step allowed a network (the first time only)

    folder, _ = applied_copies
    work = tmp_path_factory.mktemp("site")
    guard = work / "guard"
    guard.mkdir()
    (guard / "sitecustomize.py").write_text(NETWORK_GUARD)
    log = work / "network.log"
    log.write_text("")
    env = dict(os.environ, PYTHONPATH=str(guard), DOCS_NETWORK_LOG=str(log))
    out = work / "site"
    done = subprocess.run(
        [sys.executable, str(SITE_TOOLS / "build_site.py"), "--quiet", "--notebooks",
         str(folder), "--out", str(out), "--src", str(work / "src")],
        env=env, capture_output=True, text=True, timeout=900)
    assert done.returncode == 0, done.stdout[-4000:] + done.stderr[-4000:]
    slides_out = work / "slides"
    done = subprocess.run(
        [sys.executable, str(SITE_TOOLS / "build_slides.py"), "--quiet", "--out",
         str(slides_out), *map(str, sorted(folder.glob("*.ipynb")))],
        env=env, capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stdout[-4000:] + done.stderr[-4000:]
    return folder, out, slides_out, log


def test_build_used_no_network(built):
    *_, log = built
    loaded = Path(f"{log}.loaded")
    assert loaded.is_file() and len(loaded.read_text().split()) >= 3, "the guard was not loaded"
    assert log.read_text() == "", f"the build tried the network:\n{log.read_text()}"


def test_every_notebook_has_a_page_and_a_deck(built):
    folder, out, slides_out, _ = built
    colab = _colab_module()
    for path in sorted(folder.glob("*.ipynb")):
        page = out / "notebooks" / f"{path.stem}.html"
        assert page.is_file(), f"no page for {path.name}"
        text = page.read_text(encoding="utf-8")
        assert f'href="{colab.colab_url(f"notebooks/{path.name}")}"' in text, "no Colab link"
        assert f'href="../slides/{path.stem}.slides.html"' in text, "no link to the deck"
        sections = nbjson.section_count(nbjson.read(path))
        assert sections > 0
        for deck in (out / "slides" / f"{path.stem}.slides.html",
                     slides_out / f"{path.stem}.slides.html"):
            assert deck.is_file(), f"no deck {deck}"
            slides = _parse(deck).slides
            assert slides >= sections, f"{deck.name}: {slides} slides for {sections} sections"
    for name in ("index.html", "benchmarks.html", "data.html", "instructors.html", "site.html"):
        assert (out / name).is_file(), name
    index = (out / "index.html").read_text(encoding="utf-8")
    for path in sorted(folder.glob("*.ipynb")):
        assert f'href="notebooks/{path.stem}.html"' in index
        assert f'href="slides/{path.stem}.slides.html"' in index


def test_pages_and_decks_load_only_local_files(built):
    _, out, slides_out, _ = built
    pages = sorted(out.glob("*.html")) + sorted((out / "notebooks").glob("*.html"))
    decks = [*sorted((out / "slides").glob("*.slides.html")),
             *sorted(slides_out.glob("*.slides.html"))]
    for page in pages + decks + [out / "slides" / "index.html", slides_out / "index.html"]:
        tags = _parse(page)
        urls = [url for _, url in tags.resources]
        urls += [img["src"] for img in tags.images if img.get("src") != COLAB_BADGE]
        for url in urls:
            target = _local_file(page, url)
            assert target is not None, f"{page.name} loads {url} from outside the site"
            assert target.is_file(), f"{page.name} loads {url}: no such file"
    for page in (out / "notebooks").glob("*.html"):
        mathjax = [url for kind, url in _parse(page).resources if "mathjax" in url.lower()]
        assert all(url.startswith("../_static/mathjax/") for url in mathjax), mathjax
    for deck in decks:
        resources = dict((url.split("/")[-1].split("?")[0], url)
                         for _, url in _parse(deck).resources)
        assert resources["require.js"] == "_static/require.js"
        assert resources["MathJax.js"].startswith("_static/mathjax/MathJax.js")
        assert resources["reveal.css"] == "_static/reveal.js/dist/reveal.css"
        assert (deck.parent / "_static/reveal.js/dist/reveal.js").is_file()
        assert (deck.parent / "_static/reveal.js/plugin/notes/notes.js").is_file()


def test_figures_have_alt_text_on_the_site_and_in_the_decks(built):
    folder, out, slides_out, _ = built
    for path in sorted(folder.glob("*.ipynb")):
        cells = nbjson.read(path)["cells"]
        figures = [i for i in figure_alt.figure_cells({"cells": cells})
                   for _ in range(nbjson.image_outputs(cells[i]))]
        on_slides = [i for i in figures if slide_metadata.current_type(cells[i]) != "skip"]
        for html_file, shown in ((out / "notebooks" / f"{path.stem}.html", figures),
                                 (slides_out / f"{path.stem}.slides.html", on_slides)):
            images = [img for img in _parse(html_file).images
                      if img.get("src") != COLAB_BADGE and "logo" not in img.get("alt", "")]
            expected = [figure_alt.alt_text(cells[i]) for i in shown]
            assert all(expected), f"{path.name}: a figure without alt text"
            assert [img.get("alt") for img in images] == expected, html_file.name
