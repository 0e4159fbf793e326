"""The course's public address and what is made from it: Colab badges, the setup cell, and a run
of that cell as Colab would run it (offline: a fake ``google.colab``, a local clone)."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
import types
from pathlib import Path

import nbformat
import pytest

from utils import colab, settings

REPO_ROOT = Path(__file__).resolve().parent.parent
NOTEBOOKS = sorted((REPO_ROOT / "notebooks").glob("*.ipynb"))
# Any Colab link to a notebook on GitHub: owner, name, branch and path inside the repository.
COLAB_LINK = re.compile(
    r"https://colab\.research\.google\.com/github/([^/\s)\"'<>]+)/([^/\s)\"'<>]+)"
    r"/blob/([^/\s)\"'<>]+)/([^\s)\"'<>]+)"
)
SUBPROCESS_TIMEOUT = 120  # seconds; each run takes well under 30 s on an idle 2-core machine


def _relative(path: Path) -> str:
    return path.relative_to(REPO_ROOT).as_posix()


def _write_pyproject(folder: Path, urls: str) -> Path:
    path = folder / "pyproject.toml"
    path.write_text(f'[project]\nname = "x"\nversion = "0"\n{urls}', encoding="utf-8")
    return path


# --- The address, and what is made from it ---------------------------------------------------


def test_repository_url_comes_from_pyproject(tmp_path):
    for written in ("https://github.com/someone/a-fork", "https://github.com/someone/a-fork.git",
                    "https://github.com/someone/a-fork/"):
        pyproject = _write_pyproject(tmp_path, f'[project.urls]\nRepository = "{written}"\n')
        assert colab.repository_url(pyproject) == "https://github.com/someone/a-fork"
    assert colab.repository_url() == colab.repository_url(REPO_ROOT / "pyproject.toml")


@pytest.mark.parametrize("url", ["https://gitlab.com/someone/course", "http://github.com/a/b",
                                 "https://github.com/only-owner", "https://github.com/a/b/c",
                                 "git@github.com:a/b.git"])
def test_repository_url_rejects_other_addresses(tmp_path, url):
    pyproject = _write_pyproject(tmp_path, f'[project.urls]\nRepository = "{url}"\n')
    with pytest.raises(ValueError, match=r"is not https://github\.com/OWNER/NAME"):
        colab.repository_url(pyproject)


@pytest.mark.parametrize("urls", ["", '[project.urls]\nHomepage = "https://github.com/a/b"\n'])
def test_repository_url_missing_entry_is_a_clear_error(tmp_path, urls):
    pyproject = _write_pyproject(tmp_path, urls)
    with pytest.raises(KeyError, match=r"has no \[project\.urls\] Repository entry"):
        colab.repository_url(pyproject)


def test_repository_url_missing_file_is_a_clear_error(tmp_path):
    with pytest.raises(FileNotFoundError, match="the course's address lives there"):
        colab.repository_url(tmp_path / "pyproject.toml")


def test_github_slug():
    assert colab.github_slug("https://github.com/some-one/my.course") == "some-one/my.course"
    assert colab.github_slug("https://github.com/a/b.git") == "a/b"
    assert colab.github_slug() == "/".join(colab.repository_url().split("/")[-2:])
    with pytest.raises(ValueError, match="not a GitHub repository address"):
        colab.github_slug("https://example.com/a/b")


def test_colab_url_and_badge():
    url = "https://github.com/a/b"
    expected = "https://colab.research.google.com/github/a/b/blob/main/notebooks/02_x.ipynb"
    assert colab.colab_url("notebooks/02_x.ipynb", url) == expected
    assert colab.colab_url(Path("notebooks/02_x.ipynb"), url) == expected
    assert colab.colab_url(REPO_ROOT / "notebooks" / "02_x.ipynb", url) == expected
    with pytest.raises(ValueError, match=r"ending in \.ipynb"):
        colab.colab_url("notebooks/02_x.py", url)
    assert colab.badge("notebooks/02_x.ipynb", url) == (
        f"[![Open In Colab]({colab.COLAB_BADGE_IMAGE})]({expected})"
    )
    ours = colab.colab_url("notebooks/02_x.ipynb")
    assert ours.startswith(f"https://colab.research.google.com/github/{colab.github_slug()}/")


def test_title_with_badge_puts_one_current_badge_under_the_h1():
    url = "https://github.com/a/b"
    new = colab.badge("notebooks/02_x.ipynb", url)
    old = colab.badge("notebooks/02_x.ipynb", "https://github.com/old/place")
    expected = f"# 02 — Title\n\n{new}\n\nSome text.\n\nMore."
    for source in ("# 02 — Title\n\nSome text.\n\nMore.",  # no badge yet
                   f"# 02 — Title\n\n{old}\n\nSome text.\n\nMore.",  # a stale one
                   f"# 02 — Title\n{old}\n{new}\n\n\nSome text.\n\nMore.\n",  # two
                   expected):  # already right
        assert colab.title_with_badge(source, "notebooks/02_x.ipynb", url) == expected
    assert colab.title_with_badge("# T", "notebooks/02_x.ipynb", url) == f"# T\n\n{new}"
    with pytest.raises(ValueError, match="must start with the H1 title"):
        colab.title_with_badge("Some text\n# T", "notebooks/02_x.ipynb", url)


def test_setup_cell_is_made_from_the_address():
    from utils import notebooks

    assert notebooks.SETUP_CELL == colab.SETUP_CELL == colab.setup_cell()
    assert f'"{colab.repository_url()}"' in colab.SETUP_CELL
    fork = colab.setup_cell("https://github.com/someone/a-fork")
    assert '"https://github.com/someone/a-fork"' in fork
    assert fork.replace("someone/a-fork", colab.github_slug()) == colab.SETUP_CELL
    compile(colab.SETUP_CELL, "<setup cell>", "exec")
    assert max(len(line) for line in colab.SETUP_CELL.splitlines()) <= 100


# --- The badges in the notebooks and the README ------------------------------------------------


def test_there_are_notebooks():
    assert NOTEBOOKS, "no notebooks found"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_notebook_has_one_colab_badge_under_its_title(path):
    notebook = nbformat.read(path, as_version=4)
    title = notebook.cells[0]
    assert title.cell_type == "markdown", f"{path.name}: the first cell is the title"
    lines = title.source.split("\n")
    expected = colab.badge(_relative(path))
    assert lines[0].startswith("# "), f"{path.name}: the first line is the H1 title"
    assert lines[1:3] == ["", expected], (
        f"{path.name}: the line after the title's blank line must be its Colab badge:\n"
        f"{expected}\n(run `.venv/bin/python -m utils.colab`)"
    )
    assert title.source == colab.title_with_badge(title.source, _relative(path))
    badges = sum(cell.source.count("[![Open In Colab]") for cell in notebook.cells)
    assert badges == 1, f"{path.name}: {badges} Colab badges, expected one (under the title)"


def _colab_links(text: str) -> list[tuple[str, str, str, str]]:
    return COLAB_LINK.findall(text)


@pytest.mark.parametrize("path", [*NOTEBOOKS, REPO_ROOT / "README.md"], ids=lambda p: p.name)
def test_every_colab_link_points_at_this_repository_and_an_existing_notebook(path):
    links = _colab_links(path.read_text(encoding="utf-8"))
    assert links, f"{path.name}: no Colab link found"
    slug = colab.github_slug()
    for owner, name, branch, inside in links:
        where = f"{path.name}: Colab link to {owner}/{name}/blob/{branch}/{inside}"
        assert f"{owner}/{name}" == slug, f"{where} is not this course's address ({slug})"
        assert branch == colab.BRANCH, f"{where} is not on the {colab.BRANCH} branch"
        assert inside.startswith("notebooks/") and inside.endswith(".ipynb"), where
        assert (REPO_ROOT / inside).is_file(), f"{where}: no such notebook"


def test_readme_has_one_current_badge_per_notebook():
    readme = (REPO_ROOT / "README.md").read_text(encoding="utf-8")
    for path in NOTEBOOKS:
        expected = colab.badge(_relative(path))
        count = readme.count(expected)
        assert count == 1, (
            f"README.md: {count} copies of {path.name}'s badge, expected one:\n{expected}"
        )
    badges = re.findall(r"\[!\[Open In Colab\]\([^)]*\)\]\([^)]*\)", readme)
    known = {colab.badge(_relative(path)) for path in NOTEBOOKS}
    strangers = [badge for badge in badges if badge not in known]
    assert not strangers, f"README.md: badges that are not generated by utils.colab: {strangers}"


# --- sync(): rewrites the generated cells, on a copy ---------------------------------------


def test_sync_rewrites_stale_cells_and_is_idempotent(tmp_path, monkeypatch):
    folder = tmp_path / "notebooks"
    folder.mkdir()
    small = sorted(NOTEBOOKS, key=lambda p: p.stat().st_size)[:2]
    for path in small:
        shutil.copy(path, folder / path.name)
    monkeypatch.setattr(colab, "REPO_ROOT", tmp_path)  # the copy stands for the repository
    assert colab.sync(folder) == [], "the committed notebooks are not in sync (run utils.colab)"

    stale, bare = (folder / path.name for path in small)
    old = "https://github.com/old/place"
    notebook = nbformat.read(stale, as_version=4)
    original = [dict(cell) for cell in notebook.cells]
    notebook.cells[0].source = colab.title_with_badge(notebook.cells[0].source,
                                                      f"notebooks/{stale.name}", old)
    first_code = next(c for c in notebook.cells if c.cell_type == "code")
    first_code.source = colab.setup_cell(old)
    nbformat.write(notebook, stale)
    notebook = nbformat.read(bare, as_version=4)
    notebook.cells[0].source = colab._BADGE_LINE.sub("", notebook.cells[0].source)
    nbformat.write(notebook, bare)
    assert colab.badge(f"notebooks/{bare.name}") not in bare.read_text(encoding="utf-8")

    assert colab.sync(folder) == sorted([stale, bare])
    for path in (stale, bare):
        text = path.read_text(encoding="utf-8")
        assert old not in text
        notebook = nbformat.read(path, as_version=4)
        assert notebook.cells[0].source == nbformat.read(REPO_ROOT / "notebooks" / path.name,
                                                         as_version=4).cells[0].source
        assert next(c for c in notebook.cells if c.cell_type == "code").source == colab.SETUP_CELL
    assert [dict(cell) for cell in nbformat.read(stale, as_version=4).cells] == original, (
        "sync must change nothing but the title's badge and the setup cell (outputs kept)"
    )
    assert colab.sync(folder) == [], "a second sync must change nothing"


# --- check_keras_version: what it tells a Colab user ------------------------------------------


def _fake_colab(monkeypatch):
    monkeypatch.setitem(sys.modules, "google.colab", types.ModuleType("google.colab"))


def test_old_keras_on_colab_says_pip_install_and_restart(monkeypatch):
    _fake_colab(monkeypatch)
    assert settings.on_colab()
    with pytest.raises(RuntimeError, match=r"pip install") as raised:
        settings.check_keras_version("3.10.0")
    message = str(raised.value)
    assert "Restart" in message and "found Keras 3.10.0" in message
    assert f"keras>={'.'.join(map(str, settings.MIN_KERAS))}" in message


def test_old_keras_off_colab_says_pip_install(monkeypatch):
    monkeypatch.delitem(sys.modules, "google.colab", raising=False)
    assert not settings.on_colab()
    with pytest.raises(RuntimeError, match=r"run `pip install 'keras>=\d+\.\d+'`"):
        settings.check_keras_version("3.10.0")


# --- The setup cell, run as Colab runs it ------------------------------------------------------

# The child process: like a fresh Colab kernel, where `utils` cannot be imported until the setup
# cell has cloned the course. argv: the setup cell's file, how many times to run it.
_CHILD = r'''
import importlib.util, json, os, subprocess, sys, types

# 1. No `utils` yet: drop the editable install's finder and any path entry that exposes the repo.
repo = os.environ["TEST_REPO_ROOT"]
sys.meta_path[:] = [f for f in sys.meta_path
                    if not getattr(f, "__module__", "").startswith("__editable__")
                    and not type(f).__module__.startswith("__editable__")]
sys.path[:] = [p for p in sys.path if p not in ("", ".")
               and os.path.abspath(p) not in (repo, os.getcwd())]
sys.path_importer_cache.clear()
assert importlib.util.find_spec("utils") is None, "utils is importable before the setup cell"

# 2. Colab's module (google is a real namespace package here, as on Colab).
try:
    import google
except ImportError:
    google = sys.modules["google"] = types.ModuleType("google")
google.colab = sys.modules["google.colab"] = types.ModuleType("google.colab")
# JAX's debugger imports google.colab.output when it sees Colab.
google.colab.output = sys.modules["google.colab.output"] = types.ModuleType("google.colab.output")

# 3. Run the cell, recording the commands it runs (not those of the libraries it imports).
commands = []
real_run = subprocess.run
def recording_run(command, *args, **kwargs):
    if sys._getframe(1).f_code.co_filename == "<setup cell>":
        commands.append([str(part) for part in command])
    return real_run(command, *args, **kwargs)
subprocess.run = recording_run
cell = open(sys.argv[1], encoding="utf-8").read()
runs = []
for _ in range(int(sys.argv[2])):
    commands.clear()
    namespace = {"__name__": "__main__"}
    exec(compile(cell, "<setup cell>", "exec"), namespace)
    import utils
    runs.append({"commands": list(commands), "utils": utils.__file__,
                 "mode": namespace["RUN"].mode})
print("REPORT " + json.dumps(runs))
'''


def _working_tree_repository(destination: Path) -> Path:
    """A git repository holding the working tree as it is now (committed or not)."""
    listed = subprocess.run(["git", "ls-files", "-z", "--cached", "--others", "--exclude-standard"],
                            cwd=REPO_ROOT, capture_output=True, text=True, check=True).stdout
    for name in filter(None, listed.split("\0")):
        source = REPO_ROOT / name
        if source.is_file():  # a file deleted but not yet committed is skipped
            (destination / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, destination / name)
    git = ["git", "-c", "user.name=test", "-c", "user.email=test@example.com",
           "-c", "init.defaultBranch=main", "-c", "commit.gpgsign=false"]
    for command in (["init", "-q"], ["add", "-A"], ["commit", "-q", "-m", "working tree"]):
        subprocess.run([*git, *command], cwd=destination, check=True, capture_output=True)
    return destination


@pytest.fixture(scope="module")
def colab_sandbox(tmp_path_factory):
    """A local clone source of the course, a stand-in for /content, and the child's setup."""
    if shutil.which("git") is None:
        pytest.skip("git is not installed")
    root = tmp_path_factory.mktemp("colab")
    source = _working_tree_repository(root / "src")
    (root / "cell.py").write_text(colab.SETUP_CELL, encoding="utf-8")
    (root / "child.py").write_text(_CHILD, encoding="utf-8")
    (root / "keras_home").mkdir()
    env = {key: value for key, value in os.environ.items()
           if key not in ("PYTHONPATH", "COURSE_MODE", "COURSE_REPO", "COURSE_DIR")}
    env.update(KERAS_BACKEND="jax", KERAS_HOME=str(root / "keras_home"), PIP_NO_INDEX="1",
               PIP_DISABLE_PIP_VERSION_CHECK="1", TEST_REPO_ROOT=str(REPO_ROOT),
               COURSE_REPO=f"file://{source}", GIT_TERMINAL_PROMPT="0")
    return root, env


def _run_child(root: Path, env: dict, times: int) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, str(root / "child.py"), str(root / "cell.py"),
                           str(times)], cwd=root, env=env, capture_output=True, text=True,
                          timeout=SUBPROCESS_TIMEOUT)


def _report(done: subprocess.CompletedProcess) -> list[dict]:
    assert done.returncode == 0, done.stdout + done.stderr
    lines = [line for line in done.stdout.splitlines() if line.startswith("REPORT ")]
    assert len(lines) == 1, done.stdout + done.stderr
    return json.loads(lines[0].removeprefix("REPORT "))


@pytest.fixture(scope="module")
def colab_run(colab_sandbox):
    """The setup cell run twice in one fresh Python, as on Colab without a GPU."""
    root, env = colab_sandbox
    course = root / "content" / "course"
    done = _run_child(root, {**env, "COURSE_DIR": str(course)}, times=2)
    return course, done, _report(done)


def test_setup_cell_on_colab_clones_the_course_and_imports_it_from_there(colab_run):
    course, done, runs = colab_run
    assert (course / ".git").is_dir() and (course / "utils" / "__init__.py").is_file()
    assert (course / "requirements-colab.txt").is_file()
    assert (course / ".git" / "shallow").is_file(), "the clone should be shallow (--depth=1)"
    first = runs[0]
    assert Path(first["utils"]) == course / "utils" / "__init__.py"
    assert [command[:2] for command in first["commands"]] == [["git", "clone"],
                                                              [sys.executable, "-m"]]
    assert "pip" in first["commands"][1] and "-r" in first["commands"][1]


def test_setup_cell_on_colab_without_gpu_chooses_fast_mode_and_says_so(colab_run):
    _, done, runs = colab_run
    assert [run["mode"] for run in runs] == ["fast", "fast"]
    setup_lines = [line for line in done.stdout.splitlines() if line.startswith("Keras ")]
    assert setup_lines and all("run mode: fast" in line for line in setup_lines), done.stdout
    assert "backend: jax" in setup_lines[0]
    assert "Colab: no GPU found, so run mode fast" in done.stdout, done.stdout


def test_setup_cell_run_again_does_not_clone_again(colab_run):
    course, _, runs = colab_run
    second = runs[1]
    assert len(second["commands"]) == 1 and "pip" in second["commands"][0], second["commands"]
    assert not any("clone" in command for command in second["commands"])
    assert Path(second["utils"]) == course / "utils" / "__init__.py"


def test_setup_cell_on_colab_says_what_failed_when_the_clone_fails(colab_sandbox):
    root, env = colab_sandbox
    missing = root / "no-such-repository"
    course = root / "content-failed" / "course"
    done = _run_child(root, {**env, "COURSE_REPO": f"file://{missing}",
                             "COURSE_DIR": str(course)}, times=1)
    assert done.returncode != 0
    assert "RuntimeError: Course setup could not clone file://" in done.stderr, done.stderr
    assert str(missing) in done.stderr
    assert "Fix that (or delete" in done.stderr and "run this cell again" in done.stderr
    assert not (course / "utils").exists()
