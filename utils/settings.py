"""Run settings: the run mode (full or fast), seeds, quiet logs, and the setup line.

Every notebook's first cell calls :func:`setup`. The run mode is chosen in one place, the
``COURSE_MODE`` environment variable:

* ``full`` (the default): the real lesson, all the data, training to the stated targets;
* ``fast``: small real subsets and few epochs, used by the test suite (``conftest.py``
  sets it) so that every notebook runs in CI in a minute or two.

On Colab with ``COURSE_MODE`` unset, the mode follows the runtime: full with a GPU, fast on
Colab's CPU (a full run there would take hours); setting ``COURSE_MODE`` always wins.

Notebooks never test the mode with their own ``if``; they ask the settings for a size::

    RUN = setup()
    n_train = RUN.pick(full=60_000, fast=2_000)
"""

from __future__ import annotations

import contextlib
import logging
import os
import random
import sys
import warnings
from collections.abc import Iterator
from dataclasses import dataclass
from typing import TypeVar

MODE_VARIABLE = "COURSE_MODE"
MODES = ("full", "fast")
DEFAULT_SEED = 42
# The oldest Keras the course is tested with (requirements.txt pins it); older ones lack APIs the
# notebooks use or behave differently. pyproject.toml asks for the same.
MIN_KERAS = (3, 15)

T = TypeVar("T")


def on_colab() -> bool:
    """Whether this Python runs inside Google Colab (its ``google.colab`` module is loaded)."""
    return "google.colab" in sys.modules


def run_mode(default: str = "full") -> str:
    """Return the run mode named by ``COURSE_MODE`` (``default`` when unset).

    >>> os.environ["COURSE_MODE"] = "fast"; run_mode()
    'fast'
    """
    if default not in MODES:
        raise ValueError(f"default must be one of {MODES}, got {default!r}")
    mode = os.environ.get(MODE_VARIABLE, default).strip().lower() or default
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
    deterministic: bool = False

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
        determinism = " (deterministic ops)" if self.deterministic else ""
        return (
            f"Keras {self.keras_version} | backend: {self.backend} | {gpu} | "
            f"run mode: {self.mode}{hint} | seed: {self.seed}{determinism}"
        )


def silence_logs() -> None:
    """Quiet the framework start-up chatter (must run before TensorFlow is imported)."""
    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")  # C++ INFO and WARNING lines
    # TensorFlow's oneDNN kernels stay on (its default): on the course's 2-core CPU they train
    # LeNet about 1.5x faster, and with op determinism runs still repeat exactly
    # (tools/measure_determinism.py); their start-up notice goes to /dev/null with the rest.
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


def enable_determinism(backend: str) -> bool:
    """Turn on TensorFlow's op determinism; returns whether it is on.

    With it, the same seed gives the same numbers run after run on one machine (without it,
    TensorFlow may sum in a different order from run to run). Measured on the course's 2-core CPU
    with ``tools/measure_determinism.py``, it costs no measurable training time (README.md,
    "Reproducible numbers"). JAX and PyTorch have no such switch here (on a GPU, see their own
    documentation). Set ``COURSE_DETERMINISM=0`` to leave it off.
    """
    if backend != "tensorflow" or os.environ.get("COURSE_DETERMINISM", "1").strip() == "0":
        return False  # (TensorFlow has no public switch back: once on, on until a restart)
    import tensorflow as tf

    tf.config.experimental.enable_op_determinism()
    return True


def check_keras_version(version: str) -> None:
    """Stop with instructions when Keras is older than :data:`MIN_KERAS`."""
    try:
        found = tuple(int(part) for part in version.split(".")[:2])
    except ValueError:
        return  # not a version number we can read (a custom build): let it be
    if found >= MIN_KERAS:
        return
    needed = ".".join(map(str, MIN_KERAS))
    if on_colab():
        how = (f"run `!pip install -q 'keras>={needed}'` in a cell, then Runtime > Restart "
               "session, and run this cell again (Colab's TensorFlow, JAX and NumPy stay as "
               "they are)")
    else:
        how = f"run `pip install 'keras>={needed}'` (or `bash setup.sh`) and restart the kernel"
    raise RuntimeError(f"this course needs Keras {needed} or newer, found Keras {version}: {how}")


def seed_everything(seed: int, backend: str) -> None:
    """Seed Python, NumPy, Keras' global generator and the backend, as
    ``keras.utils.set_random_seed`` does, without importing TensorFlow on JAX or PyTorch.

    (``set_random_seed`` imports TensorFlow whenever it is installed, which on the other backends
    costs seconds, hundreds of MB and a screen of log lines.)
    """
    import keras

    if backend == "tensorflow":
        keras.utils.set_random_seed(seed)
        return
    try:
        from keras.src.backend.common import global_state
        from keras.src.random.seed_generator import GLOBAL_SEED_GENERATOR
        from keras.src.utils.rng_utils import GLOBAL_RANDOM_SEED
    except ImportError:  # Keras moved its internals: the public call still does the job
        keras.utils.set_random_seed(seed)
        return
    global_state.set_global_attribute(GLOBAL_RANDOM_SEED, seed)
    global_state.set_global_attribute(GLOBAL_SEED_GENERATOR, None)
    random.seed(seed)
    import numpy as np

    np.random.seed(seed)
    if backend == "torch":
        import torch

        torch.manual_seed(seed)


@contextlib.contextmanager
def full_float32() -> Iterator[None]:
    """Run the enclosed Keras computations in true float32, without TF32, on every backend.

    Recent NVIDIA GPUs multiply float32 matrices in TF32 (10-bit mantissa) by default: a
    256x256 product is then off by about 1e-4 relative, so a check that two computations agree
    "to float32 precision" fails on a GPU. Inside this block TensorFlow, JAX and PyTorch use full
    float32 for matrix products and convolutions; on a CPU it changes nothing. Use it for
    agreement checks, not for training (TF32 is what makes GPU training fast).
    """
    import keras

    backend = keras.backend.backend()
    if backend == "tensorflow":
        import tensorflow as tf

        before = tf.config.experimental.tensor_float_32_execution_enabled()
        tf.config.experimental.enable_tensor_float_32_execution(False)
        try:
            yield
        finally:
            tf.config.experimental.enable_tensor_float_32_execution(before)
    elif backend == "jax":
        import jax

        with jax.default_matmul_precision("float32"):
            yield
    elif backend == "torch":
        import torch

        if hasattr(torch.backends.cuda.matmul, "fp32_precision"):  # PyTorch 2.9 and later
            # the new API: mixing it with the legacy flags raises, so use it alone
            switches = (torch.backends.cuda.matmul, torch.backends.cudnn.conv,
                        torch.backends.cudnn.rnn)
            saved_precisions = [switch.fp32_precision for switch in switches]
            for switch in switches:
                switch.fp32_precision = "ieee"
            try:
                yield
            finally:
                for switch, precision in zip(switches, saved_precisions, strict=True):
                    switch.fp32_precision = precision
            return
        saved = (torch.backends.cuda.matmul.allow_tf32, torch.backends.cudnn.allow_tf32,
                 torch.get_float32_matmul_precision())
        torch.backends.cuda.matmul.allow_tf32 = False
        torch.backends.cudnn.allow_tf32 = False
        torch.set_float32_matmul_precision("highest")
        try:
            yield
        finally:
            torch.backends.cuda.matmul.allow_tf32, torch.backends.cudnn.allow_tf32 = saved[:2]
            torch.set_float32_matmul_precision(saved[2])
    else:
        yield


def setup(seed: int = DEFAULT_SEED, *, verbose: bool = True) -> RunSettings:
    """Seed everything, quiet the logs, print one line about this run and return its settings.

    Call it after choosing ``KERAS_BACKEND`` (Keras reads that variable when first imported).
    On TensorFlow it also turns on op determinism (see README.md, "Reproducible numbers").

    >>> RUN = setup()  # doctest: +SKIP
    Keras 3.15.1 | backend: tensorflow | GPU: none found, running on the CPU | run mode: full ...
    """
    if not isinstance(seed, int) or isinstance(seed, bool) or seed < 0:
        raise ValueError(f"seed must be a non-negative int, got {seed!r}")
    mode = run_mode()  # a wrong COURSE_MODE stops here, before the slow imports
    silence_logs()
    with quiet_stderr():
        import keras

        backend = keras.backend.backend()
        if backend == "tensorflow":
            import tensorflow as tf

            tf.get_logger().setLevel(logging.ERROR)
        gpu = find_gpu(backend)
    check_keras_version(keras.__version__)
    if on_colab() and not os.environ.get(MODE_VARIABLE, "").strip():
        mode = "full" if gpu else "fast"  # Colab's CPU would need hours for a full run
    seed_everything(seed, backend)
    deterministic = enable_determinism(backend)
    settings = RunSettings(mode=mode, seed=seed, backend=backend, keras_version=keras.__version__,
                           gpu=gpu, deterministic=deterministic)
    if verbose:
        print(settings.describe())
        if on_colab() and not os.environ.get(MODE_VARIABLE, "").strip():
            print(f"Colab: {'a GPU' if gpu else 'no GPU'} found, so run mode {mode}; "
                  f"set os.environ['{MODE_VARIABLE}'] before this cell to choose")
    return settings
