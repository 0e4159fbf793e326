"""Notebook 06's comparison outside the notebook: the small ResNet and MiniVGG on CIFAR-10.

Both are trained on the same 45,000 images (5,000 held out for validation), the ResNet with its
recipe (utils.resnet.compile_resnet), MiniVGG with notebook 03's, for the same number of epochs;
each is timed, evaluated once on the 10,000 test images (with and without flip averaging),
and the figures are written as JSON::

    KERAS_BACKEND=tensorflow python tools/benchmark_06_resnet_vs_minivgg.py --epochs 12
    python tools/benchmark_06_resnet_vs_minivgg.py --fast          # a quick check that it runs
    python tools/benchmark_06_resnet_vs_minivgg.py --only resnet --widths 16 32 96 192

Run it on an idle machine: the times are the point.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import sys
import time
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO_ROOT))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--epochs", type=int, default=None,
                        help="epochs of each network (default: 12, or 2 with --fast)")
    parser.add_argument("--fast", action="store_true",
                        help="2,000 training images, 2 epochs: checks that it runs")
    parser.add_argument("--widths", type=int, nargs=4, default=None,
                        help="ResNet channels (default: utils.resnet.WIDTHS)")
    parser.add_argument("--batch", type=int, default=None, help="ResNet batch size")
    parser.add_argument("--only", choices=("resnet", "minivgg"), default=None)
    parser.add_argument("--seed", type=int, default=42)
    parser.add_argument("--json", type=Path, default=REPO_ROOT / "build" / "benchmark_06.json")
    args = parser.parse_args(argv)

    import utils

    run = utils.setup(seed=args.seed)
    from utils import resnet

    epochs = args.epochs or (2 if args.fast else 12)
    n_train, n_val, n_test = (2_000, 1_000, 2_000) if args.fast else (45_000, 5_000, 10_000)
    data = resnet.prepare_cifar10(n_train=n_train, n_val=n_val, n_test=n_test, seed=args.seed)
    widths = tuple(args.widths) if args.widths else resnet.WIDTHS
    figures = {"backend": run.backend, "keras_version": run.keras_version,
               "machine": platform.machine(), "cpu_count": os.cpu_count(), "fast": args.fast,
               "n_train": n_train, "n_test": n_test, "epochs": epochs,
               "date": time.strftime("%Y-%m-%d %H:%M")}

    def record(name, trained):
        figures[name] = {
            "test_accuracy": trained.test_accuracy,
            "test_accuracy_flip_averaged": trained.test_accuracy_flip,
            "train_seconds": round(trained.seconds, 1),
            "epoch_seconds": [round(s, 1) for s in trained.result.epoch_seconds],
            "best_epoch": trained.result.best_epoch, "epochs": trained.epochs,
            "batch_size": trained.batch_size, "parameters": int(trained.core.count_params()),
            "val_accuracy": trained.result.history["val_accuracy"]}
        print(f"{name}: test accuracy {trained.test_accuracy:.4f} "
              f"({trained.test_accuracy_flip:.4f} with flip averaging), "
              f"{trained.seconds:.0f} s for {trained.epochs} epochs", flush=True)

    if args.only in (None, "resnet"):
        kwargs = {"batch_size": args.batch} if args.batch else {}
        record("resnet", resnet.train_resnet(data, epochs, widths=widths, seed=args.seed,
                                             **kwargs))
        figures["resnet"]["widths"] = list(widths)
    if args.only in (None, "minivgg"):
        record("minivgg", resnet.train_minivgg(data, epochs, seed=args.seed))
    args.json.parent.mkdir(parents=True, exist_ok=True)
    args.json.write_text(json.dumps(figures, indent=1), encoding="utf-8")
    print(f"figures written to {args.json}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
