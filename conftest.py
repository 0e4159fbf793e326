"""Test-suite set-up: fast run mode, and KERAS_HOME pointed at a writable copy of the offline data.

This runs before any notebook kernel starts, and kernels inherit the environment, so the
notebooks that nbval executes see the same settings.

The offline data is looked for in ``$COURSE_SHARED_DATA`` (default: ``../shared/data`` beside
the repository). Without it (a user's machine with a network), the tests use the user's own
Keras cache and the loaders download what is missing.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parent


def _offline_data() -> Path | None:
    shared = Path(os.environ.get("COURSE_SHARED_DATA", REPO_ROOT.parent / "shared" / "data"))
    return shared if (shared / "keras").is_dir() else None


def pytest_configure(config):
    os.environ["COURSE_MODE"] = "fast"
    os.environ.setdefault("KERAS_BACKEND", "tensorflow")
    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
    os.environ.setdefault("MPLBACKEND", "Agg")
    shared = _offline_data()
    if shared is None:
        return
    home = Path(tempfile.mkdtemp(prefix="keras_home_"))
    shutil.copytree(shared / "keras", home, dirs_exist_ok=True)
    for text in sorted((shared / "text").glob("*.txt")):
        shutil.copy(text, home / "datasets" / text.name)  # where keras.utils.get_file caches it
    for path in home.rglob("*"):  # the shared copy is read-only; Keras writes keras.json here
        path.chmod(path.stat().st_mode | 0o200)
    home.chmod(0o755)
    os.environ["KERAS_HOME"] = str(home)
    config._course_keras_home = home


def pytest_unconfigure(config):
    home = getattr(config, "_course_keras_home", None)
    if home is not None:
        shutil.rmtree(home, ignore_errors=True)


def pytest_report_header(config):
    return (
        f"course: COURSE_MODE={os.environ.get('COURSE_MODE')} "
        f"KERAS_BACKEND={os.environ.get('KERAS_BACKEND')} KERAS_HOME={os.environ.get('KERAS_HOME')}"
    )
