"""utils.denoise: the network's size and cost, fresh noisy patches, whole-image inference."""

import keras
import numpy as np
import pytest

from utils import denoise


def _gaussian(clean, rng):
    return clean + 0.1 * rng.standard_normal(clean.shape)


def _images(count=3, shape=(40, 50)):
    return [np.random.default_rng(i).integers(0, 256, shape, dtype=np.uint8) for i in range(count)]


def test_the_denoiser_counts_its_parameters_and_multiply_adds():
    model = denoise.denoiser(width=64, depth=9)
    # down 2*2*1*64 + 64, nine 3x3 layers 9*64*64 + 64, noise 2*2*64*1 + 1
    assert model.count_params() == 320 + 9 * 36_928 + 257 == 332_929
    per_pixel = (2 * 2 * 64 + 9 * 9 * 64 * 64 + 2 * 2 * 64) / 4
    assert denoise.multiply_adds(model, 64, 64) == per_pixel * 64 * 64 == 340_262_912
    assert denoise.multiply_adds(denoise.denoiser(width=32, depth=9), 32, 48) == 20_800 * 32 * 48


def test_the_untrained_denoiser_returns_its_input():
    image = np.random.default_rng(0).random((21, 34))
    output = denoise.denoise_image(denoise.denoiser(width=8, depth=2), image)
    assert output.shape == image.shape
    np.testing.assert_allclose(output, image, atol=1e-6)


@pytest.mark.parametrize("kwargs, match", [
    ({"width": 0}, "width and depth must be positive"),
    ({"depth": 0}, "width and depth must be positive"),
])
def test_the_denoiser_rejects_bad_sizes(kwargs, match):
    with pytest.raises(ValueError, match=match):
        denoise.denoiser(**kwargs)


def test_denoise_image_wants_one_greyscale_image():
    with pytest.raises(ValueError, match=r"expected an image of shape \(H, W\), got \(2, 8, 8\)"):
        denoise.denoise_image(denoise.denoiser(width=4, depth=1), np.zeros((2, 8, 8)))


def test_patches_are_fresh_every_epoch_and_the_same_for_the_same_seed():
    data = denoise.noisy_patches(_images(), _gaussian, batch_size=4, patch_size=16, steps=3)
    assert len(data) == 3 and isinstance(data, keras.utils.PyDataset)
    noisy, clean = data[1]
    assert noisy.shape == clean.shape == (4, 16, 16, 1)
    assert noisy.dtype == clean.dtype == np.float32
    assert 0 <= clean.min() and clean.max() <= 1
    np.testing.assert_array_equal(data[1][0], noisy)  # the same batch index, the same batch
    assert not np.array_equal(data[0][0], noisy)
    data.on_epoch_end()
    assert not np.array_equal(data[1][0], noisy), "a new epoch draws new patches and noise"
    again = denoise.noisy_patches(_images(), _gaussian, batch_size=4, patch_size=16, steps=3)
    np.testing.assert_array_equal(again[1][0], noisy)


def test_noise2noise_targets_are_independent_noisy_copies():
    kwargs = {"batch_size": 8, "patch_size": 16, "steps": 1, "seed": 3}
    noisy, clean = denoise.noisy_patches(_images(), _gaussian, target="clean", **kwargs)[0]
    noisy_again, target = denoise.noisy_patches(_images(), _gaussian, target="noisy", **kwargs)[0]
    np.testing.assert_array_equal(noisy, noisy_again)  # the same inputs for both twins
    # the noisy target is the clean patch plus new noise, independent of the input's
    input_noise, target_noise = (noisy - clean).ravel(), (target - clean).ravel()
    assert 0.08 < target_noise.std() < 0.12
    assert abs(np.corrcoef(input_noise, target_noise)[0, 1]) < 0.1


@pytest.mark.parametrize("kwargs, match", [
    ({"target": "both"}, "target must be 'clean' or 'noisy'"),
    ({"batch_size": 0}, "batch_size and steps must be positive"),
    ({"patch_size": 64}, r"smaller than the 64x64 patches"),
])
def test_the_patch_sampler_rejects_bad_settings(kwargs, match):
    settings = {"batch_size": 2, "patch_size": 16, "steps": 1, **kwargs}
    with pytest.raises(ValueError, match=match):
        denoise.noisy_patches(_images(), _gaussian, **settings)


def test_the_patch_sampler_wants_greyscale_images():
    with pytest.raises(ValueError, match=r"greyscale images of shape \(H, W\)"):
        denoise.noisy_patches([np.zeros((20, 20, 3))], _gaussian, batch_size=1, patch_size=8,
                              steps=1)


def test_multiply_adds_refuses_a_network_that_is_not_a_chain():
    import keras

    inputs = keras.Input(shape=(None, None, 1))
    left = keras.layers.Conv2D(4, 3, padding="same", name="left")(inputs)
    right = keras.layers.Conv2D(4, 3, padding="same", name="right")(inputs)
    branched = keras.Model(inputs, keras.layers.Add()([left, right]))
    with pytest.raises(ValueError, match="chain"):
        denoise.multiply_adds(branched, 8, 8)
