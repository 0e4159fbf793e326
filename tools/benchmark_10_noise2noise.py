"""Train notebook 10's two Gaussian denoisers outside the notebook and time them.

Checks, on an idle machine, that the notebook's recipe meets its issue's goal before a full run:
the Noise2Noise network at least 28.57 dB mean PSNR on BSD68 at sigma 25 (BM3D's published
figure) with at most 30 minutes of training on the course's 2-core CPU, and the clean-target
twin within 0.3 dB of it. The network, its cost and the patch sampler are the notebook's own
(``utils/denoise.py``); the settings default to the notebook's full mode.

    .venv/bin/python tools/benchmark_10_noise2noise.py                      # the notebook's recipe
    .venv/bin/python tools/benchmark_10_noise2noise.py --steps 2000 --width 48
    .venv/bin/python tools/benchmark_10_noise2noise.py --fast               # a one-minute check
    .venv/bin/python tools/benchmark_10_noise2noise.py --only noisy         # one twin only
    .venv/bin/python tools/benchmark_10_noise2noise.py --only noisy --self-ensemble

It writes a JSON file (``--output``, default ``build/benchmark_10_noise2noise.json``) with the
settings, each network's training seconds, mean PSNR on BSD68 and Set12 and the estimated and
measured multiply-adds per second, and prints one line per epoch and a summary. With
``--self-ensemble`` it also scores the mean output over the 8 rotations and flips of each test
image, as a separate entry beside the plain figure. Run it with nothing else on the CPU: the
seconds are the point.
"""

from __future__ import annotations

import argparse
import functools
import json
import sys
import time
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO_ROOT))

SIGMA = 25 / 255
GOAL_DB = 28.57  # BM3D on BSD68 at sigma 25, the DnCNN repository's table
MAX_GAP_DB = 0.3
MAX_SECONDS = 30 * 60


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--steps", type=int, default=4000, help="training steps per network")
    parser.add_argument("--steps-per-epoch", type=int, default=200,
                        help="steps between two validation lines (default 200)")
    parser.add_argument("--batch", type=int, default=16, help="patches per batch")
    parser.add_argument("--patch", type=int, default=64, help="patch size in pixels (even)")
    parser.add_argument("--width", type=int, default=64, help="features per layer")
    parser.add_argument("--depth", type=int, default=9, help="3x3 layers at half resolution")
    parser.add_argument("--learning-rate", type=float, default=1e-3,
                        help="Adam's peak rate (5%% warm-up, then a cosine to 1%% of it)")
    parser.add_argument("--rate", type=float, default=100e9,
                        help="assumed training multiply-adds per second, for the estimate")
    parser.add_argument("--only", choices=("clean", "noisy"), help="train one twin only")
    parser.add_argument("--fast", action="store_true",
                        help="a quick check: 120 steps of 8 patches of 48x48, 4+3 test images")
    parser.add_argument("--self-ensemble", action="store_true",
                        help="also score the average of the outputs on the 8 rotations and "
                             "flips of each test image (8 times the test time)")
    parser.add_argument("--seed", type=int, default=42)
    parser.add_argument("--output", type=Path,
                        default=REPO_ROOT / "build" / "benchmark_10_noise2noise.json")
    args = parser.parse_args(argv)
    if args.fast:
        args.steps, args.steps_per_epoch, args.batch, args.patch = 120, 40, 8, 48
    if args.steps < 1 or args.steps_per_epoch < 1 or args.steps % args.steps_per_epoch:
        parser.error("--steps must be a positive multiple of --steps-per-epoch")
    if args.patch % 2:
        parser.error("--patch must be even (the network halves the resolution)")
    return args


def gaussian_noise(clean, rng, sigma=SIGMA):
    return clean + sigma * rng.standard_normal(clean.shape)


def self_ensemble(denoise, noisy):
    """The mean of ``denoise``'s outputs on the 8 rotations and flips of ``noisy``, undone."""
    import numpy as np

    outputs = []
    for quarter_turns in range(4):
        for flip in (False, True):
            view = np.rot90(noisy, quarter_turns)
            view = view[:, ::-1] if flip else view
            output = denoise(np.ascontiguousarray(view))
            outputs.append(np.rot90(output[:, ::-1] if flip else output, -quarter_turns))
    return np.mean(outputs, axis=0)


def psnr(clean, estimate) -> float:
    import numpy as np

    error = np.asarray(clean, np.float64) - np.asarray(estimate, np.float64)
    return float(10 * np.log10(1 / np.mean(error**2)))


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    import utils

    run = utils.setup(seed=args.seed)  # prints the versions, backend and run mode
    import keras
    import numpy as np

    from utils.data import load_denoising_images
    from utils.denoise import denoise_image, denoiser, multiply_adds, noisy_patches
    from utils.settings import seed_everything
    from utils.training import fit_best

    train_all = load_denoising_images("Train400")
    n_val = 4 if args.fast else 16
    train_images = train_all[:32] if args.fast else train_all[:-n_val]
    val_clean = (np.stack(train_all[-n_val:])[..., None] / 255).astype("float32")
    tests = {"BSD68": load_denoising_images("BSD68")[: 4 if args.fast else None],
             "Set12": load_denoising_images("Set12")[: 3 if args.fast else None]}
    tests = {name: ([x / 255 for x in images],
                    [gaussian_noise(x / 255, np.random.default_rng([seed, i]))
                     for i, x in enumerate(images)])
             for (name, images), seed in zip(tests.items(), (68, 12), strict=True)}

    epochs = args.steps // args.steps_per_epoch
    probe = denoiser(args.width, args.depth)
    per_step = 3 * args.batch * multiply_adds(probe, args.patch, args.patch)
    estimate = per_step * args.steps / args.rate
    report: dict = {"settings": {k: (str(v) if isinstance(v, Path) else v)
                                 for k, v in vars(args).items()},
                    "backend": run.backend, "parameters": int(probe.count_params()),
                    "multiply_adds_per_pixel": multiply_adds(probe, 64, 64) / 64**2,
                    "estimated_train_seconds": round(estimate, 1), "twins": {}}
    print(f"{report['parameters']:,} parameters, {report['multiply_adds_per_pixel']:,.0f} "
          f"multiply-adds per pixel; {args.steps} steps estimated at {estimate / 60:.1f} min")

    for target in ("clean", "noisy") if args.only is None else (args.only,):
        seed_everything(args.seed, run.backend)  # no TensorFlow import on JAX or PyTorch
        model = denoiser(args.width, args.depth, name=f"{target}_target")
        warmup = args.steps // 20  # as in the notebook: 5 % warm-up, then a cosine to 1 %
        schedule = keras.optimizers.schedules.CosineDecay(
            args.learning_rate / 100, args.steps - warmup, alpha=0.01,
            warmup_target=args.learning_rate, warmup_steps=warmup)
        model.compile(optimizer=keras.optimizers.Adam(schedule), loss="mean_squared_error")
        patches = noisy_patches(train_images, gaussian_noise, batch_size=args.batch,
                                patch_size=args.patch, steps=args.steps_per_epoch,
                                target=target, seed=args.seed)
        x_val = gaussian_noise(val_clean, np.random.default_rng([args.seed, 1])).astype("float32")
        y_val = val_clean if target == "clean" else gaussian_noise(
            val_clean, np.random.default_rng([args.seed, 2])).astype("float32")
        print(f"{target} targets:", flush=True)
        result = fit_best(model, patches, validation_data=(x_val, y_val), epochs=epochs,
                          batch_size=None, monitor="val_loss")
        scores = {}
        start = time.perf_counter()
        for name, (clean, noisy) in tests.items():
            scores[name] = float(np.mean([psnr(c, denoise_image(model, y))
                                          for c, y in zip(clean, noisy, strict=True)]))
        if args.self_ensemble:
            for name, (clean, noisy) in tests.items():
                scores[f"{name}, self-ensemble"] = float(np.mean(
                    [psnr(c, self_ensemble(functools.partial(denoise_image, model), y))
                     for c, y in zip(clean, noisy, strict=True)]))
        report["twins"][target] = {
            "train_seconds": round(result.train_seconds, 1),
            "multiply_adds_per_second": per_step * args.steps / result.train_seconds,
            "best_epoch": result.best_epoch, "val_loss": result.history["val_loss"],
            "psnr": scores, "test_seconds": round(time.perf_counter() - start, 1)}
        print(f"{target} targets: {result.train_seconds / 60:.1f} min of training, "
              f"BSD68 {scores['BSD68']:.2f} dB, Set12 {scores['Set12']:.2f} dB"
              + (f" (self-ensemble: BSD68 {scores['BSD68, self-ensemble']:.2f} dB)"
                 if args.self_ensemble else ""), flush=True)

    twins = report["twins"]
    if "noisy" in twins and not args.fast:  # the goal is for the full settings
        report["goal_met"] = (twins["noisy"]["psnr"]["BSD68"] >= GOAL_DB
                              and twins["noisy"]["train_seconds"] <= MAX_SECONDS)
        if "clean" in twins:
            gap = twins["clean"]["psnr"]["BSD68"] - twins["noisy"]["psnr"]["BSD68"]
            report["clean_minus_noise2noise"] = gap
            report["goal_met"] = report["goal_met"] and abs(gap) <= MAX_GAP_DB
        print(f"goal (Noise2Noise >= {GOAL_DB} dB on BSD68 in <= 30 min, twins within "
              f"{MAX_GAP_DB} dB): {'met' if report['goal_met'] else 'NOT met'}")
    args.output.parent.mkdir(parents=True, exist_ok=True)
    args.output.write_text(json.dumps(report, indent=2) + "\n", encoding="utf-8")
    print(f"wrote {args.output}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
