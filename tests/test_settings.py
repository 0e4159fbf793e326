"""Run settings: the one switch between full and fast mode (and Colab's choice), the setup line,
the Keras version check, seeds and determinism on each backend, and full_float32."""

import functools
import json
import os
import subprocess
import sys
import types
from pathlib import Path

import pytest

from utils import settings
from utils.settings import RunSettings

REPO_ROOT = Path(__file__).resolve().parent.parent


def test_mode_defaults_to_full(monkeypatch):
    monkeypatch.delenv("COURSE_MODE", raising=False)
    assert settings.run_mode() == "full"


@pytest.mark.parametrize(
    "value, expected", [("fast", "fast"), ("FULL", "full"), (" fast ", "fast")]
)
def test_mode_read_from_environment(monkeypatch, value, expected):
    monkeypatch.setenv("COURSE_MODE", value)
    assert settings.run_mode() == expected


def test_unknown_mode_is_a_clear_error(monkeypatch):
    monkeypatch.setenv("COURSE_MODE", "quick")
    with pytest.raises(ValueError, match="COURSE_MODE='quick' is not a run mode"):
        settings.run_mode()


def test_pick_follows_the_mode():
    fast = RunSettings("fast", 42, "tensorflow", "3.15.1", None)
    full = RunSettings("full", 42, "tensorflow", "3.15.1", None)
    assert fast.pick(full=60_000, fast=2_000) == 2_000
    assert full.pick(full=60_000, fast=2_000) == 60_000
    assert fast.fast and not fast.full and full.full


def test_describe_names_versions_backend_gpu_and_mode():
    line = RunSettings("full", 7, "jax", "3.15.1", None).describe()
    assert "Keras 3.15.1" in line and "backend: jax" in line
    assert "GPU: none found" in line and "run mode: full" in line and "seed: 7" in line
    assert "GPU: NVIDIA H100" in RunSettings("fast", 7, "torch", "3", "NVIDIA H100").describe()


def test_setup_seeds_and_prints_one_line(monkeypatch, capsys):
    monkeypatch.setenv("COURSE_MODE", "fast")
    import numpy as np

    run = settings.setup(seed=123)
    first = np.random.rand(3)
    settings.setup(seed=123, verbose=False)
    assert np.array_equal(first, np.random.rand(3)), "setup must make NumPy reproducible"
    out = capsys.readouterr().out.strip().splitlines()
    assert len(out) == 1 and "run mode: fast" in out[0]
    assert run.fast and run.seed == 123 and run.backend in ("tensorflow", "jax", "torch")


@pytest.mark.parametrize("seed", [-1, 1.5, "42"])
def test_setup_rejects_bad_seed(seed):
    with pytest.raises(ValueError, match="seed"):
        settings.setup(seed=seed)


# --- Colab: the run mode follows the runtime unless COURSE_MODE is set ------------------------


def _on_colab_with(monkeypatch, gpu):
    monkeypatch.setitem(sys.modules, "google.colab", types.ModuleType("google.colab"))
    monkeypatch.setattr(settings, "find_gpu", lambda backend: gpu)


@pytest.mark.parametrize("gpu, expected", [(None, "fast"), ("NVIDIA T4", "full")])
def test_colab_mode_follows_the_gpu_when_course_mode_is_unset(monkeypatch, capsys, gpu,
                                                              expected):
    _on_colab_with(monkeypatch, gpu)
    monkeypatch.delenv("COURSE_MODE", raising=False)
    assert settings.on_colab()
    run = settings.setup(seed=1)
    assert run.mode == expected and run.gpu == gpu
    out = capsys.readouterr().out
    assert f"run mode: {expected}" in out
    found = "a GPU" if gpu else "no GPU"
    assert f"Colab: {found} found, so run mode {expected}" in out
    assert "os.environ['COURSE_MODE']" in out


@pytest.mark.parametrize("gpu, chosen", [(None, "full"), ("NVIDIA T4", "fast")])
def test_course_mode_wins_on_colab(monkeypatch, capsys, gpu, chosen):
    _on_colab_with(monkeypatch, gpu)
    monkeypatch.setenv("COURSE_MODE", chosen)
    run = settings.setup(seed=1)
    assert run.mode == chosen
    out = capsys.readouterr().out
    assert f"run mode: {chosen}" in out and "Colab:" not in out


def test_off_colab_the_mode_does_not_follow_the_gpu(monkeypatch, capsys):
    monkeypatch.delitem(sys.modules, "google.colab", raising=False)
    monkeypatch.setattr(settings, "find_gpu", lambda backend: None)
    monkeypatch.delenv("COURSE_MODE", raising=False)
    assert not settings.on_colab()
    assert settings.setup(seed=1).mode == "full"
    assert "Colab:" not in capsys.readouterr().out


# --- The Keras version check -----------------------------------------------------------------


def test_min_keras_is_the_one_pyproject_asks_for():
    import tomllib

    with open(REPO_ROOT / "pyproject.toml", "rb") as handle:
        dependencies = tomllib.load(handle)["project"]["dependencies"]
    assert f"keras>={'.'.join(map(str, settings.MIN_KERAS))}" in dependencies


@pytest.mark.parametrize("version", ["3.15.0", "3.15.1", "3.16.0", "4.0.0", "3.16.0.dev1",
                                     "3.15.0rc1"])
def test_recent_keras_passes(version):
    settings.check_keras_version(version)


@pytest.mark.parametrize("version", ["3.14.2", "3.9.0", "2.15.0"])
def test_old_keras_stops_with_instructions(monkeypatch, version):
    monkeypatch.delitem(sys.modules, "google.colab", raising=False)
    with pytest.raises(RuntimeError, match=rf"needs Keras 3\.15 or newer, found Keras {version}"):
        settings.check_keras_version(version)

# (What it says on Colab is checked in test_colab.py.)


# --- Determinism, seeds and full float32 on each backend -----------------------------------


def test_determinism_switch(monkeypatch):
    monkeypatch.setenv("COURSE_DETERMINISM", "0")
    assert settings.enable_determinism("tensorflow") is False
    monkeypatch.delenv("COURSE_DETERMINISM")
    assert settings.enable_determinism("jax") is False
    assert settings.enable_determinism("torch") is False


# Run in a fresh Python per backend (Keras reads KERAS_BACKEND once): seeds twice with the same
# seed and once with another, then checks full_float32. argv[1]: the backend.
_BACKEND_CHILD = r'''
import json, random, sys

import numpy as np

import utils

backend = sys.argv[1]


def draws():
    import keras

    out = {"python": random.random(), "numpy": np.random.rand(3).tolist(),
           "keras": [keras.ops.convert_to_numpy(keras.random.normal((3,))).tolist()
                     for _ in range(2)]}
    if backend == "torch":
        import torch

        out["torch"] = torch.rand(3).tolist()
    return out


run = utils.setup(seed=7)
first = draws()
utils.setup(seed=7, verbose=False)
again = draws()
utils.setup(seed=8, verbose=False)
other = draws()
report = {"backend": run.backend, "deterministic": run.deterministic,
          "tensorflow_imported": "tensorflow" in sys.modules,
          "first": first, "again": again, "other": other}


def precision():
    if backend == "tensorflow":
        import tensorflow as tf

        return tf.config.experimental.tensor_float_32_execution_enabled()
    if backend == "jax":
        import jax

        return jax.config.jax_default_matmul_precision
    import torch

    # PyTorch 2.9+ API (mixing it with the legacy allow_tf32 flags raises)
    return [torch.backends.cuda.matmul.fp32_precision, torch.backends.cudnn.conv.fp32_precision,
            torch.backends.cudnn.rnn.fp32_precision]


if backend == "torch":  # not the defaults, to see that they are restored
    import torch

    torch.backends.cuda.matmul.fp32_precision = "tf32"
    torch.backends.cudnn.conv.fp32_precision = "tf32"
import keras

before = precision()
with utils.full_float32():
    inside = precision()
    product = keras.ops.matmul(keras.ops.ones((4, 8)), keras.ops.ones((8, 4)))
    total = float(keras.ops.convert_to_numpy(keras.ops.sum(product)))
after = precision()
try:
    with utils.full_float32():
        raise KeyError("inside")
except KeyError:
    pass
report["float32"] = {"before": before, "inside": inside, "after": after,
                     "after_error": precision(), "total": total}
print("REPORT " + json.dumps(report))
'''


@functools.cache
def _backend_report(backend: str) -> tuple[dict, str]:
    env = {key: value for key, value in os.environ.items() if key != "PYTHONPATH"}
    env.update(KERAS_BACKEND=backend, COURSE_MODE="fast")
    env.pop("COURSE_DETERMINISM", None)
    done = subprocess.run([sys.executable, "-c", _BACKEND_CHILD, backend], cwd=REPO_ROOT,
                          env=env, capture_output=True, text=True, timeout=180)
    assert done.returncode == 0, done.stdout + done.stderr
    lines = done.stdout.splitlines()
    report = [line for line in lines if line.startswith("REPORT ")]
    assert len(report) == 1, done.stdout + done.stderr
    setup_lines = [line for line in lines if line.startswith("Keras ")]
    assert len(setup_lines) == 1, done.stdout
    return json.loads(report[0].removeprefix("REPORT ")), setup_lines[0]


BACKENDS = ["tensorflow", "jax", "torch"]


@pytest.mark.parametrize("backend", BACKENDS)
def test_setup_makes_every_generator_reproducible(backend):
    report, line = _backend_report(backend)
    assert report["backend"] == backend and f"backend: {backend}" in line
    assert report["first"] == report["again"], "the same seed must give the same draws"
    for name, values in report["first"].items():
        assert values != report["other"][name], f"{name}: another seed gave the same draws"
    first_keras, second_keras = report["first"]["keras"]
    assert first_keras != second_keras, "Keras' global generator must move on between draws"


@pytest.mark.parametrize("backend", ["jax", "torch"])
def test_setup_does_not_import_tensorflow_on_other_backends(backend):
    report, line = _backend_report(backend)
    assert report["tensorflow_imported"] is False
    assert report["deterministic"] is False and "(deterministic ops)" not in line


def test_setup_line_says_deterministic_ops_on_tensorflow():
    report, line = _backend_report("tensorflow")
    assert report["deterministic"] is True
    assert line.endswith("seed: 7 (deterministic ops)"), line


@pytest.mark.parametrize("backend, before, inside", [
    ("tensorflow", True, False),
    ("jax", None, "float32"),
    ("torch", ["tf32", "tf32", "tf32"], ["ieee", "ieee", "ieee"]),
])
def test_full_float32_sets_and_restores_the_precision(backend, before, inside):
    result = _backend_report(backend)[0]["float32"]
    assert result["before"] == before
    assert result["inside"] == inside
    assert result["after"] == before and result["after_error"] == before
    assert result["total"] == 128.0
