"""Run settings: the one switch between full and fast mode, and the setup line."""

import pytest

from utils import settings
from utils.settings import RunSettings


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
