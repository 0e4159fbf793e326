"""utils.resnet: the small ResNet and the shared CIFAR-10 recipes (tiny shapes, no training)."""

import keras
import numpy as np
import pytest

from utils import resnet


def test_the_default_resnet_has_its_shapes_and_parameters():
    model = resnet.cifar_resnet()
    assert model.output.shape[1:] == (10,)
    assert model.count_params() == 885_626
    sizes = {layer.name: tuple(layer.output.shape[1:3]) for layer in model.layers}
    assert sizes["stage1_pool"] == (16, 16)
    assert sizes["stage3_block_out"] == (4, 4)


def test_the_residual_block_adds_its_input():
    inputs = keras.Input(shape=(4, 4, 8))
    block = keras.Model(inputs, resnet.residual_block(inputs, 8, "block"))
    for layer in block.layers:  # zero convolutions: the block is ReLU(x + BN(0)) = ReLU(x)
        if isinstance(layer, keras.layers.Conv2D):
            layer.set_weights([np.zeros_like(w) for w in layer.get_weights()])
    x = np.random.default_rng(0).normal(size=(2, 4, 4, 8)).astype("float32")
    out = keras.ops.convert_to_numpy(block(x, training=False))
    np.testing.assert_allclose(out, np.maximum(x, 0), atol=1e-5)


def test_bad_widths_are_refused():
    with pytest.raises(ValueError, match="widths"):
        resnet.cifar_resnet((16, 32, 64))


def test_the_schedule_warms_up_then_decays_to_zero():
    schedule = resnet.warmup_cosine(0.2, total_steps=100, warmup_fraction=0.2)
    rates = [float(keras.ops.convert_to_numpy(schedule(step))) for step in (0, 20, 60, 100)]
    assert rates[0] == pytest.approx(0.0, abs=1e-7)
    assert rates[1] == pytest.approx(0.2, rel=1e-5)
    assert 0 < rates[2] < 0.2
    assert rates[3] == pytest.approx(0.0, abs=1e-6)


def test_one_hot_and_flip_averaging():
    labels = np.array([0, 3, 9])
    assert resnet.one_hot(labels).argmax(axis=1).tolist() == [0, 3, 9]
    inputs = keras.Input(shape=(4, 4, 1))
    # a "network" that looks at the left half only: flipping changes its answer
    left = keras.layers.Lambda(lambda t: t[:, :, :2, :])(inputs)
    pooled = keras.layers.GlobalAveragePooling2D()(left)
    model = keras.Model(inputs, keras.layers.Concatenate()([pooled, 1 - pooled]))
    images = np.zeros((1, 4, 4, 1), "float32")
    images[0, :, :2] = 1.0
    plain = resnet.predict_probabilities(model, images)
    averaged = resnet.predict_probabilities(model, images, flip_average=True)
    np.testing.assert_allclose(plain, [[1.0, 0.0]], atol=1e-6)
    np.testing.assert_allclose(averaged, [[0.5, 0.5]], atol=1e-6)
    assert resnet.accuracy(plain, [0]) == 1.0
