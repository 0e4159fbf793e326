"""utils.scenes: scenes of real digits whose masks and boxes agree with their pixels."""

import numpy as np
import pytest

from utils.data import load_mnist
from utils.scenes import BACKGROUND, make_scenes


@pytest.fixture(scope="module")
def mnist():
    return load_mnist()


@pytest.fixture(scope="module")
def scenes(mnist):
    (x_train, y_train), _ = mnist
    return make_scenes(x_train[:2000], y_train[:2000], 60, size=64, max_digits=4, seed=3)


def test_the_same_seed_gives_the_same_scenes(mnist):
    (x_train, y_train), _ = mnist
    one = make_scenes(x_train[:500], y_train[:500], 10, seed=7)
    two = make_scenes(x_train[:500], y_train[:500], 10, seed=7)
    other = make_scenes(x_train[:500], y_train[:500], 10, seed=8)
    assert np.array_equal(one.images, two.images) and np.array_equal(one.masks, two.masks)
    assert all(np.array_equal(a, b) for a, b in zip(one.boxes, two.boxes, strict=True))
    assert not np.array_equal(one.images, other.images)


def test_shapes_counts_and_types(scenes):
    assert scenes.images.shape == scenes.masks.shape == scenes.instances.shape == (60, 64, 64)
    assert scenes.images.dtype == scenes.masks.dtype == np.uint8
    counts = [len(b) for b in scenes.boxes]
    assert min(counts) >= 1 and max(counts) <= 4 and len(set(counts)) > 1
    assert [len(lab) for lab in scenes.labels] == counts == [len(s) for s in scenes.sources]


def test_masks_agree_with_the_pixels(scenes, mnist):
    ink = scenes.images >= 64
    assert np.all(scenes.masks[~ink] == BACKGROUND), "dark pixels are background"
    assert np.all(scenes.masks[ink] != BACKGROUND), "ink belongs to a digit"
    for i in range(len(scenes)):
        for k, label in enumerate(scenes.labels[i], start=1):
            assert np.all(scenes.masks[i][scenes.instances[i] == k] == label)


def test_boxes_are_the_tight_boxes_of_each_digit(scenes):
    for i in range(len(scenes)):
        boxes = scenes.boxes[i]
        for k, (y0, x0, y1, x1) in enumerate(boxes, start=1):
            rows, cols = np.nonzero(scenes.instances[i] == k)
            assert (rows.min(), cols.min(), rows.max() + 1, cols.max() + 1) == (y0, x0, y1, x1)
        for a in range(len(boxes)):  # no two boxes overlap
            for b in range(a + 1, len(boxes)):
                ya0, xa0, ya1, xa1 = boxes[a]
                yb0, xb0, yb1, xb1 = boxes[b]
                assert ya1 <= yb0 or yb1 <= ya0 or xa1 <= xb0 or xb1 <= xa0


def test_digits_come_from_the_split_given(mnist):
    (x_train, y_train), (x_test, y_test) = mnist
    test_scenes = make_scenes(x_test, y_test, 30, seed=1)
    used = np.concatenate(test_scenes.sources)
    assert used.max() < len(x_test)
    for i in range(len(test_scenes)):
        assert np.array_equal(test_scenes.labels[i], y_test[test_scenes.sources[i]])


@pytest.mark.parametrize(
    "kwargs, message",
    [
        ({"n_scenes": 0}, "n_scenes must be at least 1"),
        ({"size": 20}, "size must be at least 28"),
        ({"min_digits": 3, "max_digits": 2}, "min_digits <= max_digits"),
        ({"max_digits": 40}, "cannot fit"),
        ({"ink_threshold": 0}, "ink_threshold"),
        ({"size": 64.0}, "size must be an int"),
    ],
)
def test_bad_arguments_are_named(mnist, kwargs, message):
    (x_train, y_train), _ = mnist
    arguments = {"n_scenes": 2, **kwargs}
    n_scenes = arguments.pop("n_scenes")
    with pytest.raises(ValueError, match=message):
        make_scenes(x_train[:10], y_train[:10], n_scenes, **arguments)


def test_bad_digits_are_named(mnist):
    (x_train, y_train), _ = mnist
    with pytest.raises(ValueError, match=r"shape \(N, 28, 28\)"):
        make_scenes(x_train[:10, :20], y_train[:10], 2)
    with pytest.raises(ValueError, match="uint8"):
        make_scenes(x_train[:10] / 255, y_train[:10], 2)
    with pytest.raises(ValueError, match="10 digits but 9 labels"):
        make_scenes(x_train[:10], y_train[:9], 2)
    with pytest.raises(ValueError, match="labels must be digits"):
        make_scenes(x_train[:10], y_train[:10] + 5, 2)


def test_a_crowded_canvas_is_reported(mnist):
    (x_train, y_train), _ = mnist
    with pytest.raises(RuntimeError, match="larger canvas"):
        make_scenes(x_train[:50], y_train[:50], 3, size=28, min_digits=2, max_digits=2,
                    max_tries=20)
