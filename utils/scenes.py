"""Scenes of real MNIST digits for segmentation, localization and detection (M2NIST-style).

There is no offline segmentation or detection dataset, so scenes are composed from real digits:
each scene places 1 to ``max_digits`` digits on a black canvas without overlapping boxes, and
the composition gives the labels for free: the class of every pixel, every digit's box, and
which digit every pixel belongs to.

>>> (x_train, y_train), _ = utils.data.load_mnist()  # doctest: +SKIP
>>> scenes = make_scenes(x_train, y_train, 100, size=64, max_digits=3, seed=0)  # doctest: +SKIP
>>> scenes.images.shape, scenes.masks.shape, scenes.boxes[0]  # doctest: +SKIP
((100, 64, 64), (100, 64, 64), array([[ 7, 30, 27, 45], ...]))

Conventions: ``masks`` holds the digit's class (0-9) on its ink and :data:`BACKGROUND` (10)
elsewhere; a pixel is ink when the digit's grey level there is at least ``ink_threshold``.
Boxes are ``(y0, x0, y1, x1)`` in pixels, ``y1``/``x1`` exclusive: the tight box of the digit's
ink. ``instances`` numbers the digits of a scene 1, 2, ... on their ink (0 = background).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

BACKGROUND = 10  # the class of pixels that belong to no digit
N_CLASSES = 11  # ten digits and the background
DIGIT_SIZE = 28


@dataclass(frozen=True)
class Scenes:
    """A batch of scenes and everything the composition knows about them.

    ``boxes[i]`` is an (n_i, 4) int array and ``labels[i]``, ``sources[i]`` are (n_i,) arrays for
    scene ``i``; ``sources`` are the indices of the digits used, in the arrays given to
    :func:`make_scenes` (so a test can check which split they came from).
    """

    images: np.ndarray  # (N, H, W) uint8
    masks: np.ndarray  # (N, H, W) uint8, 0-9 digit classes, 10 background
    instances: np.ndarray  # (N, H, W) uint8, 0 background, k = the scene's k-th digit
    boxes: list[np.ndarray]
    labels: list[np.ndarray]
    sources: list[np.ndarray]

    def __len__(self) -> int:
        return len(self.images)


def _check_arguments(digits, labels, n_scenes, size, min_digits, max_digits, ink_threshold):
    digits = np.asarray(digits)
    labels = np.asarray(labels).reshape(-1)
    if digits.ndim != 3 or digits.shape[1:] != (DIGIT_SIZE, DIGIT_SIZE):
        raise ValueError(f"digits must have shape (N, 28, 28), got {digits.shape}")
    if digits.dtype != np.uint8:
        raise ValueError(f"digits must be uint8 grey levels (as MNIST), got {digits.dtype}")
    if len(labels) != len(digits):
        raise ValueError(f"got {len(digits)} digits but {len(labels)} labels")
    if len(digits) == 0:
        raise ValueError("no digits to compose scenes from")
    if labels.min() < 0 or labels.max() > 9:
        raise ValueError(f"labels must be digits 0-9, got values from {labels.min()} "
                         f"to {labels.max()}")
    for name, value in (("n_scenes", n_scenes), ("size", size), ("min_digits", min_digits),
                        ("max_digits", max_digits)):
        if not isinstance(value, (int, np.integer)) or isinstance(value, bool):
            raise ValueError(f"{name} must be an int, got {value!r}")
    if n_scenes < 1:
        raise ValueError(f"n_scenes must be at least 1, got {n_scenes}")
    if size < DIGIT_SIZE:
        raise ValueError(f"size must be at least {DIGIT_SIZE} (one digit), got {size}")
    if not 1 <= min_digits <= max_digits:
        raise ValueError(f"need 1 <= min_digits <= max_digits, got {min_digits} and {max_digits}")
    if max_digits > (size // DIGIT_SIZE) ** 2 * 2:
        raise ValueError(f"{max_digits} digits cannot fit without overlap on a {size}x{size} "
                         "canvas; use fewer digits or a larger canvas")
    if not 0 < ink_threshold <= 255:
        raise ValueError(f"ink_threshold must be in (0, 255], got {ink_threshold}")
    return digits, labels


def _overlaps(box, boxes) -> bool:
    y0, x0, y1, x1 = box
    return any(y0 < b1 and b0 < y1 and x0 < c1 and c0 < x1 for b0, c0, b1, c1 in boxes)


def _place(digits, count, size, ink_threshold, rng, max_tries):
    """Positions of ``count`` random digits with disjoint ink boxes, or None if one found no room.

    Returns a list of (digit index, top, left, ink box in canvas coordinates).
    """
    placed: list[tuple[int, int, int, tuple[int, int, int, int]]] = []
    while len(placed) < count:
        index = int(rng.integers(len(digits)))
        ink = digits[index] >= ink_threshold
        if not ink.any():
            continue  # an empty image has no box: draw another
        rows, cols = np.flatnonzero(ink.any(axis=1)), np.flatnonzero(ink.any(axis=0))
        for _ in range(max_tries):
            top, left = (int(v) for v in rng.integers(0, size - DIGIT_SIZE + 1, size=2))
            box = (top + int(rows[0]), left + int(cols[0]), top + int(rows[-1]) + 1,
                   left + int(cols[-1]) + 1)
            if not _overlaps(box, [p[3] for p in placed]):
                placed.append((index, top, left, box))
                break
        else:
            return None
    return placed


def make_scenes(
    digits,
    labels,
    n_scenes: int,
    *,
    size: int = 64,
    min_digits: int = 1,
    max_digits: int = 3,
    ink_threshold: int = 64,
    seed: int = 0,
    max_tries: int = 200,
) -> Scenes:
    """Compose ``n_scenes`` scenes of ``size`` x ``size`` from real digits, deterministically.

    Each scene draws its number of digits uniformly in ``[min_digits, max_digits]`` and each
    digit at random (with replacement) from ``digits``; a digit's 28x28 patch is placed where
    its ink box overlaps no other digit's box (``max_tries`` positions per digit; a scene that
    runs out of room starts again, up to ``max_tries`` times, then an error).
    The same arguments and ``seed`` give the same scenes on every machine.
    """
    digits, labels = _check_arguments(digits, labels, n_scenes, size, min_digits, max_digits,
                                      ink_threshold)
    rng = np.random.default_rng(seed)
    images = np.zeros((n_scenes, size, size), np.uint8)
    masks = np.full((n_scenes, size, size), BACKGROUND, np.uint8)
    instances = np.zeros((n_scenes, size, size), np.uint8)
    all_boxes, all_labels, all_sources = [], [], []
    for scene in range(n_scenes):
        count = int(rng.integers(min_digits, max_digits + 1))
        placed = None
        for _ in range(max_tries):  # a scene that runs out of room starts again
            placed = _place(digits, count, size, ink_threshold, rng, max_tries)
            if placed is not None:
                break
        if placed is None:
            raise RuntimeError(f"could not place {count} digits without overlap in scene "
                               f"{scene} after {max_tries} attempts: use a larger canvas")
        for number, (index, top, left, _) in enumerate(placed, start=1):
            window = (scene, slice(top, top + DIGIT_SIZE), slice(left, left + DIGIT_SIZE))
            ink = digits[index] >= ink_threshold
            images[window] = np.maximum(images[window], digits[index])
            masks[window][ink] = labels[index]
            instances[window][ink] = number
        all_boxes.append(np.array([p[3] for p in placed], dtype=np.int64).reshape(-1, 4))
        all_labels.append(np.array([labels[p[0]] for p in placed], dtype=np.int64))
        all_sources.append(np.array([p[0] for p in placed], dtype=np.int64))
    return Scenes(images, masks, instances, all_boxes, all_labels, all_sources)
