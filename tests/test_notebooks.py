"""Checks on the committed notebooks (they are also executed in fast mode by nbval)."""

import re
import shutil
import subprocess
import sys
from pathlib import Path

import nbformat
import pytest

from utils.notebooks import SETUP_CELL

REPO_ROOT = Path(__file__).resolve().parent.parent
NOTEBOOKS = sorted((REPO_ROOT / "notebooks").glob("*.ipynb"))
MAX_BYTES = 5 * 1024 * 1024


def _code_cells(path):
    notebook = nbformat.read(path, as_version=4)
    return [c for c in notebook.cells if c.cell_type == "code" and c.source.strip()]


def test_there_are_notebooks_with_numbered_names():
    assert NOTEBOOKS, "no notebooks found"
    for path in NOTEBOOKS:
        assert re.fullmatch(r"\d\d_[a-z0-9_]+\.ipynb", path.name), path.name


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_starts_with_title_and_the_standard_setup_cell(path):
    notebook = nbformat.read(path, as_version=4)
    assert notebook.cells[0].cell_type == "markdown"
    assert notebook.cells[0].source.startswith("# "), "the first cell is the H1 title"
    first_code = next(c for c in notebook.cells if c.cell_type == "code")
    assert first_code.source == SETUP_CELL, (
        f"{path.name}: the first code cell must be utils.notebooks.SETUP_CELL, word for word"
    )


# Any use of Keras' dataset loaders: `keras.datasets.mnist.load_data()`, `from keras.datasets
# import mnist`, `from keras import datasets`, `import keras.datasets`, or `.load_data(` itself.
KERAS_DATASETS = re.compile(
    r"datasets\.\w+\.load_data|\bfrom\s+keras\.datasets\b|\bimport\s+keras\.datasets\b"
    r"|\bfrom\s+keras\s+import\s+(?:\([^)]*\bdatasets\b|[^\n]*\bdatasets\b)|\.load_data\("
)
TF_KERAS = re.compile(r"\btf\.keras\b|\btensorflow\.keras\b|\bfrom\s+tensorflow\s+import\s+keras\b")


def offending_lines(source: str, pattern: re.Pattern) -> list[str]:
    """The lines of ``source`` that match ``pattern`` (comments and prose included)."""
    return [line.strip() for line in source.splitlines() if pattern.search(line)]


@pytest.mark.parametrize(
    "source, bad",
    [
        ("(x, y), _ = keras.datasets.mnist.load_data()", True),
        ("from keras.datasets import mnist", True),
        ("from keras.datasets.mnist import load_data", True),
        ("import keras.datasets", True),
        ("from keras import datasets", True),
        ("from keras import layers, datasets", True),
        ("data = mnist.load_data()", True),
        ("(x, y), _ = utils.data.load_mnist()", False),
        ("from keras import layers", False),
    ],
)
def test_the_keras_datasets_check_catches_every_form(source, bad):
    assert bool(offending_lines(source, KERAS_DATASETS)) is bad


@pytest.mark.parametrize(
    "source, bad",
    [("import tensorflow as tf\nmodel = tf.keras.Sequential()", True),
     ("from tensorflow import keras", True), ("from tensorflow.keras import layers", True),
     ("import keras", False), ("tf.config.list_physical_devices('GPU')", False)],
)
def test_the_tf_keras_check_catches_every_form(source, bad):
    assert bool(offending_lines(source, TF_KERAS)) is bad


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_uses_keras_3_and_the_offline_loaders(path):
    for cell in _code_cells(path):
        found = offending_lines(cell.source, KERAS_DATASETS)
        assert not found, (
            f"{path.name}: load data through utils.data, not keras.datasets (offline cache): "
            f"{found}"
        )
        found = offending_lines(cell.source, TF_KERAS)
        assert not found, f"{path.name}: Keras 3 only (import keras), never tf.keras: {found}"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_committed_outputs_come_from_a_clean_full_run(path):
    cells = _code_cells(path)
    setup_output = "".join(o.get("text", "") for o in cells[0].get("outputs", []))
    assert "run mode: full" in setup_output, (
        f"{path.name}: commit the outputs of a full-mode run (python -m utils.notebooks {path})"
    )
    counts = [c.get("execution_count") for c in cells]
    assert all(counts), f"{path.name}: {counts.count(None)} code cells were not run"
    assert counts == sorted(counts) and counts[0] == 1, f"{path.name}: not run top to bottom"
    for cell in cells:
        for output in cell.get("outputs", []):
            assert output.get("output_type") != "error", f"{path.name}: error output committed"
            text = output.get("text", "")
            assert "Traceback" not in text, f"{path.name}: a traceback was committed"
    assert path.stat().st_size < MAX_BYTES, f"{path.name} is over {MAX_BYTES} bytes"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_checked_cells_print_text(path):
    """Cells compared by nbval must print something deterministic to compare."""
    for cell in _code_cells(path):
        if "nbval-check-output" in cell.metadata.get("tags", []):
            assert cell.get("outputs"), f"{path.name}: a checked cell has no output"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_nbval_markers_are_tags_not_comments(path):
    """Students read the code: nbval's instructions live in the cell tags, not in comments."""
    for cell in _code_cells(path):
        markers = [line for line in cell.source.splitlines()
                   if re.match(r"\s*#\s*(NBVAL|PYTEST_VALIDATE)_", line)]
        assert not markers, f"{path.name}: use the cell tag instead of {markers[0].strip()}"


def test_ruff_is_clean_on_utils_tests_and_notebooks():
    ruff = shutil.which("ruff", path=str(Path(sys.executable).parent)) or shutil.which("ruff")
    if ruff is None:
        pytest.fail("ruff is not installed: run the README's set-up command")
    targets = ["utils", "tests", "notebooks", "conftest.py"]
    result = subprocess.run([ruff, "check", *targets], cwd=REPO_ROOT, capture_output=True,
                            text=True)
    assert result.returncode == 0, result.stdout + result.stderr
