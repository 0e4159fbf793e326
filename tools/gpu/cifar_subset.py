"""A small real subset of CIFAR-10 that travels to the GPU machine, and its expansion there.

The full ``cifar10.npz`` (170 MB) is too big to carry (64 MiB for everything), but
``utils.data.load_cifar10`` accepts only the full shapes with exactly 5000 training and 1000 test
images per class. So:

* ``make`` (here, prepare.sh): keep 500 training and 100 test images of each class, real images
  in their original order, compressed (about 17 MB). The test images are the first 100 of each
  class. The training images start as the first 500 of each class; the first 64 images of the
  training set always stay (the tests and notebook 03 look at the first ones), and a few of
  the others (about 60) are swapped for other real images of the same class until the subset's
  per-channel mean and standard deviation equal the full training set's (to 1e-4 and 1e-3):
  tests/test_data.py and notebook 03 compare those with the published values (to 1e-3, and
  rounded to 0.1 where the green channel's mean, 122.9504, is 0.0004 from the rounding edge).
* ``expand`` (on the GPU machine, run_fast_suite.sh): tile the subset 10 times, giving
  (50000, 32, 32, 3) and (10000, 32, 32, 3) uint8 images with (N, 1) uint8 labels and 5000 /
  1000 images per class, the layout of Keras' own file; written uncompressed to the given path.

Every image is real and labelled correctly, but each appears 10 times: accuracies of a run on
the expanded set say nothing about the real data (validation images have copies in training).
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import numpy as np

TRAIN_PER_CLASS, TEST_PER_CLASS, TILES = 500, 100, 10
KEEP_FIRST = 64  # the first training images stay, in place
MEAN_TOLERANCE, STD_TOLERANCE = 1e-4, 1e-3  # on the per-channel mean and std of the subset


def first_per_class(labels: np.ndarray, per_class: int) -> np.ndarray:
    """Indices (in order) of the first ``per_class`` images of each class."""
    labels = labels.ravel()
    chosen = [np.flatnonzero(labels == k)[:per_class] for k in range(10)]
    return np.sort(np.concatenate(chosen))


def channel_stats(images: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    pixels = images.reshape(-1, 3).astype(np.float64)
    return pixels.mean(axis=0), pixels.std(axis=0)


def matched_train_subset(x: np.ndarray, y: np.ndarray, seed: int = 0) -> np.ndarray:
    """500 real images per class whose channel mean and std equal the whole set's."""
    y = y.ravel()
    mean_of, square_of = np.empty((len(x), 3)), np.empty((len(x), 3))
    for start in range(0, len(x), 5000):  # in chunks: float64 pixels of all are 1.2 GB
        pixels = x[start:start + 5000].reshape(-1, 32 * 32, 3).astype(np.float64)
        mean_of[start:start + 5000] = pixels.mean(axis=1)  # each image's channel means
        square_of[start:start + 5000] = (pixels**2).mean(axis=1)  # and mean squares
    target_mean, target_std = mean_of.mean(axis=0), np.sqrt(
        square_of.mean(axis=0) - mean_of.mean(axis=0) ** 2)
    # Features scaled so that one unit of the summed error is MEAN_TOLERANCE on the subset's
    # mean (first three) or, to first order, STD_TOLERANCE on its standard deviation.
    n = 10 * TRAIN_PER_CLASS
    features = np.hstack([
        mean_of / (MEAN_TOLERANCE * n),
        (square_of - 2 * target_mean * mean_of) / (2 * target_std) / (STD_TOLERANCE * n),
    ])
    goal = features.mean(axis=0) * n

    chosen = np.zeros(len(x), bool)
    chosen[first_per_class(y, TRAIN_PER_CLASS)] = True
    fixed = np.zeros(len(x), bool)
    fixed[:KEEP_FIRST] = True
    rng = np.random.default_rng(seed)
    stalled = 0
    while stalled < 30:  # greedy: the best of 100 x 4500 swaps in each class; ~60 swaps
        error = goal - features[chosen].sum(axis=0)
        if np.abs(error).max() < 0.9:
            return np.flatnonzero(chosen)
        best = (np.linalg.norm(error), None, None)
        for k in range(10):
            inside = rng.choice(np.flatnonzero(chosen & ~fixed & (y == k)), size=100,
                                replace=False)
            outside = np.flatnonzero(~chosen & (y == k))
            # the error after swapping a (inside) for b (outside): error - (f_b - f_a)
            after = error - (features[outside][None, :, :] - features[inside][:, None, :])
            norms = np.linalg.norm(after, axis=2)
            i, j = np.unravel_index(norms.argmin(), norms.shape)
            if norms[i, j] < best[0]:
                best = (norms[i, j], inside[i], outside[j])
        if best[1] is None:
            stalled += 1
            continue
        stalled = 0
        chosen[best[1]], chosen[best[2]] = False, True
    raise RuntimeError(f"could not match the channel statistics (error {error})")
    return np.flatnonzero(chosen)


def make(source: Path, destination: Path) -> None:
    with np.load(source, allow_pickle=False) as arrays:
        x_train, y_train = arrays["x_train"], arrays["y_train"]
        x_test, y_test = arrays["x_test"], arrays["y_test"]
    train = matched_train_subset(x_train, y_train)
    test = first_per_class(y_test, TEST_PER_CLASS)
    subset = {"x_train": x_train[train], "y_train": y_train[train],
              "x_test": x_test[test], "y_test": y_test[test]}
    assert np.array_equal(subset["x_train"][:KEEP_FIRST], x_train[:KEEP_FIRST])
    full_mean, full_std = channel_stats(x_train)
    sub_mean, sub_std = channel_stats(subset["x_train"])
    assert np.abs(full_mean - sub_mean).max() < MEAN_TOLERANCE, (full_mean, sub_mean)
    assert np.abs(full_std - sub_std).max() < STD_TOLERANCE, (full_std, sub_std)
    assert (np.round(full_mean, 1) == np.round(sub_mean, 1)).all()
    assert (np.round(full_std, 1) == np.round(sub_std, 1)).all()
    swapped = len(np.setdiff1d(train, first_per_class(y_train, TRAIN_PER_CLASS)))
    destination.parent.mkdir(parents=True, exist_ok=True)
    np.savez_compressed(destination, **subset)
    print(f"{destination}: {len(train)} train + {len(test)} test real images "
          f"({swapped} train images swapped to match the statistics), "
          f"{destination.stat().st_size / 2**20:.1f} MiB")
    print(f"  channel mean full {np.round(full_mean, 4)} subset {np.round(sub_mean, 4)}")
    print(f"  channel std  full {np.round(full_std, 4)} subset {np.round(sub_std, 4)}")


def expand(source: Path, destination: Path) -> None:
    with np.load(source, allow_pickle=False) as arrays:
        subset = {name: arrays[name] for name in ("x_train", "y_train", "x_test", "y_test")}
    full = {}
    for name, array in subset.items():
        full[name] = np.tile(array, (TILES,) + (1,) * (array.ndim - 1))
    for split, per_class in (("train", TRAIN_PER_CLASS), ("test", TEST_PER_CLASS)):
        counts = np.bincount(full[f"y_{split}"].ravel(), minlength=10)
        assert counts.tolist() == [per_class * TILES] * 10, (split, counts)
        assert full[f"y_{split}"].shape == (10 * per_class * TILES, 1)
        assert full[f"x_{split}"].shape == (10 * per_class * TILES, 32, 32, 3)
        assert full[f"x_{split}"].dtype == full[f"y_{split}"].dtype == np.uint8
    destination.parent.mkdir(parents=True, exist_ok=True)
    np.savez(destination, **full)
    print(f"{destination}: CIFAR-10 subset tiled {TILES}x: train {full['x_train'].shape}, "
          f"test {full['x_test'].shape}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="CIFAR-10 subset for the GPU test run")
    parser.add_argument("action", choices=("make", "expand"))
    parser.add_argument("source", type=Path, help="make: the full cifar10.npz; expand: the subset")
    parser.add_argument("destination", type=Path)
    args = parser.parse_args(argv)
    (make if args.action == "make" else expand)(args.source, args.destination)
    return 0


if __name__ == "__main__":
    sys.exit(main())
