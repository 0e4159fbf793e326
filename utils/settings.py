"""Run settings: the run mode (full or fast), seeds, quiet logs, and the setup line.

Every notebook's first cell calls :func:`setup`. The run mode is chosen in one place, the
``COURSE_MODE`` environment variable:

* ``full`` (the default): the real lesson, all the data, training to the stated targets;
* ``fast``: small real subsets and few epochs, used by the test suite (``conftest.py``
  sets it) so that every notebook runs in CI in a minute or two.

Notebooks never test the mode with their own ``if``; they ask the settings for a size::

    RUN = setup()
    n_train = RUN.pick(full=60_000, fast=2_000)
"""

from __future__ import annotations

import contextlib
import logging
import os
import sys
import warnings
from collections.abc import Iterator
from dataclasses import dataclass
from typing import TypeVar

MODE_VARIABLE = "COURSE_MODE"
MODES = ("full", "fast")
DEFAULT_SEED = 42

T = TypeVar("T")


def run_mode() -> str:
    """Return the run mode named by ``COURSE_MODE`` (``"full"`` when unset).

    >>> os.environ["COURSE_MODE"] = "fast"; run_mode()
    'fast'
    """
    mode = os.environ.get(MODE_VARIABLE, "full").strip().lower() or "full"
    if mode not in MODES:
        raise ValueError(
            f"{MODE_VARIABLE}={os.environ[MODE_VARIABLE]!r} is not a run mode: "
            f"use one of {', '.join(MODES)} (or leave it unset for full)"
        )
    return mode


@dataclass(frozen=True)
class RunSettings:
    """What a notebook needs to know about this run."""

    mode: str
    seed: int
    backend: str
    keras_version: str
    gpu: str | None

    @property
    def fast(self) -> bool:
        return self.mode == "fast"

    @property
    def full(self) -> bool:
        return self.mode == "full"

    def pick(self, *, full: T, fast: T) -> T:
        """Return ``full`` or ``fast`` according to the run mode.

        >>> RunSettings("fast", 42, "tensorflow", "3.15.1", None).pick(full=60_000, fast=2_000)
        2000
        """
        return fast if self.fast else full

    def describe(self) -> str:
        gpu = f"GPU: {self.gpu}" if self.gpu else "GPU: none found, running on the CPU"
        hint = "" if self.fast else f" (set {MODE_VARIABLE}=fast for a quick check)"
        return (
            f"Keras {self.keras_version} | backend: {self.backend} | {gpu} | "
            f"run mode: {self.mode}{hint} | seed: {self.seed}"
        )


def silence_logs() -> None:
    """Quiet the framework start-up chatter (must run before TensorFlow is imported)."""
    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")  # C++ INFO and WARNING lines
    os.environ.setdefault("TF_ENABLE_ONEDNN_OPTS", "0")  # the oneDNN notice, and exact sums
    os.environ.setdefault("GRPC_VERBOSITY", "ERROR")
    logging.getLogger("tensorflow").setLevel(logging.ERROR)
    logging.getLogger("absl").setLevel(logging.ERROR)
    warnings.filterwarnings("ignore", category=DeprecationWarning)
    warnings.filterwarnings("ignore", message=".*np.find_common_type.*")


@contextlib.contextmanager
def quiet_stderr() -> Iterator[None]:
    """Send the process's stderr (file descriptor 2) to /dev/null for a moment.

    TensorFlow's C++ runtime prints lines such as "Could not find cuda drivers" before its own
    log settings apply; they would land in the notebook's first cell. Python errors still show,
    because they are raised, not printed, inside this block.
    """
    try:
        sys.stderr.flush()
        saved = os.dup(2)
    except (OSError, ValueError, AttributeError):  # no real file descriptor (some IDEs)
        yield
        return
    devnull = os.open(os.devnull, os.O_WRONLY)
    try:
        os.dup2(devnull, 2)
        yield
    finally:
        os.dup2(saved, 2)
        os.close(saved)
        os.close(devnull)


def find_gpu(backend: str) -> str | None:
    """Name the first GPU the backend sees, or ``None`` on a CPU-only machine."""
    try:
        if backend == "tensorflow":
            import tensorflow as tf

            gpus = tf.config.list_physical_devices("GPU")
            return gpus[0].name if gpus else None
        if backend == "jax":
            import jax

            gpus = [d for d in jax.devices() if d.platform != "cpu"]
            return str(gpus[0]) if gpus else None
        if backend == "torch":
            import torch

            return torch.cuda.get_device_name(0) if torch.cuda.is_available() else None
    except Exception:  # a broken driver should not stop a lesson on the CPU
        return None
    return None


def setup(seed: int = DEFAULT_SEED, *, verbose: bool = True) -> RunSettings:
    """Seed everything, quiet the logs, print one line about this run and return its settings.

    Call it after choosing ``KERAS_BACKEND`` (Keras reads that variable when first imported).

    >>> RUN = setup()  # doctest: +SKIP
    Keras 3.15.1 | backend: tensorflow | GPU: none found, running on the CPU | run mode: full ...
    """
    if not isinstance(seed, int) or seed < 0:
        raise ValueError(f"seed must be a non-negative int, got {seed!r}")
    mode = run_mode()
    silence_logs()
    with quiet_stderr():
        import keras

        backend = keras.backend.backend()
        if backend == "tensorflow":
            import tensorflow as tf

            tf.get_logger().setLevel(logging.ERROR)
        gpu = find_gpu(backend)
    keras.utils.set_random_seed(seed)  # Python, NumPy and the backend's generators
    settings = RunSettings(
        mode=mode, seed=seed, backend=backend, keras_version=keras.__version__, gpu=gpu
    )
    if verbose:
        print(settings.describe())
    return settings
