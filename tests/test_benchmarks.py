"""Smoke tests of the benchmark scripts in tools/: they run end to end and write sane figures.

Each script is run in its own process with ``--fast`` (a few real images, a few steps), on the
backend under test, and its JSON is read back. The figures a full benchmark produces are the
scripts' point; these tests only guard against a script that no longer runs or writes nonsense.
"""

import importlib.util
import json
import math
import os
import subprocess
import sys
from pathlib import Path

import pytest

REPO_ROOT = Path(__file__).resolve().parent.parent
TOOLS = REPO_ROOT / "tools"
NOISY_INPUT_DB = 20 * math.log10(255 / 25)  # Gaussian noise of sigma 25, unclipped: 20.17 dB


def run_tool(script: str, *args: str, timeout: int = 600) -> None:
    done = subprocess.run([sys.executable, str(TOOLS / script), *args], cwd=REPO_ROOT,
                          env=dict(os.environ), capture_output=True, text=True, timeout=timeout)
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]


def load_tool(script: str):
    spec = importlib.util.spec_from_file_location(Path(script).stem, TOOLS / script)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.mark.parametrize("argv, message", [
    (["--steps", "150", "--steps-per-epoch", "100"], "multiple of --steps-per-epoch"),
    (["--steps", "0"], "positive multiple"),
    (["--patch", "63"], "must be even"),
])
def test_benchmark_10_rejects_bad_settings(argv, message, capsys):
    module = load_tool("benchmark_10_noise2noise.py")
    with pytest.raises(SystemExit) as stopped:
        module.parse_args(argv)
    assert stopped.value.code == 2
    assert message in capsys.readouterr().err


def test_self_ensemble_undoes_each_rotation_and_flip():
    import numpy as np

    module = load_tool("benchmark_10_noise2noise.py")
    image = np.random.default_rng(0).random((6, 9))
    seen = []

    def record(view):
        seen.append(view.copy())
        return 2 * view  # commutes with every rotation and flip

    assert np.allclose(module.self_ensemble(record, image), 2 * image)
    assert len(seen) == 8 and len({view.tobytes() for view in seen}) == 8
    # a function that does not commute with them: the mean of 8 different answers
    shifted = module.self_ensemble(lambda view: np.roll(view, 1, axis=0), image)
    assert shifted.shape == image.shape and not np.allclose(shifted, np.roll(image, 1, axis=0))


def test_benchmark_10_fast_trains_both_twins(tmp_path):
    out = tmp_path / "benchmark_10.json"
    run_tool("benchmark_10_noise2noise.py", "--fast", "--output", str(out))
    report = json.loads(out.read_text())
    assert report["backend"] == os.environ.get("KERAS_BACKEND", report["backend"])
    assert set(report["twins"]) == {"clean", "noisy"}
    assert "goal_met" not in report, "the goal is only judged at the full settings"
    for target, twin in report["twins"].items():
        assert twin["train_seconds"] > 0 and len(twin["val_loss"]) == 3  # 120 steps of 40
        for test_set in ("BSD68", "Set12"):
            # the untrained network returns its input (20.17 dB); 120 small steps must improve it
            assert twin["psnr"][test_set] > NOISY_INPUT_DB + 1, (target, test_set, twin["psnr"])


def test_benchmark_06_fast_trains_both_networks(tmp_path):
    out = tmp_path / "benchmark_06.json"
    run_tool("benchmark_06_resnet_vs_minivgg.py", "--fast", "--epochs", "1", "--json", str(out))
    figures = json.loads(out.read_text())
    assert figures["fast"] and figures["epochs"] == 1 and figures["n_train"] == 2_000
    for name in ("resnet", "minivgg"):
        network = figures[name]
        assert network["epochs"] == 1 and len(network["epoch_seconds"]) == 1
        assert network["train_seconds"] > 0 and network["parameters"] > 100_000
        for key in ("test_accuracy", "test_accuracy_flip_averaged"):
            # one epoch on 2,000 images: better than chance (10 %) by a margin, far from done
            assert 0.15 < network[key] < 0.9, (name, key, network[key])
