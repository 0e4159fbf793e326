"""Run notebooks top to bottom: a quick check (fast mode), or the committed outputs (full mode).

    .venv/bin/python -m utils.notebooks --mode fast notebooks/*.ipynb       # a quick check of all
    .venv/bin/python -m utils.notebooks notebooks/02_lenet_mnist.ipynb      # full mode (default)

What is written where, so that nobody's work is lost:

* **fast mode** never touches the notebooks: each executed copy goes to a scratch folder,
  ``build/runs/`` in the repository (``--output DIR`` to choose another; never the notebooks'
  own folder). ``results/`` and ``BENCHMARKS.md`` are left alone (``utils.results.save_results``
  records nothing in fast mode).
* **full mode** rewrites the notebook in place with its new outputs, atomically (a temporary file
  in the same folder, then ``os.replace``), and only when every cell ran. A failed run leaves the
  committed notebook as it was and writes the failed copy to the scratch folder; so does a run
  during which the notebook file itself was changed (someone saved it meanwhile). After full
  runs that succeeded, ``BENCHMARKS.md`` is regenerated from ``results/``.

The run mode reaches the kernel through its environment (``COURSE_MODE``); each notebook's time
is printed. The exit status is 0 when every notebook ran, 1 otherwise. Full runs can take long:
start them in the background (``nohup ... > run.log 2>&1 &``).
"""

from __future__ import annotations

import argparse
import contextlib
import hashlib
import os
import stat
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

import nbformat

from .colab import SETUP_CELL
from .settings import MODE_VARIABLE, MODES

__all__ = [
    "DEFAULT_OUTPUT", "SETUP_CELL", "NotebookRun", "check_output_dir", "execute", "main",
    "setup_cell_source",
]

REPO_ROOT = Path(__file__).resolve().parent.parent
# Where executed copies go (fast runs, failed full runs); .gitignore ignores build/.
DEFAULT_OUTPUT = REPO_ROOT / "build" / "runs"


def setup_cell_source(notebook_path: Path) -> str:
    """Source of a notebook's first code cell."""
    notebook = nbformat.read(notebook_path, as_version=4)
    for cell in notebook.cells:
        if cell.cell_type == "code":
            return cell.source
    raise ValueError(f"{notebook_path} has no code cell")


@dataclass(frozen=True)
class NotebookRun:
    """What running one notebook did.

    ``written`` is the file that holds the executed notebook: the notebook itself after a
    successful full run, otherwise its copy in the scratch folder. ``error`` is ``None`` when
    every cell ran and the outputs were saved where they belong.
    """

    notebook: Path
    mode: str
    seconds: float
    written: Path
    error: str | None = None

    @property
    def ok(self) -> bool:
        """Whether every cell ran and the outputs were saved where they belong."""
        return self.error is None

    @property
    def in_place(self) -> bool:
        """Whether the notebook itself was rewritten (successful full runs only)."""
        return self.written == self.notebook


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _describe(error: BaseException) -> str:
    """One line for an execution error (nbclient's cell errors carry ename and evalue)."""
    ename, evalue = getattr(error, "ename", None), getattr(error, "evalue", None)
    if ename:
        return f"{ename}: {evalue}" if evalue else str(ename)
    lines = str(error).strip().splitlines()
    return f"{type(error).__name__}: {lines[-1] if lines else ''}".rstrip(": ")


def _write_copy(notebook: nbformat.NotebookNode, output_dir: Path, name: str) -> Path:
    output_dir.mkdir(parents=True, exist_ok=True)
    target = output_dir / name
    nbformat.write(notebook, target)
    return target


def _replace_atomically(notebook: nbformat.NotebookNode, path: Path) -> None:
    """Write ``notebook`` to ``path`` via a temporary file in the same folder and ``os.replace``.

    Readers see either the old file or the complete new one, never half of it; the file keeps
    its permissions.
    """
    mode = stat.S_IMODE(path.stat().st_mode)
    temporary: Path | None = None
    try:
        with tempfile.NamedTemporaryFile(
            "w", encoding="utf-8", dir=path.parent, prefix=f".{path.name}.", suffix=".tmp",
            delete=False,
        ) as handle:
            temporary = Path(handle.name)
            nbformat.write(notebook, handle)
            handle.flush()
            os.fsync(handle.fileno())
        temporary.chmod(mode)
        os.replace(temporary, path)
    except BaseException:
        if temporary is not None:
            with contextlib.suppress(OSError):
                temporary.unlink()
        raise


def check_output_dir(output_dir: Path, notebooks: list[Path]) -> None:
    """Refuse a scratch folder that is one of the notebooks' own folders (copies would overwrite
    the originals)."""
    target = Path(output_dir).resolve()
    for path in notebooks:
        if Path(path).resolve().parent == target:
            raise ValueError(
                f"--output {output_dir} is the folder of {path}: executed copies would overwrite "
                f"the notebooks. Choose a scratch folder such as {_shown(DEFAULT_OUTPUT)}."
            )


def execute(
    path: Path,
    mode: str = "full",
    timeout: int | None = None,
    output_dir: Path | None = None,
) -> NotebookRun:
    """Execute the notebook at ``path`` in the given run mode, keeping the original safe.

    The kernel runs in the notebook's folder with ``COURSE_MODE=mode`` in its environment (this
    process's environment is not changed). Fast mode writes the executed copy to ``output_dir``
    (default :data:`DEFAULT_OUTPUT`) and never touches ``path``. Full mode replaces ``path``
    atomically when every cell ran and the file was not changed meanwhile; otherwise it writes
    the copy to ``output_dir`` and leaves ``path`` as it was. Execution errors are reported in
    the returned :class:`NotebookRun`, not raised; an interrupt (Ctrl+C) saves the partial copy
    to ``output_dir`` and is raised again.
    """
    from nbclient import NotebookClient

    if mode not in MODES:
        raise ValueError(f"mode must be one of {MODES}, got {mode!r}")
    path = Path(path)
    if not path.is_file():
        raise FileNotFoundError(f"no notebook at {path}")
    output_dir = Path(output_dir) if output_dir is not None else DEFAULT_OUTPUT
    check_output_dir(output_dir, [path])
    before = _digest(path)
    notebook = nbformat.read(path, as_version=4)
    client = NotebookClient(
        notebook,
        timeout=timeout,
        kernel_name="python3",
        resources={"metadata": {"path": str(path.parent)}},
    )
    kernel_env = {**os.environ, MODE_VARIABLE: mode}
    error: str | None = None
    start = time.perf_counter()
    try:
        client.execute(env=kernel_env)
    except KeyboardInterrupt:
        saved = _write_copy(notebook, output_dir, path.name)
        print(f"{path}: interrupted; the partial run is in {saved}", file=sys.stderr, flush=True)
        raise
    except Exception as exc:  # a failing cell, a timeout, a dead kernel: keep what ran
        error = _describe(exc)
    seconds = time.perf_counter() - start
    if mode == "full" and error is None:
        if _digest(path) == before:
            _replace_atomically(notebook, path)
            return NotebookRun(path, mode, seconds, path)
        error = f"{path} was changed while it ran (saved from an editor?), so it was not replaced"
    written = _write_copy(notebook, output_dir, path.name)
    return NotebookRun(path, mode, seconds, written, error)


def _duration(seconds: float) -> str:
    return f"{seconds:.1f} s" if seconds < 120 else f"{seconds / 60:.1f} min"


def _shown(path: Path) -> str:
    """``path`` relative to the current folder when it lies below it."""
    try:
        return str(Path(path).resolve().relative_to(Path.cwd()))
    except ValueError:
        return str(path)


def main(argv: list[str] | None = None) -> int:
    """Command line: run the notebooks, report each one's time and where its outputs went."""
    parser = argparse.ArgumentParser(
        prog="python -m utils.notebooks",
        description="Run notebooks top to bottom. Fast mode writes executed copies to a scratch "
        "folder and never touches the notebooks; full mode rewrites each notebook in place, "
        "only when every cell ran.",
    )
    parser.add_argument("notebooks", nargs="+", type=Path, metavar="NOTEBOOK")
    parser.add_argument("--mode", choices=MODES, default="full",
                        help="full (default): rewrite in place; fast: a quick check")
    parser.add_argument("--timeout", type=int, default=None, help="seconds per cell")
    parser.add_argument(
        "--output", type=Path, default=DEFAULT_OUTPUT, metavar="DIR",
        help="scratch folder for fast runs and failed full runs "
        f"(default: {_shown(DEFAULT_OUTPUT)})",
    )
    args = parser.parse_args(argv)
    missing = [str(p) for p in args.notebooks if not p.is_file()]
    if missing:
        parser.error(f"no notebook at {', '.join(missing)}")
    try:
        check_output_dir(args.output, args.notebooks)
    except ValueError as exc:
        parser.error(str(exc))

    runs: list[NotebookRun] = []
    for path in args.notebooks:
        print(f"running {path} in {args.mode} mode ...", flush=True)
        run = execute(path, args.mode, args.timeout, args.output)
        runs.append(run)
        took = _duration(run.seconds)
        if run.ok and run.in_place:
            print(f"{path}: done in {took}, outputs saved in place", flush=True)
        elif run.ok:
            print(f"{path}: done in {took}; executed copy: {_shown(run.written)} "
                  f"({path} untouched)", flush=True)
        else:
            print(f"{path}: FAILED after {took}: {run.error}\n"
                  f"  {path} was left as it was; this run's outputs are in {_shown(run.written)}",
                  file=sys.stderr, flush=True)

    if any(run.ok and run.mode == "full" for run in runs):
        from .results import write_benchmarks

        print(f"wrote {_shown(write_benchmarks())}")
    failed = [run for run in runs if not run.ok]
    if len(runs) > 1:
        total = _duration(sum(run.seconds for run in runs))
        print(f"{len(runs) - len(failed)} of {len(runs)} notebooks ran in {total}", flush=True)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
