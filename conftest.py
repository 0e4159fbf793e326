"""Test-suite set-up: fast run mode, and KERAS_HOME pointed at a writable copy of the offline data.

This runs before any notebook kernel starts, and kernels inherit the environment, so the
notebooks that nbval executes see the same settings.

The offline data is looked for in ``$COURSE_SHARED_DATA`` (default: ``../shared/data`` beside
the repository). Without it (a user's machine with a network), the tests use the user's own
Keras cache and the loaders download what is missing. When the data is in neither place and
there is no network either, the session stops at once with one message saying what is missing,
where it was looked for and how to get it, instead of dozens of failing tests.
``COURSE_ASSUME_OFFLINE=1`` skips the network check and assumes there is none (for tests).
"""

from __future__ import annotations

import os
import shutil
import socket
import tempfile
from pathlib import Path

import pytest

REPO_ROOT = Path(__file__).resolve().parent

# The files the course reads from the Keras cache (data/README.md lists them and their sources).
COURSE_FILES = (
    "datasets/mnist.npz",
    "datasets/cifar10.npz",
    "datasets/shakespeare.txt",
    "datasets/dom_casmurro_machado_de_assis_pg55752.txt",
    "models/imagenet_class_index.json",
    "models/mobilenet_2_5_224_tf.h5",
    "models/mobilenet_2_5_224_tf_no_top.h5",
)
# Where the loaders download from (Keras' datasets and weights); reachable means "online".
NETWORK_PROBE = ("storage.googleapis.com", 443)
OFFLINE_VARIABLE = "COURSE_ASSUME_OFFLINE"


def _shared_data_dir() -> Path:
    return Path(os.environ.get("COURSE_SHARED_DATA", REPO_ROOT.parent / "shared" / "data"))


def _offline_data() -> Path | None:
    shared = _shared_data_dir()
    return shared if (shared / "keras").is_dir() else None


def _user_keras_home() -> Path:
    """The Keras cache the loaders use without the offline copy: $KERAS_HOME or ~/.keras."""
    home = os.environ.get("KERAS_HOME")
    return Path(home) if home else Path.home() / ".keras"


def _missing_from_cache(home: Path) -> list[str]:
    return [name for name in COURSE_FILES if not (home / name).is_file()]


def _online(timeout: float = 3.0) -> bool:
    """Whether the download server answers (a TCP connection; no data is sent)."""
    if os.environ.get(OFFLINE_VARIABLE, "").strip() not in ("", "0"):
        return False
    try:
        with socket.create_connection(NETWORK_PROBE, timeout=timeout):
            return True
    except OSError:
        return False


def _no_data_message(home: Path, missing: list[str]) -> str:
    shared = _shared_data_dir()
    source = "COURSE_SHARED_DATA" if "COURSE_SHARED_DATA" in os.environ else "default"
    cache = "KERAS_HOME" if os.environ.get("KERAS_HOME") else "default ~/.keras"
    forced = f" ({OFFLINE_VARIABLE} is set)" if os.environ.get(OFFLINE_VARIABLE) else ""
    return (
        "the course's data is not available and there is no network to download it, so the "
        "tests cannot run.\n"
        f"  offline copy: no keras/ folder in {shared} ({source}; set COURSE_SHARED_DATA to the "
        "folder holding keras/ and text/, by default ../shared/data beside the repository)\n"
        f"  Keras cache:  {home} ({cache}) lacks {len(missing)} of {len(COURSE_FILES)} files: "
        f"{', '.join(missing)}\n"
        f"  network:      {NETWORK_PROBE[0]}:{NETWORK_PROBE[1]} not reachable{forced}\n"
        "How to get it: see data/README.md (copy the course's offline cache into the Keras cache, "
        "or run once on a machine with a network)."
    )


def pytest_configure(config: pytest.Config) -> None:
    os.environ["COURSE_MODE"] = "fast"
    os.environ.setdefault("KERAS_BACKEND", "tensorflow")
    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
    os.environ.setdefault("MPLBACKEND", "Agg")
    shared = _offline_data()
    if shared is None:
        home = _user_keras_home()
        missing = _missing_from_cache(home)
        if missing and not _online():
            pytest.exit(_no_data_message(home, missing), returncode=pytest.ExitCode.USAGE_ERROR)
        return
    home = Path(tempfile.mkdtemp(prefix="keras_home_"))
    shutil.copytree(shared / "keras", home, dirs_exist_ok=True)
    for text in sorted((shared / "text").glob("*.txt")):
        shutil.copy(text, home / "datasets" / text.name)  # where keras.utils.get_file caches it
    if (shared / "images").is_dir():  # DnCNN's denoising sets, read by load_denoising_images
        shutil.copytree(shared / "images", home / "datasets" / "denoising", dirs_exist_ok=True)
    for path in home.rglob("*"):  # the shared copy is read-only; Keras writes keras.json here
        path.chmod(path.stat().st_mode | 0o200)
    home.chmod(0o755)
    os.environ["KERAS_HOME"] = str(home)
    config._course_keras_home = home


def pytest_unconfigure(config: pytest.Config) -> None:
    home = getattr(config, "_course_keras_home", None)
    if home is not None:
        shutil.rmtree(home, ignore_errors=True)


def pytest_report_header(config: pytest.Config) -> str:
    return (
        f"course: COURSE_MODE={os.environ.get('COURSE_MODE')} "
        f"KERAS_BACKEND={os.environ.get('KERAS_BACKEND')} KERAS_HOME={os.environ.get('KERAS_HOME')}"
    )
