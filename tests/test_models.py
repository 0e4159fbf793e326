"""Shared model builders match the slides' tables."""

import pytest

from utils import models


def _shapes(model):
    return {layer.name: tuple(layer.output.shape[1:]) for layer in model.layers}


def test_lenet_matches_seed_004_table():
    model = models.lenet()
    shapes = _shapes(model)
    assert model.count_params() == 1_256_080
    assert shapes["conv1"] == (28, 28, 20) and shapes["pool1"] == (14, 14, 20)
    assert shapes["conv2"] == (14, 14, 50) and shapes["pool2"] == (7, 7, 50)
    assert model.output_shape == (None, 10)


def test_minivgg_with_and_without_batch_norm():
    with_bn, without_bn = models.minivgg(), models.minivgg(batch_norm=False)
    assert with_bn.count_params() == 2_171_178
    n_bn = sum("BatchNormalization" in type(layer).__name__ for layer in with_bn.layers)
    assert n_bn == 5
    assert not any("BatchNormalization" in type(layer).__name__ for layer in without_bn.layers)
    assert with_bn.output_shape == without_bn.output_shape == (None, 10)
    rates = [layer.rate for layer in models.minivgg(dropout=(0.1, 0.2, 0.3)).layers
             if "Dropout" in type(layer).__name__]
    assert rates == [0.1, 0.2, 0.3]


@pytest.mark.parametrize("kwargs, match", [
    ({"input_shape": (32, 32)}, r"expected input_shape \(H, W, C\), got \(32, 32\)"),
    ({"n_classes": 1}, "n_classes must be at least 2, got 1"),
    ({"dropout": (0.25, 0.5)}, "dropout must be three rates"),
    ({"dropout": (0.25, 0.25, 1.0)}, "dropout must be three rates"),
])
def test_minivgg_rejects_bad_arguments(kwargs, match):
    with pytest.raises(ValueError, match=match):
        models.minivgg(**kwargs)


@pytest.mark.parametrize("kwargs, match", [
    ({"input_shape": (28, 28)}, "input_shape must be"),
    ({"input_shape": (28, 28, 0)}, "input_shape must be"),
    ({"n_classes": 1}, "n_classes must be at least 2, got 1"),
])
def test_lenet_rejects_bad_arguments(kwargs, match):
    with pytest.raises(ValueError, match=match):
        models.lenet(**kwargs)
