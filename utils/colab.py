"""The course's public address, and what is generated from it: the setup cell and Colab badges.

The address is written in one place, ``pyproject.toml``::

    [project.urls]
    Repository = "https://github.com/<owner>/<name>"

Everything that needs it is made from there: the first code cell of every notebook
(:data:`SETUP_CELL`, which clones the course on Colab), and the "Open in Colab" badge under each
notebook's title and in README.md. After changing the address (a fork, a move), run::

    .venv/bin/python -m utils.colab      # rewrites the setup cell and the badges, nothing else

A test checks that every notebook and the README carry what this module generates.
"""

from __future__ import annotations

import re
import sys
import tomllib
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parent.parent
PYPROJECT = REPO_ROOT / "pyproject.toml"
NOTEBOOKS_DIR = REPO_ROOT / "notebooks"
README = REPO_ROOT / "README.md"
BRANCH = "main"
COLAB_BADGE_IMAGE = "https://colab.research.google.com/assets/colab-badge.svg"

_GITHUB = re.compile(r"https://github\.com/([A-Za-z0-9_.-]+)/([A-Za-z0-9_.-]+?)(?:\.git)?/?")


def repository_url(pyproject: Path = PYPROJECT) -> str:
    """The course's public address, from ``[project.urls] Repository`` in ``pyproject.toml``.

    >>> repository_url()  # doctest: +SKIP
    'https://github.com/dl-course/keras-course'
    """
    try:
        with open(pyproject, "rb") as handle:
            url = tomllib.load(handle)["project"]["urls"]["Repository"]
    except FileNotFoundError:
        message = f"{pyproject} is missing: the course's address lives there"
        raise FileNotFoundError(message) from None
    except KeyError:
        raise KeyError(f"{pyproject} has no [project.urls] Repository entry") from None
    if not _GITHUB.fullmatch(url):
        raise ValueError(f"Repository = {url!r} in {pyproject} is not https://github.com/OWNER/NAME")
    return url.removesuffix("/").removesuffix(".git")


def github_slug(url: str | None = None) -> str:
    """``owner/name`` of the repository (Colab's GitHub links need it)."""
    match = _GITHUB.fullmatch(url or repository_url())
    if match is None:
        raise ValueError(f"not a GitHub repository address: {url!r}")
    return f"{match.group(1)}/{match.group(2)}"


def colab_url(notebook: str | Path, url: str | None = None) -> str:
    """Colab's address of a notebook of the course, e.g. ``notebooks/02_lenet_mnist.ipynb``."""
    path = Path(notebook)
    if path.suffix != ".ipynb":
        raise ValueError(f"expected a notebook path ending in .ipynb, got {str(notebook)!r}")
    if path.is_absolute():
        path = path.relative_to(REPO_ROOT)
    return f"https://colab.research.google.com/github/{github_slug(url)}/blob/{BRANCH}/{path.as_posix()}"


def badge(notebook: str | Path, url: str | None = None) -> str:
    """The Markdown of an "Open in Colab" badge for ``notebook``."""
    return f"[![Open In Colab]({COLAB_BADGE_IMAGE})]({colab_url(notebook, url)})"


# The first code cell of every notebook. {repository} is filled in from pyproject.toml.
_SETUP_CELL_TEMPLATE = '''\
# Setup: the same first cell in every notebook (see README.md, "Run modes and backends").
import os
import sys

os.environ.setdefault("KERAS_BACKEND", "tensorflow")  # or "jax" / "torch": set before Keras loads
if "google.colab" in sys.modules:  # on Colab: fetch the course's helpers (COURSE_REPO: a fork)
    import subprocess

    COURSE_REPO = os.environ.get("COURSE_REPO", "{repository}")
    COURSE_DIR = os.environ.get("COURSE_DIR", "/content/course")
    steps = [("clone " + COURSE_REPO, ["git", "clone", "-q", "--depth=1", COURSE_REPO, COURSE_DIR]),
             ("install requirements-colab.txt", [sys.executable, "-m", "pip", "install", "-q",
                                                 "-r", COURSE_DIR + "/requirements-colab.txt"])]
    cloned = os.path.isfile(COURSE_DIR + "/utils/__init__.py")
    for what, command in steps[1:] if cloned else steps:
        done = subprocess.run(command, capture_output=True, text=True)
        if done.returncode != 0:
            raise RuntimeError(f"Course setup could not {{what}}:\\n{{done.stderr.strip()}}\\n"
                               f"Fix that (or delete {{COURSE_DIR}}) and run this cell again.")
    if COURSE_DIR not in sys.path:
        sys.path.insert(0, COURSE_DIR)

import utils

RUN = utils.setup(seed=42)  # seeds, quiet logs, one line: versions, backend, GPU, run mode'''


def setup_cell(url: str | None = None) -> str:
    """The standard first code cell, with the course's address in it."""
    return _SETUP_CELL_TEMPLATE.format(repository=url or repository_url())


SETUP_CELL = setup_cell()

_BADGE_LINE = re.compile(r"^\[!\[Open In Colab\]\([^)]*\)\]\([^)]*\)\s*$", re.MULTILINE)


def title_with_badge(title_source: str, notebook: str | Path, url: str | None = None) -> str:
    """A notebook's first (title) cell with exactly one up-to-date badge under the H1 line."""
    lines = _BADGE_LINE.sub("", title_source).split("\n")
    if not lines or not lines[0].startswith("# "):
        raise ValueError(f"{notebook}: the first cell must start with the H1 title ('# ...')")
    body = "\n".join(lines[1:]).lstrip("\n")
    return f"{lines[0]}\n\n{badge(notebook, url)}\n\n{body}".rstrip("\n")


def sync(notebooks_dir: Path = NOTEBOOKS_DIR) -> list[Path]:
    """Rewrite the setup cell and the badge of every notebook from the current address.

    Only those two cells change (their outputs are kept); returns the notebooks rewritten.
    """
    import nbformat

    changed = []
    for path in sorted(Path(notebooks_dir).glob("*.ipynb")):
        notebook = nbformat.read(path, as_version=4)
        relative = path.resolve().relative_to(Path(notebooks_dir).resolve().parent)
        title = title_with_badge(notebook.cells[0].source, relative)
        first_code = next(c for c in notebook.cells if c.cell_type == "code")
        if notebook.cells[0].source == title and first_code.source == SETUP_CELL:
            continue
        notebook.cells[0].source = title
        first_code.source = SETUP_CELL
        nbformat.write(notebook, path)
        changed.append(path)
    return changed


def main() -> int:
    for path in sync():
        print(f"updated {path.relative_to(REPO_ROOT)}")
    print(f"setup cells and badges point at {repository_url()}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
