"""Key figures of full-mode runs, kept in ``results/<notebook>.json`` and rendered to BENCHMARKS.md.

A notebook records its figures with one call::

    save_results("02_lenet_mnist", RUN, test_accuracy=0.9921, epochs=12, train_seconds=250.3)

In fast mode nothing is written (the figures of a shortened run are not results); the call
prints what it would have recorded. ``python -m utils.results`` rewrites ``BENCHMARKS.md`` from
the JSON files, and a test checks that the committed ``BENCHMARKS.md`` is current.

Both files are written atomically (a temporary file in the same folder, then ``os.replace``):
a crash, a full disk or a concurrent writer leaves the old file or the new one, never a
truncated one.
"""

from __future__ import annotations

import datetime as _dt
import json
import math
import os
import platform
import tempfile
from numbers import Integral, Real
from pathlib import Path
from typing import Any

import numpy as np

from .settings import RunSettings

REPO_ROOT = Path(__file__).resolve().parent.parent
RESULTS_DIR = REPO_ROOT / "results"
BENCHMARKS_FILE = REPO_ROOT / "BENCHMARKS.md"

_RESERVED = {"notebook", "mode", "backend", "keras_version", "device", "cpu_count", "date"}


def _check_value(key: str, value: Any) -> Any:
    """``value`` as JSON will hold it, or a clear error: NumPy scalars become Python ones."""
    if isinstance(value, np.ndarray):
        raise TypeError(
            f"result {key!r} is a NumPy ndarray of shape {value.shape}: record a number "
            "(float(x) or x.item() for one value) or a list (x.tolist())"
        )
    if isinstance(value, np.generic):  # np.float32(0.9), np.int64(3), np.bool_(True), np.str_
        value = value.item()
    if isinstance(value, bool | str):
        return value
    if isinstance(value, Integral):
        return int(value)
    if isinstance(value, Real):
        value = float(value)
        if not math.isfinite(value):
            raise ValueError(f"result {key!r} is {value}: only finite numbers can be recorded")
        return value
    if isinstance(value, dict):
        checked = {}
        for sub_key, sub_value in value.items():
            if not isinstance(sub_key, str):
                raise TypeError(
                    f"result {key!r} has the key {sub_key!r} of type {type(sub_key).__name__}: "
                    "the keys of a recorded dict must be strings"
                )
            checked[sub_key] = _check_value(f"{key}.{sub_key}", sub_value)
        return checked
    if isinstance(value, list | tuple):
        return [_check_value(f"{key}[{i}]", item) for i, item in enumerate(value)]
    raise TypeError(
        f"result {key!r} has type {type(value).__name__}: record numbers, strings, booleans, "
        "or lists/dicts of them"
    )


def _write_atomically(path: Path, text: str) -> None:
    """Replace ``path`` by ``text`` in one step: a temporary file beside it, then os.replace.

    Readers see the old file or the new one, never a partial one; if anything fails, the old
    file is untouched and the temporary file is removed.
    """
    mode = path.stat().st_mode & 0o777 if path.exists() else 0o644
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(handle, "w", encoding="utf-8") as file:
            file.write(text)
            file.flush()
            os.fsync(file.fileno())
        os.chmod(temporary, mode)
        os.replace(temporary, path)
    except BaseException:
        try:
            os.unlink(temporary)
        except FileNotFoundError:
            pass
        raise


def save_results(
    notebook: str, run: RunSettings, results_dir: Path | None = None, **figures
) -> Path | None:
    """Record a notebook's key figures (full mode only); returns the file written, or None.

    >>> save_results("02_lenet_mnist", RUN, test_accuracy=0.992)  # doctest: +SKIP
    PosixPath('.../results/02_lenet_mnist.json')
    """
    if not notebook or "/" in notebook or notebook.endswith(".ipynb"):
        raise ValueError(f"notebook must be a notebook's name without .ipynb, got {notebook!r}")
    if not figures:
        raise ValueError("nothing to record: pass the figures as keyword arguments")
    clash = _RESERVED & figures.keys()
    if clash:
        raise ValueError(f"{sorted(clash)} are filled in by save_results itself")
    figures = {key: _check_value(key, value) for key, value in figures.items()}
    if run.fast:
        shown = ", ".join(f"{k}={v}" for k, v in figures.items() if not isinstance(v, dict | list))
        print(f"fast mode: results not recorded (a full run records {shown})")
        return None
    record = {
        "notebook": notebook,
        "mode": run.mode,
        "backend": run.backend,
        "keras_version": run.keras_version,
        "device": run.gpu or f"CPU ({platform.processor() or platform.machine()})",
        "cpu_count": _cpu_count(),
        "date": _dt.date.today().isoformat(),
        **figures,
    }
    folder = Path(results_dir) if results_dir is not None else RESULTS_DIR
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{notebook}.json"
    _write_atomically(path, json.dumps(record, indent=2, sort_keys=False) + "\n")
    print(f"recorded {len(figures)} figures in {path.relative_to(path.parent.parent)}")
    return path


def _cpu_count() -> int:
    import os

    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # macOS
        return os.cpu_count() or 1


def load_results(results_dir: Path | None = None) -> dict[str, dict]:
    """All recorded results, keyed by notebook name, sorted."""
    folder = Path(results_dir) if results_dir is not None else RESULTS_DIR
    records = {}
    for path in sorted(folder.glob("*.json")):
        try:
            records[path.stem] = json.loads(path.read_text(encoding="utf-8"))
        except json.JSONDecodeError as error:
            raise ValueError(f"{path} is not valid JSON: {error}") from error
    return records


def _format(value) -> str:
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, float):
        if abs(value) >= 100:
            return f"{value:,.1f}"
        return f"{value:.4g}"
    if isinstance(value, int):
        return f"{value:,}"
    return str(value)


def _flatten(prefix: str, value, rows: list[tuple[str, str]]) -> None:
    if isinstance(value, dict):
        for key, sub in value.items():
            _flatten(f"{prefix}.{key}" if prefix else key, sub, rows)
    elif isinstance(value, list | tuple):
        rows.append((prefix, ", ".join(_format(v) for v in value)))
    else:
        rows.append((prefix, _format(value)))


def render_benchmarks(results_dir: Path | None = None) -> str:
    """The text of BENCHMARKS.md, made from the JSON files in ``results/``."""
    lines = [
        "# Benchmarks",
        "",
        "Key figures recorded by the notebooks' last full-mode runs (`results/*.json`).",
        "Do not edit this file by hand: it is generated by `python -m utils.results` and a test",
        "checks that it is current. To reproduce a row, run its notebook in full mode",
        "(`python -m utils.notebooks notebooks/<name>.ipynb`, see README.md).",
        "",
    ]
    records = load_results(results_dir)
    if not records:
        lines.append("No full-mode results recorded yet.")
    for name, record in records.items():
        context = ", ".join(
            f"{key} {record[key]}"
            for key in ("backend", "keras_version", "device", "cpu_count", "date")
            if key in record
        )
        lines += [f"## {name}", "", f"Run: {context}.", "", "| figure | value |", "|---|---|"]
        rows: list[tuple[str, str]] = []
        for key, value in record.items():
            if key not in _RESERVED:
                _flatten(key, value, rows)
        lines += [f"| `{key}` | {text} |" for key, text in rows]
        lines.append("")
    return "\n".join(lines).rstrip() + "\n"


def write_benchmarks(path: Path | None = None, results_dir: Path | None = None) -> Path:
    """Rewrite BENCHMARKS.md (or ``path``) from ``results/`` (or ``results_dir``), atomically."""
    target = Path(path) if path is not None else BENCHMARKS_FILE
    _write_atomically(target, render_benchmarks(results_dir))
    return target


if __name__ == "__main__":
    print(f"wrote {write_benchmarks()}")
