"""Learned denoising (notebook 10): the residual denoiser, its cost, and fresh noisy patches.

The lesson's pieces stay in the notebook: the noise models, PSNR and the training choices are
written there, and the notebook prints the source of :func:`denoiser` and
:func:`multiply_adds`. What lives here is what ``tools/benchmark_10_noise2noise.py`` shares with
the notebook: the network, its cost in multiply-adds, the patch sampler and whole-image
inference.

>>> model = denoiser(width=64, depth=9)  # doctest: +SKIP
>>> multiply_adds(model) / (64 * 64)  # per pixel  # doctest: +SKIP
83072.0
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING

import numpy as np

if TYPE_CHECKING:  # Keras is imported inside each function, after setup() chose the backend
    import keras

Noise = Callable[[np.ndarray, np.random.Generator], np.ndarray]


def denoiser(width: int = 64, depth: int = 9, name: str = "denoiser") -> keras.Model:
    """A DnCNN-like residual CNN that predicts the noise, run at half resolution (FFDNet's trick).

    A 2x2 convolution with stride 2 turns each 2x2 block of pixels into ``width`` features
    (a learned version of FFDNet's "four sub-images"); ``depth`` 3x3 convolutions with ReLU
    work at half resolution; a 2x2 transposed convolution with stride 2 returns one noise value
    per pixel, and the output is the input minus that noise. Images of any even height and width.

    >>> denoiser().count_params()  # doctest: +SKIP
    332929
    """
    import keras
    from keras import layers

    if width < 1 or depth < 1:
        raise ValueError(f"width and depth must be positive, got width={width}, depth={depth}")
    noisy = keras.Input(shape=(None, None, 1), name="noisy")
    # he_normal: the initial scale that keeps a stack of ReLU layers' outputs from shrinking
    features = layers.Conv2D(width, 2, strides=2, activation="relu", name="down",
                             kernel_initializer="he_normal")(noisy)
    for i in range(1, depth + 1):
        features = layers.Conv2D(width, 3, padding="same", activation="relu", name=f"conv{i}",
                                 kernel_initializer="he_normal")(features)
    # zeros: the untrained network predicts no noise, i.e. returns its input unchanged
    noise = layers.Conv2DTranspose(1, 2, strides=2, kernel_initializer="zeros",
                                   name="noise")(features)
    clean = layers.Subtract(name="residual")([noisy, noise])
    return keras.Model(noisy, clean, name=name)


def multiply_adds(model: keras.Model, height: int = 64, width: int = 64) -> int:
    """Multiply-adds of one forward pass of ``model``'s convolutions on a height x width image.

    A Conv2D computes kh*kw*c_in multiply-adds for each of its outputs (out_h*out_w*c_out); a
    Conv2DTranspose computes kh*kw*c_out for each of its inputs (in_h*in_w*c_in). Biases,
    activations and the subtraction are left out (a few per pixel).

    >>> multiply_adds(denoiser(width=64, depth=9)) / (64 * 64)  # per pixel  # doctest: +SKIP
    83072.0
    """
    import keras

    # Propagate a fixed-size shape through the layers in order (no copy of the model: copying
    # serializes every layer, and Keras' serializer imports TensorFlow whenever it is installed).
    # The network must be a chain: each layer takes the previous layer's output (a merge layer,
    # e.g. the final subtraction, also takes earlier outputs of the same shape).
    shape = (1, height, width, *model.input_shape[3:])
    total, previous = 0, model.layers[0].output
    for layer in model.layers[1:]:
        inputs = layer.input if isinstance(layer.input, list | tuple) else [layer.input]
        if not any(tensor is previous for tensor in inputs):
            raise ValueError(f"multiply_adds needs a chain of layers; {layer.name!r} does not "
                             "take the output of the layer before it")
        out_shape = shape if len(inputs) > 1 else tuple(layer.compute_output_shape(shape))
        if isinstance(layer, keras.layers.Conv2D | keras.layers.Conv2DTranspose):
            kernel = int(np.prod(layer.kernel_size))
            (_, in_h, in_w, c_in), (_, out_h, out_w, c_out) = shape, out_shape
            if isinstance(layer, keras.layers.Conv2DTranspose):
                total += in_h * in_w * c_in * kernel * c_out
            else:
                total += out_h * out_w * c_out * kernel * c_in
        shape, previous = out_shape, layer.output
    return int(total)


def noisy_patches(images: Sequence[np.ndarray], noise: Noise, *, batch_size: int,
                  patch_size: int, steps: int, target: str = "clean", seed: int = 0):
    """A ``keras.utils.PyDataset`` of random patches with fresh noise in every batch.

    Each batch: ``batch_size`` random crops of ``patch_size`` x ``patch_size`` from random
    ``images`` (uint8 greyscale, scaled to [0, 1]), each flipped and rotated at random; the input
    is ``noise(clean, rng)``. The target is the clean patch (``target="clean"``) or a second,
    independent noisy copy of it (``target="noisy"``: Noise2Noise, the clean patch is never
    returned). ``steps`` batches make one epoch; batch ``i`` of epoch ``e`` is drawn from
    ``np.random.default_rng([seed, e, i])``, so every backend sees the same batches and no
    epoch repeats another.

    >>> data = noisy_patches(images, gaussian, batch_size=16, patch_size=64,
    ...                      steps=200)  # doctest: +SKIP
    >>> noisy, clean = data[0]  # float32, (16, 64, 64, 1) each  # doctest: +SKIP
    """
    import keras

    if target not in ("clean", "noisy"):
        raise ValueError(f"target must be 'clean' or 'noisy', got {target!r}")
    if batch_size < 1 or steps < 1:
        raise ValueError(f"batch_size and steps must be positive, got {batch_size}, {steps}")
    images = [np.asarray(image) for image in images]
    if not images:
        raise ValueError("no images to sample patches from")
    for image in images:
        if image.ndim != 2:
            raise ValueError(f"expected greyscale images of shape (H, W), got {image.shape}")
        if min(image.shape) < patch_size:
            raise ValueError(f"an image of shape {image.shape} is smaller than the "
                             f"{patch_size}x{patch_size} patches")

    class _NoisyPatches(keras.utils.PyDataset):
        def __init__(self):
            super().__init__()
            self.epoch = 0

        def __len__(self):
            return steps

        def on_epoch_end(self):
            self.epoch += 1

        def __getitem__(self, index):
            rng = np.random.default_rng([seed, self.epoch, index])
            clean = np.empty((batch_size, patch_size, patch_size, 1), np.float32)
            for k, which in enumerate(rng.integers(len(images), size=batch_size)):
                image = images[which]
                top = rng.integers(image.shape[0] - patch_size + 1)
                left = rng.integers(image.shape[1] - patch_size + 1)
                patch = image[top:top + patch_size, left:left + patch_size]
                patch = np.rot90(patch, k=rng.integers(4))
                clean[k, ..., 0] = patch[:, ::-1] if rng.integers(2) else patch
            clean /= 255
            noisy = noise(clean, rng).astype(np.float32)
            wanted = clean if target == "clean" else noise(clean, rng).astype(np.float32)
            return noisy, wanted

    return _NoisyPatches()


def denoise_image(model: keras.Model, noisy: np.ndarray) -> np.ndarray:
    """``model``'s output for one greyscale image (H, W) in [0, 1], clipped to [0, 1].

    Odd heights or widths are padded by mirroring to even ones (the network halves the
    resolution) and cropped back afterwards.

    >>> denoise_image(model, noisy_image).shape == noisy_image.shape  # doctest: +SKIP
    True
    """
    noisy = np.asarray(noisy, np.float32)
    if noisy.ndim != 2:
        raise ValueError(f"expected an image of shape (H, W), got {noisy.shape}")
    height, width = noisy.shape
    padded = np.pad(noisy, ((0, height % 2), (0, width % 2)), mode="reflect")
    output = np.asarray(model.predict_on_batch(padded[None, :, :, None]))
    return np.clip(output[0, :height, :width, 0], 0, 1)
