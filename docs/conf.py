"""Sphinx configuration of the course website (built by tools/site/build_site.py).

The sources are not this folder: the build assembles them in build/site-src/ (the landing page
from docs/index.md and README.md's course map, the notebooks, BENCHMARKS.md, data/README.md and
the pages of docs/) and runs ``sphinx-build -W -c docs build/site-src build/site``.
Nothing is executed and nothing is downloaded: the notebooks are shown with their committed
outputs, and MathJax comes from the pinned npm package (tools/site/js_vendor.py).
"""

from __future__ import annotations

import importlib.util
import os
from pathlib import Path

DOCS = Path(__file__).resolve().parent
REPO_ROOT = DOCS.parent

# utils/colab.py builds the Colab address of a notebook from pyproject.toml (one source of truth);
# loaded by path so that the build does not import utils (and with it Keras).
_spec = importlib.util.spec_from_file_location("course_colab", REPO_ROOT / "utils" / "colab.py")
colab = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(colab)

project = "Deep learning with Keras 3: a hands-on course"
author = "the course's authors"
copyright = "the course's authors, MIT licence"  # noqa: A001 (Sphinx's name)

extensions = ["myst_nb"]
nb_execution_mode = "off"  # show the committed outputs of the full-mode runs; run nothing
nb_merge_streams = True  # one block per cell for its printed lines, as in JupyterLab
myst_enable_extensions = ["dollarmath"]
myst_heading_anchors = 3
exclude_patterns = ["**.ipynb_checkpoints", "_build"]
templates_path = [str(DOCS / "_templates")]

html_theme = "sphinx_book_theme"
html_title = "Deep learning with Keras 3"
html_static_path = [str(DOCS / "_static")]
if os.environ.get("COURSE_SITE_STATIC"):  # the vendored MathJax (tools/site/build_site.py)
    html_static_path.append(os.environ["COURSE_SITE_STATIC"])
html_css_files = ["course.css"]
html_last_updated_fmt = None

# MathJax 3.2.2 from the npm package, served from the site itself (_static/mathjax/): equations
# render offline. Sphinx's default would be MathJax 4 from a CDN.
mathjax_path = "mathjax/tex-mml-chtml.js"
mathjax3_config = {
    "options": {"processHtmlClass": "tex2jax_process|mathjax_process|math|output_area"}
}

html_theme_options = {
    "repository_url": colab.repository_url(),
    "repository_branch": colab.BRANCH,
    "path_to_docs": "",  # build/site-src mirrors the repository: notebooks/<name>.ipynb
    "use_repository_button": True,
    "use_download_button": True,
    "launch_buttons": {"colab_url": "https://colab.research.google.com"},
    "article_header_end": ["course-links.html", "article-header-buttons.html"],
    "show_navbar_depth": 1,
}


def _page_links(app, pagename, templatename, context, doctree):
    """Each notebook page: its Colab address and its deck (course-links.html shows both)."""
    if pagename.startswith("notebooks/"):
        name = pagename.removeprefix("notebooks/")
        context["course_colab_url"] = colab.colab_url(f"notebooks/{name}.ipynb")
        context["course_slides"] = f"slides/{name}.slides.html"


def setup(app):
    app.connect("html-page-context", _page_links)
