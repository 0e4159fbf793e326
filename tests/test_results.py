"""Results files and BENCHMARKS.md."""

import json

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
        ({"accuracy": np.array([0.9])}, TypeError, "ndarray"),
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
