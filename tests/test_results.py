"""Results files and BENCHMARKS.md."""

import json
import os
import signal
import sys

import numpy as np
import pytest

from utils import results
from utils.settings import RunSettings

FULL = RunSettings("full", 42, "tensorflow", "3.15.1", None)
FAST = RunSettings("fast", 42, "tensorflow", "3.15.1", None)


def test_full_run_writes_figures_with_context(tmp_path):
    path = results.save_results("99_demo", FULL, tmp_path, test_accuracy=0.9921, epochs=12,
                                runs={"bn": {"test_accuracy": 0.85}})
    record = json.loads(path.read_text())
    assert path.name == "99_demo.json"
    assert record["test_accuracy"] == 0.9921 and record["epochs"] == 12
    assert record["runs"]["bn"]["test_accuracy"] == 0.85
    for key in ("mode", "backend", "keras_version", "device", "cpu_count", "date"):
        assert key in record
    assert record["mode"] == "full"


def test_fast_run_records_nothing(tmp_path, capsys):
    assert results.save_results("99_demo", FAST, tmp_path, test_accuracy=0.5) is None
    assert not list(tmp_path.iterdir())
    assert "not recorded" in capsys.readouterr().out


@pytest.mark.parametrize(
    "kwargs, error, match",
    [
        ({}, ValueError, "nothing to record"),
        ({"accuracy": float("nan")}, ValueError, "finite"),
        ({"accuracy": np.array([0.9])}, TypeError, "ndarray of shape \\(1,\\).*tolist"),
        ({"accuracy": np.array(0.9)}, TypeError, "ndarray of shape \\(\\)"),
        ({"runs": {"a": np.zeros(3)}}, TypeError, "'runs.a' is a NumPy ndarray"),
        ({"accuracy": np.float32("nan")}, ValueError, "finite"),
        ({"accuracy": 1 + 2j}, TypeError, "complex"),
        ({"runs": {1: 0.5}}, TypeError, "keys of a recorded dict must be strings"),
        ({"mode": "full"}, ValueError, "filled in by save_results"),
    ],
)
def test_bad_figures_are_rejected(tmp_path, kwargs, error, match):
    with pytest.raises(error, match=match):
        results.save_results("99_demo", FULL, tmp_path, **kwargs)


@pytest.mark.parametrize("name", ["", "notebooks/02", "02_lenet_mnist.ipynb"])
def test_bad_notebook_name(tmp_path, name):
    with pytest.raises(ValueError, match="notebook must be"):
        results.save_results(name, FULL, tmp_path, accuracy=1.0)


def test_render_lists_every_figure(tmp_path):
    results.save_results("99_demo", FULL, tmp_path, test_accuracy=0.9921,
                         runs={"bn": {"train_seconds": 1234.5}})
    text = results.render_benchmarks(tmp_path)
    assert "## 99_demo" in text and "| `test_accuracy` | 0.9921 |" in text
    assert "| `runs.bn.train_seconds` | 1,234.5 |" in text


def test_benchmarks_md_is_current():
    """BENCHMARKS.md must be regenerated (python -m utils.results) after results change."""
    assert results.BENCHMARKS_FILE.exists(), "BENCHMARKS.md is missing: run python -m utils.results"
    assert results.BENCHMARKS_FILE.read_text() == results.render_benchmarks(), (
        "BENCHMARKS.md is out of date: run `python -m utils.results`"
    )


def test_every_results_file_comes_from_a_full_run_of_an_existing_notebook():
    notebooks = {p.stem for p in (results.REPO_ROOT / "notebooks").glob("*.ipynb")}
    for name, record in results.load_results().items():
        assert name in notebooks, f"results/{name}.json has no notebook"
        assert record["mode"] == "full", f"results/{name}.json is not from a full run"


def test_numpy_scalars_are_recorded_as_python_numbers(tmp_path):
    path = results.save_results(
        "99_demo", FULL, tmp_path, accuracy=np.float32(0.9), epochs=np.int64(3),
        converged=np.bool_(True), curve=[np.float64(0.5), np.float32(0.25)],
        runs={"bn": {"best_epoch": np.int32(7)}},
    )
    record = json.loads(path.read_text())
    assert record["accuracy"] == pytest.approx(0.9) and isinstance(record["accuracy"], float)
    assert record["epochs"] == 3 and isinstance(record["epochs"], int)
    assert record["converged"] is True
    assert record["curve"] == [0.5, 0.25] and record["runs"]["bn"]["best_epoch"] == 7
    text = results.render_benchmarks(tmp_path)
    assert "| `converged` | yes |" in text and "| `epochs` | 3 |" in text


def _files(folder):
    return sorted(p.name for p in folder.iterdir())


def test_a_failed_serialisation_leaves_the_old_file(tmp_path, monkeypatch):
    old = results.save_results("99_demo", FULL, tmp_path, test_accuracy=0.5).read_text()

    def broken_dumps(*args, **kwargs):
        raise RuntimeError("crash while serialising")

    monkeypatch.setattr(results.json, "dumps", broken_dumps)
    with pytest.raises(RuntimeError, match="crash while serialising"):
        results.save_results("99_demo", FULL, tmp_path, test_accuracy=0.9)
    assert (tmp_path / "99_demo.json").read_text() == old
    assert _files(tmp_path) == ["99_demo.json"]


def test_a_failed_replace_leaves_the_old_file_and_no_temporary(tmp_path, monkeypatch):
    old = results.save_results("99_demo", FULL, tmp_path, test_accuracy=0.5).read_text()

    def broken_replace(source, target):
        raise OSError("crash before the rename")

    monkeypatch.setattr(results.os, "replace", broken_replace)
    with pytest.raises(OSError, match="crash before the rename"):
        results.save_results("99_demo", FULL, tmp_path, test_accuracy=0.9)
    with pytest.raises(OSError, match="crash before the rename"):
        results.write_benchmarks(tmp_path / "BENCHMARKS.md", tmp_path)
    assert (tmp_path / "99_demo.json").read_text() == old
    assert _files(tmp_path) == ["99_demo.json"], "no temporary file left behind"


@pytest.fixture
def disk_full_after():
    """Make any write beyond ``limit`` bytes of a file fail, as on a full disk (RLIMIT_FSIZE).

    A real OS-level failure in the middle of writing, whatever code does the writing: a file
    written in place is left truncated, one written atomically is not.
    """
    if sys.platform != "linux":
        pytest.skip("RLIMIT_FSIZE is used as on Linux")
    import resource

    soft, hard = resource.getrlimit(resource.RLIMIT_FSIZE)
    previous = signal.signal(signal.SIGXFSZ, signal.SIG_IGN)  # EFBIG instead of being killed

    class Limit:
        def __enter__(self):
            resource.setrlimit(resource.RLIMIT_FSIZE, (1000, hard))

        def __exit__(self, *exc):
            resource.setrlimit(resource.RLIMIT_FSIZE, (soft, hard))

    yield Limit()
    resource.setrlimit(resource.RLIMIT_FSIZE, (soft, hard))
    signal.signal(signal.SIGXFSZ, previous)


def test_a_write_failing_midway_leaves_the_old_file_intact(tmp_path, disk_full_after):
    path = results.save_results("99_demo", FULL, tmp_path, test_accuracy=0.5)
    old = path.read_text()
    curve = [round(0.001 * i, 3) for i in range(1000)]  # far more than 1000 bytes of JSON
    with disk_full_after, pytest.raises(OSError, match="too large"):
        results.save_results("99_demo", FULL, tmp_path, test_accuracy=0.9, curve=curve)
    assert path.read_text() == old, "the old results survive a write that failed midway"
    assert json.loads(path.read_text())["test_accuracy"] == 0.5
    assert _files(tmp_path) == ["99_demo.json"], "no temporary file left behind"


def test_benchmarks_are_written_atomically(tmp_path, disk_full_after):
    target = tmp_path / "BENCHMARKS.md"
    target.write_text("# Benchmarks\n\nthe old table\n")
    os.chmod(target, 0o664)
    curve = [round(0.001 * i, 3) for i in range(1000)]
    results.save_results("99_demo", FULL, tmp_path / "results", curve=curve)
    with disk_full_after, pytest.raises(OSError, match="too large"):
        results.write_benchmarks(target, tmp_path / "results")
    assert target.read_text() == "# Benchmarks\n\nthe old table\n"
    assert _files(tmp_path) == ["BENCHMARKS.md", "results"]
    assert results.write_benchmarks(target, tmp_path / "results") == target
    assert target.read_text() == results.render_benchmarks(tmp_path / "results")
    assert "| `curve` | 0, 0.001," in target.read_text()
    assert target.stat().st_mode & 0o777 == 0o664, "the file keeps its permissions"
