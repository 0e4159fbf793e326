"""The browser libraries of the website and the decks, from the npm registry, pinned, offline.

``tools/site/package.json`` names them and ``tools/site/package-lock.json`` pins each to a version
and an integrity hash:

* reveal.js 5.2.1: the decks. nbconvert's reveal template loads ``dist/reveal.js`` and
  ``plugin/notes/notes.js`` with RequireJS; reveal.js 6 moved the plugins to ``dist/plugin``, so
  5.2.1, the last 5.x, is the newest that fits the template as it is.
* MathJax 2.7.9 (as ``mathjax2``): the decks' equations. nbconvert configures MathJax 2
  (``MathJax.Hub``) and re-renders each slide with it.
* MathJax 3.2.2: the website's equations (``mathjax_path`` in docs/conf.py; Sphinx's default
  would load MathJax 4 from a CDN, and MathJax 4 fetches its fonts from a CDN too, 3.2.2 carries
  its fonts).
* RequireJS 2.3.7 and jQuery 3.7.1: the deck template's loader and helper (nbconvert would load
  2.1.10 and 2.0.3 from a CDN).

``npm ci`` installs them once into a cache folder (``build/docs-cache/`` by default, or
``$DOCS_CACHE``), checked against the lock file's hashes; later builds reuse it without a network
(and npm's own cache, ``~/.npm``, serves a fresh install offline). The builds copy from there only
the files a browser needs (about 11 MB for the decks, 9 MB for the website).

    .venv/bin/python tools/site/js_vendor.py     # install (if needed) and print the folder
"""

from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO_ROOT = HERE.parent.parent
DEFAULT_CACHE = REPO_ROOT / "build" / "docs-cache"
LOCK = HERE / "package-lock.json"
MANIFEST = HERE / "package.json"


def cache_dir() -> Path:
    return Path(os.environ.get("DOCS_CACHE", DEFAULT_CACHE)).resolve()


def node_modules() -> Path:
    """The installed packages, installing them first if the cache does not match the lock."""
    cache = cache_dir()
    modules = cache / "node_modules"
    stamp = cache / "installed-from.sha256"
    digest = hashlib.sha256(LOCK.read_bytes() + MANIFEST.read_bytes()).hexdigest()
    if modules.is_dir() and stamp.is_file() and stamp.read_text().strip() == digest:
        return modules
    npm = shutil.which("npm")
    if npm is None:
        raise SystemExit(
            "npm is needed once to fetch reveal.js and MathJax (Node.js 18 or newer: "
            "`apt-get install -y nodejs npm` on Debian/Ubuntu, `brew install node` on macOS)"
        )
    cache.mkdir(parents=True, exist_ok=True)
    shutil.copy2(MANIFEST, cache / "package.json")
    shutil.copy2(LOCK, cache / "package-lock.json")
    command = [npm, "ci", "--ignore-scripts", "--no-audit", "--no-fund", "--prefer-offline",
               "--loglevel=error"]
    print(f"installing reveal.js and MathJax (pinned in {LOCK.relative_to(REPO_ROOT)}) "
          f"into {cache}", file=sys.stderr)
    done = subprocess.run(command, cwd=cache, capture_output=True, text=True)
    if done.returncode != 0:
        raise SystemExit(f"`npm ci` failed in {cache}:\n{done.stderr.strip()}\n"
                         "It needs the npm registry once (later builds use the cache).")
    stamp.write_text(digest + "\n")
    return modules


def _copy(source: Path, target: Path) -> None:
    if source.is_dir():
        shutil.copytree(source, target, dirs_exist_ok=True)
    else:
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(source, target)


def slides_static(target: Path) -> dict[str, str]:
    """Copy what the decks load into ``target``; returns the exporter's URLs, relative to it."""
    modules = node_modules()
    reveal, mathjax = modules / "reveal.js", modules / "mathjax2"
    for part in ("dist", "plugin", "LICENSE"):
        _copy(reveal / part, target / "reveal.js" / part)
    for part in ("MathJax.js", "LICENSE", "config/TeX-AMS_CHTML-full.js", "config/Safe.js",
                 "config/local", "extensions", "jax/element", "jax/input",
                 "jax/output/CommonHTML", "jax/output/PreviewHTML", "jax/output/NativeMML",
                 "jax/output/HTML-CSS", "fonts/HTML-CSS/TeX/woff", "fonts/HTML-CSS/TeX/otf",
                 "localization/en"):
        _copy(mathjax / part, target / "mathjax" / part)
    _copy(modules / "requirejs" / "require.js", target / "require.js")
    _copy(modules / "jquery" / "dist" / "jquery.min.js", target / "jquery.min.js")
    name = target.name
    return {
        "reveal_url_prefix": f"{name}/reveal.js",
        "mathjax_url": f"{name}/mathjax/MathJax.js?config=TeX-AMS_CHTML-full,Safe",
        "require_js_url": f"{name}/require.js",
        "jquery_url": f"{name}/jquery.min.js",
    }


def site_static(target: Path) -> str:
    """Copy MathJax 3 for the website into ``target``/mathjax; returns its script's path."""
    es5 = node_modules() / "mathjax" / "es5"
    for part in ("tex-mml-chtml.js", "input", "output/chtml", "ui", "a11y", "adaptors", "sre"):
        _copy(es5 / part, target / "mathjax" / part)
    _copy(es5.parent / "LICENSE", target / "mathjax" / "LICENSE")
    return "mathjax/tex-mml-chtml.js"


if __name__ == "__main__":
    print(node_modules())
