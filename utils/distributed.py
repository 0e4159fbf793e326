"""Data-parallel training with ``keras.distribution`` on the JAX backend (notebook 06, section 6).

JAX reads ``XLA_FLAGS`` once, when it is first imported, so this runs in a process of its own::

    XLA_FLAGS=--xla_force_host_platform_device_count=4 KERAS_BACKEND=jax \\
        python -m utils.distributed --images 2048 --epochs 2 --json /tmp/dp.json

The flag splits the CPU into 4 simulated devices. On a machine with several GPUs, leave it out:
the same code then spreads each batch over every GPU (``keras.distribution.list_devices()``).

What it does:

1. **One step, two ways.** The small ResNet of ``utils.resnet`` is built once; its initial
   weights are copied into a second model built inside ``DataParallel(...).scope()``. Both
   take one SGD step (constant learning rate, no augmentation) on the same global batch. The
   losses and the weights after the step must agree to float32 rounding: data parallelism
   changes where the arithmetic happens (each device takes a slice of the batch, the gradients
   are summed across devices), not what is computed. Batch normalization sees the whole global
   batch in both (JAX computes the mean over a sharded axis across devices).
2. **The same training, distributed.** The ResNet recipe of notebook 06 (flips and shifts,
   warm-up and cosine decay, label smoothing) on a CIFAR-10 subset, data-parallel over all
   devices, one log line per epoch. The augmentation is done in NumPy before each epoch (see
   :func:`flip_and_shift` for why).
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from pathlib import Path


def _max_differences(before: list, after: list) -> tuple[float, float]:
    """(largest absolute difference, largest difference relative to the array's scale)."""
    import numpy as np

    absolute, relative = 0.0, 0.0
    for a, b in zip(before, after, strict=True):
        difference = float(np.max(np.abs(a - b))) if a.size else 0.0
        scale = float(np.max(np.abs(a))) if a.size else 0.0
        absolute = max(absolute, difference)
        relative = max(relative, difference / scale if scale else difference)
    return absolute, relative


def flip_and_shift(images, rng, shift: int = 4):
    """The ResNet recipe's augmentation in NumPy: a random horizontal flip and a random shift of
    up to ``shift`` pixels (reflected edges) per image.

    Here, not Keras' RandomFlip/RandomTranslation layers: inside a model trained under
    DataParallel on simulated CPU devices (Keras 3.15.1, JAX 0.10.2) those layers made XLA's
    all-reduce wait forever for the other devices (a 40 s timeout, then an abort).
    """
    import numpy as np

    n, height, width, _ = images.shape
    flip = rng.random(n) < 0.5
    out = np.where(flip[:, None, None, None], images[:, :, ::-1], images)
    padded = np.pad(out, ((0, 0), (shift, shift), (shift, shift), (0, 0)), mode="reflect")
    rows = rng.integers(0, 2 * shift + 1, n)
    cols = rng.integers(0, 2 * shift + 1, n)
    return np.stack([padded[i, r:r + height, c:c + width] for i, (r, c) in
                     enumerate(zip(rows, cols, strict=True))]).astype(np.float32)


def one_step_agreement(build, x, y, distribution, learning_rate: float = 0.05) -> dict:
    """One SGD step on (x, y) on one device and under ``distribution``, from the same weights.

    Returns both losses, the largest absolute difference between the updated weights (and
    relative to each array's largest value), the largest change the step made to any weight,
    and the ratio of the two (difference / change): float32 rounding makes it about 1e-5 at
    most; a real disagreement (a wrong gradient, a batch statistic of one device only) would
    make it of order 1.
    """
    import keras
    import numpy as np

    def compile_plain(model):
        model.compile(optimizer=keras.optimizers.SGD(learning_rate=learning_rate, momentum=0.9),
                      loss="categorical_crossentropy")

    single = build()
    compile_plain(single)
    start = [w.copy() for w in single.get_weights()]
    loss_single = float(np.asarray(single.train_on_batch(x, y)).ravel()[0])
    after_single = single.get_weights()
    with distribution.scope():
        parallel = build()
        compile_plain(parallel)
        parallel.set_weights(start)
        loss_parallel = float(np.asarray(parallel.train_on_batch(x, y)).ravel()[0])
        after_parallel = parallel.get_weights()
    absolute, relative = _max_differences(after_single, after_parallel)
    moved, _ = _max_differences(start, after_single)
    return {"loss_single": loss_single, "loss_distributed": loss_parallel,
            "max_abs_weight_difference": absolute, "max_rel_weight_difference": relative,
            "max_weight_change": moved,
            # the disagreement measured against the step itself: what the test bounds
            "difference_over_step": absolute / moved if moved else absolute}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--images", type=int, default=2048, help="training images (CIFAR-10)")
    parser.add_argument("--epochs", type=int, default=2)
    parser.add_argument("--batch", type=int, default=256, help="global batch (all devices)")
    parser.add_argument("--widths", type=int, nargs=4, default=None,
                        help="channels of the ResNet (default: utils.resnet.WIDTHS)")
    parser.add_argument("--seed", type=int, default=42)
    parser.add_argument("--json", type=Path, default=None, help="write the figures here")
    args = parser.parse_args(argv)

    os.environ.setdefault("KERAS_BACKEND", "jax")
    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
    import keras
    import numpy as np

    from . import resnet
    from .settings import seed_everything

    if keras.backend.backend() != "jax":
        print(f"keras.distribution's DataParallel needs the JAX backend, not "
              f"{keras.backend.backend()}: run with KERAS_BACKEND=jax", file=sys.stderr)
        return 2
    devices = keras.distribution.list_devices()
    if args.batch % len(devices):
        print(f"the global batch ({args.batch}) must be a multiple of the number of devices "
              f"({len(devices)})", file=sys.stderr)
        return 2
    print(f"Keras {keras.__version__}, JAX backend: {len(devices)} devices: {', '.join(devices)}")
    widths = tuple(args.widths) if args.widths else resnet.WIDTHS
    data = resnet.prepare_cifar10(n_train=args.images, n_val=min(1_000, args.images),
                                  n_test=1_000, seed=args.seed)
    mesh = keras.distribution.DeviceMesh(shape=(len(devices),), axis_names=["batch"],
                                         devices=devices)
    distribution = keras.distribution.DataParallel(device_mesh=mesh)
    per_device = args.batch // len(devices)
    print(f"DataParallel: each global batch of {args.batch} is split into {len(devices)} slices "
          f"of {per_device}; every device holds a full copy of the weights")

    seed_everything(args.seed, "jax")  # (keras.utils.set_random_seed would import TF)
    x, y = data.x_train[:args.batch], resnet.one_hot(data.y_train[:args.batch])
    step = one_step_agreement(lambda: resnet.cifar_resnet(widths), x, y, distribution)
    print(f"one step from the same weights: loss {step['loss_single']:.6f} on one device, "
          f"{step['loss_distributed']:.6f} on {len(devices)}; updated weights differ by at most "
          f"{step['max_abs_weight_difference']:.2e} (the step itself moved them by up to "
          f"{step['max_weight_change']:.2e})")

    seed_everything(args.seed, "jax")  # (keras.utils.set_random_seed would import TF)
    rng = np.random.default_rng(args.seed)
    with distribution.scope():
        model = resnet.cifar_resnet(widths)
        steps = args.epochs * -(-len(data.x_train) // args.batch)
        resnet.compile_resnet(model, steps=steps)
        start = time.perf_counter()
        losses = []
        for epoch in range(args.epochs):
            images = flip_and_shift(data.x_train, rng)
            history = model.fit(images, resnet.one_hot(data.y_train), initial_epoch=epoch,
                                epochs=epoch + 1, batch_size=args.batch, verbose=2)
            losses += [float(v) for v in history.history["loss"]]
        seconds = time.perf_counter() - start
        _, val_accuracy = model.evaluate(data.x_val, resnet.one_hot(data.y_val), verbose=0,
                                         batch_size=args.batch)
    print(f"data-parallel training: loss {losses[0]:.4f} -> {losses[-1]:.4f} in {args.epochs} "
          f"epochs ({seconds:.1f} s), validation accuracy {val_accuracy:.4f}")
    figures = {"devices": len(devices), "device_names": devices, "global_batch": args.batch,
               "images": len(data.x_train), "epochs": args.epochs, "widths": list(widths),
               "one_step": step, "epoch_losses": losses, "seconds": seconds,
               "val_accuracy": float(val_accuracy), "keras_version": keras.__version__}
    if args.json:
        args.json.write_text(json.dumps(figures, indent=1), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
