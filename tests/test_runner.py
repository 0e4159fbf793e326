"""The notebook runner (``python -m utils.notebooks``) never loses a student's work.

Fast runs write executed copies to a scratch folder and leave the notebooks byte for byte as
they were; full runs rewrite a notebook in place only when every cell ran; a failed run leaves
the committed notebook alone and says where its outputs went. Each test runs tiny notebooks
(made in ``tmp_path``) in a real ``python3`` kernel.
"""

from __future__ import annotations

import json
import os
import stat
import subprocess
from pathlib import Path

import nbformat
import pytest

import utils.results
from utils import notebooks
from utils.notebooks import DEFAULT_OUTPUT, execute, main

REPO_ROOT = Path(__file__).resolve().parent.parent

SHOW_MODE = 'import os\nprint("mode:", os.environ["COURSE_MODE"])'
# What a notebook's full run records: save_results writes nothing in fast mode.
SAVE_RESULTS = """\
from pathlib import Path
from utils.results import save_results
from utils.settings import RunSettings, run_mode
save_results("99_tiny", RunSettings(run_mode(), 42, "tensorflow", "3", None),
             Path("results"), accuracy=0.5)"""
FAIL = 'raise ValueError("a cell that fails")'


def make_notebook(folder: Path, name: str, *cells: str) -> Path:
    """A notebook of code cells, without outputs, at ``folder/name``; returns its path."""
    folder.mkdir(parents=True, exist_ok=True)
    notebook = nbformat.v4.new_notebook()
    notebook.cells = [nbformat.v4.new_code_cell(source) for source in cells]
    notebook.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3",
                                       "language": "python"}
    path = folder / name
    nbformat.write(notebook, path)
    return path


def printed(path: Path) -> str:
    """Everything the notebook at ``path`` printed, and the names of its errors."""
    notebook = nbformat.read(path, as_version=4)
    parts = []
    for cell in notebook.cells:
        for output in cell.get("outputs", []):
            parts.append(output.get("text", "") if output["output_type"] == "stream"
                         else output.get("ename", ""))
    return "".join(parts)


@pytest.fixture
def benchmarks(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """Counts the runner's calls of write_benchmarks (the real BENCHMARKS.md is never written)."""
    calls: list[int] = []

    def fake_write_benchmarks(path: Path | None = None) -> Path:
        calls.append(1)
        return Path("BENCHMARKS.md")

    monkeypatch.setattr(utils.results, "write_benchmarks", fake_write_benchmarks)
    return calls


def test_fast_run_writes_a_copy_and_never_touches_the_notebook(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str],
    benchmarks: list[int],
) -> None:
    path = make_notebook(tmp_path / "nbs", "tiny.ipynb", SHOW_MODE, SAVE_RESULTS)
    original = path.read_bytes()
    output = tmp_path / "runs"
    monkeypatch.setenv("COURSE_MODE", "full")  # the parent's mode must not reach the kernel
    assert main(["--mode", "fast", "--output", str(output), str(path)]) == 0
    assert path.read_bytes() == original
    assert "mode: fast" in printed(output / "tiny.ipynb")
    assert os.environ["COURSE_MODE"] == "full"  # the runner did not change its own environment
    assert not (tmp_path / "nbs" / "results").exists(), "a fast run recorded results"
    assert benchmarks == [], "BENCHMARKS.md is regenerated after full runs only"
    out = capsys.readouterr().out
    assert "in fast mode" in out and "done in" in out and " s;" in out  # the time it took
    assert str(path) in out and "untouched" in out


@pytest.mark.parametrize("mode", ["full", "fast"])
def test_failed_run_leaves_the_notebook_and_says_where_the_outputs_went(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], benchmarks: list[int], mode: str
) -> None:
    path = make_notebook(tmp_path / "nbs", "broken.ipynb", SHOW_MODE, FAIL, "print('after')")
    original = path.read_bytes()
    output = tmp_path / "runs"
    assert main(["--mode", mode, "--output", str(output), str(path)]) == 1
    assert path.read_bytes() == original
    copy = output / "broken.ipynb"
    assert f"mode: {mode}" in printed(copy) and "ValueError" in printed(copy)
    assert "after" not in printed(copy)
    assert benchmarks == []
    err = capsys.readouterr().err
    assert "FAILED after" in err and "ValueError: a cell that fails" in err
    assert str(copy) in err and "left as it was" in err
    assert [p.name for p in path.parent.iterdir()] == ["broken.ipynb"]  # no temporary files


def test_good_full_run_rewrites_the_notebook_in_place(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], benchmarks: list[int]
) -> None:
    path = make_notebook(tmp_path / "nbs", "tiny.ipynb", SHOW_MODE, SAVE_RESULTS)
    path.chmod(0o640)
    output = tmp_path / "runs"
    assert main(["--output", str(output), str(path)]) == 0  # full mode is the default
    assert "mode: full" in printed(path)
    assert stat.S_IMODE(path.stat().st_mode) == 0o640
    assert sorted(p.name for p in path.parent.iterdir()) == ["results", "tiny.ipynb"]
    record = json.loads((path.parent / "results" / "99_tiny.json").read_text())
    assert record["mode"] == "full" and record["accuracy"] == 0.5
    assert not output.exists()
    assert benchmarks == [1]
    out = capsys.readouterr().out
    assert "done in" in out and "saved in place" in out


def test_full_run_keeps_a_notebook_saved_while_it_ran(tmp_path: Path) -> None:
    """Someone saves the notebook during a long run: their version wins, the run goes aside."""
    edit = 'with open("edited.ipynb", "a") as handle:\n    handle.write("\\n")'
    path = make_notebook(tmp_path / "nbs", "edited.ipynb", SHOW_MODE, edit)
    saved_meanwhile = path.read_bytes() + b"\n"
    run = execute(path, "full", output_dir=tmp_path / "runs")
    assert not run.ok and "changed while it ran" in (run.error or "")
    assert path.read_bytes() == saved_meanwhile
    assert run.written == tmp_path / "runs" / "edited.ipynb"
    assert "mode: full" in printed(run.written)


def test_output_in_the_notebooks_folder_is_refused(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = make_notebook(tmp_path / "nbs", "tiny.ipynb", SHOW_MODE)
    original = path.read_bytes()
    for mode in ("fast", "full"):
        with pytest.raises(SystemExit, match="2") as exit_info:
            main(["--mode", mode, "--output", str(path.parent / "."), str(path)])
        assert exit_info.value.code == 2
        assert "would overwrite the notebooks" in capsys.readouterr().err
    with pytest.raises(ValueError, match="would overwrite"):
        execute(path, "fast", output_dir=path.parent)
    assert path.read_bytes() == original


def test_missing_notebook_is_a_usage_error(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    with pytest.raises(SystemExit, match="2") as exit_info:
        main(["--mode", "fast", str(tmp_path / "nope.ipynb")])
    assert exit_info.value.code == 2
    assert "no notebook at" in capsys.readouterr().err


def test_scratch_folder_and_logs_are_ignored_by_git() -> None:
    assert DEFAULT_OUTPUT == REPO_ROOT / "build" / "runs"
    paths = ["build/runs/02_lenet_mnist.ipynb", "run.log", "notebooks/full.log"]
    done = subprocess.run(["git", "check-ignore", "--no-index", *paths], cwd=REPO_ROOT,
                          capture_output=True, text=True)
    assert done.stdout.split() == paths, done.stderr


def test_setup_cell_comes_from_colab() -> None:
    from utils import colab

    assert notebooks.SETUP_CELL == colab.SETUP_CELL
    assert "SETUP_CELL" in notebooks.__all__
