"""Notebook 06, section 6: the same training under keras.distribution's DataParallel (JAX).

`python -m utils.distributed` runs in its own process (XLA_FLAGS must be set before JAX is
imported) on 4 simulated CPU devices, with a narrow ResNet and a few hundred CIFAR-10 images.
"""

import importlib.util
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

REPO_ROOT = Path(__file__).resolve().parent.parent
DEVICES = 4
# One SGD step from the same weights on one device and on 4: the updated weights agree to float32
# rounding. Measured: at most 6e-8 (widths 8-64) and 1.4e-6 (the notebook's widths) absolute,
# against steps of 0.2, i.e. under 1e-5 of the step; the tolerance is 1e-4 of the step.
TOLERANCE_OF_STEP = 1e-4
TOLERANCE_LOSS = 1e-5


@pytest.fixture(scope="module")
def figures(tmp_path_factory) -> dict:
    if importlib.util.find_spec("jax") is None:
        pytest.skip("JAX is not installed (requirements-backends.txt)")
    out = tmp_path_factory.mktemp("distributed") / "figures.json"
    env = dict(os.environ, KERAS_BACKEND="jax",
               XLA_FLAGS=f"--xla_force_host_platform_device_count={DEVICES}")
    done = subprocess.run(
        [sys.executable, "-m", "utils.distributed", "--images", "512", "--epochs", "3",
         "--batch", "128", "--widths", "8", "16", "32", "64", "--json", str(out)],
        cwd=REPO_ROOT, env=env, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]
    return json.loads(out.read_text())


def test_it_ran_on_all_the_simulated_devices(figures):
    assert figures["devices"] == DEVICES
    assert figures["device_names"] == [f"cpu:{i}" for i in range(DEVICES)]


def test_one_distributed_step_matches_one_single_device_step(figures):
    step = figures["one_step"]
    assert step["max_weight_change"] > 1e-3, "the step changed the weights"
    assert step["max_abs_weight_difference"] < TOLERANCE_OF_STEP * step["max_weight_change"]
    assert abs(step["loss_single"] - step["loss_distributed"]) < TOLERANCE_LOSS


def test_the_distributed_training_lowers_the_loss(figures):
    losses = figures["epoch_losses"]
    assert len(losses) == 3
    assert losses[-1] < losses[0] - 0.1
