"""A small residual network for CIFAR-10 and the two training recipes notebook 06 compares.

Notebook 06 writes the residual block itself (the lesson); this module holds what the notebook
and ``tools/benchmark_06_resnet_vs_minivgg.py`` must share so that both train exactly the same
thing: the data split, the network, the ResNet recipe and MiniVGG's recipe (notebook 03's).

The network follows David Page's ResNet-9 ("How to train your ResNet", 2018) with narrower
layers: a 3x3 convolution, three stages that each widen the channels with a 3x3 convolution
and halve the size with a 2x2 max-pool, a residual block after the first and the last stage,
global max pooling and one dense layer whose logits are scaled down (by 1/8, as Page does).

>>> model = cifar_resnet()  # doctest: +SKIP
>>> model.count_params()  # doctest: +SKIP
885626
"""

from __future__ import annotations

import math
import time
from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np

# The full-mode choices of notebook 06 (see its section 5 for the arithmetic behind them).
WIDTHS = (16, 32, 96, 192)  # channels of the first convolution and of the three stages
RESNET_BATCH = 256
RESNET_PEAK_LR = 0.2  # Page: 0.4 at batch 512; halved with the batch
RESNET_WEIGHT_DECAY = 5e-3  # decoupled: each step multiplies the weights by (1 - lr * decay);
# under momentum 0.9 that is the classic L2 coefficient 5e-4 (Page), as notebook 03 explains
LABEL_SMOOTHING = 0.2
WARMUP_FRACTION = 0.2
BN_MOMENTUM = 0.9  # moving statistics that settle within a few dozen steps
MINIVGG_BATCH = 64  # notebook 03's recipe
MINIVGG_PEAK_LR = 0.02
MINIVGG_WEIGHT_DECAY = 5e-3  # decoupled, as in notebook 03
MINIVGG_LABEL_SMOOTHING = 0.1
MINIVGG_WARMUP_FRACTION = 0.1


@dataclass
class CifarData:
    """Standardized CIFAR-10 arrays: training, validation (from the training set) and test."""

    x_train: np.ndarray
    y_train: np.ndarray
    x_val: np.ndarray
    y_val: np.ndarray
    x_test: np.ndarray
    y_test: np.ndarray
    channel_mean: np.ndarray = field(repr=False)
    channel_std: np.ndarray = field(repr=False)


def prepare_cifar10(n_train: int = 45_000, n_val: int = 5_000, n_test: int = 10_000,
                    seed: int = 42) -> CifarData:
    """Notebook 03's split: ``n_val`` validation images and then ``n_train`` training images
    from one shuffle of the 50,000 (never overlapping), standardized per channel with the whole
    training set's mean and standard deviation; the first ``n_test`` test images. Labels are
    int32 vectors.
    """
    from .data import load_cifar10

    if not 0 < n_val <= 5_000 or not 0 < n_train <= 45_000 or not 0 < n_test <= 10_000:
        raise ValueError(f"need 0 < n_val <= 5000, 0 < n_train <= 45000, 0 < n_test <= 10000, "
                         f"got {n_val}, {n_train}, {n_test}")
    (x_all, y_all), (x_test_all, y_test_all) = load_cifar10()
    mean = x_all.reshape(-1, 3).mean(axis=0)
    std = x_all.reshape(-1, 3).std(axis=0)
    order = np.random.default_rng(seed).permutation(len(x_all))
    val_idx, train_idx = order[:n_val], order[5_000:5_000 + n_train]

    def standardize(images):
        return ((images.astype(np.float32) - mean) / std).astype(np.float32)

    return CifarData(
        x_train=standardize(x_all[train_idx]), y_train=y_all[train_idx, 0].astype(np.int32),
        x_val=standardize(x_all[val_idx]), y_val=y_all[val_idx, 0].astype(np.int32),
        x_test=standardize(x_test_all[:n_test]), y_test=y_test_all[:n_test, 0].astype(np.int32),
        channel_mean=mean, channel_std=std)


def residual_block(x, filters: int, name: str):
    """He et al.'s basic block: ReLU(x + BN(conv3x3(ReLU(BN(conv3x3(x)))))), same shape."""
    from keras import layers

    shortcut = x
    y = layers.Conv2D(filters, 3, padding="same", use_bias=False, name=f"{name}_conv1")(x)
    y = layers.BatchNormalization(momentum=BN_MOMENTUM, name=f"{name}_bn1")(y)
    y = layers.Activation("relu", name=f"{name}_relu1")(y)
    y = layers.Conv2D(filters, 3, padding="same", use_bias=False, name=f"{name}_conv2")(y)
    y = layers.BatchNormalization(momentum=BN_MOMENTUM, name=f"{name}_bn2")(y)
    y = layers.Add(name=f"{name}_add")([shortcut, y])
    return layers.Activation("relu", name=f"{name}_out")(y)


def conv_bn(x, filters: int, name: str):
    """3x3 convolution (no bias: BN has one), batch normalization, ReLU."""
    from keras import layers

    x = layers.Conv2D(filters, 3, padding="same", use_bias=False, name=f"{name}_conv")(x)
    x = layers.BatchNormalization(momentum=BN_MOMENTUM, name=f"{name}_bn")(x)
    return layers.Activation("relu", name=f"{name}_relu")(x)


def cifar_resnet(widths: Sequence[int] = WIDTHS, n_classes: int = 10,
                 logit_scale: float = 0.125, input_shape=(32, 32, 3)):
    """The small ResNet: prep conv, 3 stages (conv, max-pool), residual blocks after stages 1, 3.

    ``widths`` = (prep, stage 1, stage 2, stage 3) channels. Eight 3x3 convolutions and one
    dense layer: 9 weight layers, hence Page's name ResNet-9.
    """
    import keras
    from keras import layers

    if len(widths) != 4 or min(widths) < 1:
        raise ValueError(f"widths must be 4 positive channel counts, got {widths!r}")
    inputs = keras.Input(shape=input_shape, name="image")
    x = conv_bn(inputs, widths[0], "prep")
    for stage, filters in enumerate(widths[1:], start=1):
        x = conv_bn(x, filters, f"stage{stage}")
        x = layers.MaxPooling2D(2, name=f"stage{stage}_pool")(x)
        if stage in (1, 3):
            x = residual_block(x, filters, f"stage{stage}_block")
    x = layers.GlobalMaxPooling2D(name="global_max_pool")(x)
    x = layers.Dense(n_classes, name="logits")(x)
    x = layers.Rescaling(logit_scale, name="logit_scale")(x)
    outputs = layers.Activation("softmax", name="softmax")(x)
    return keras.Model(inputs, outputs, name="resnet9_" + "_".join(map(str, widths)))


def augmentation(translate: bool = True):
    """Random horizontal flips and (ResNet recipe) shifts of up to 4 pixels, reflected edges."""
    import keras
    from keras import layers

    steps = [layers.RandomFlip("horizontal", name="random_flip")]
    if translate:
        steps.append(layers.RandomTranslation(0.125, 0.125, fill_mode="reflect",
                                              interpolation="nearest", name="random_shift"))
    return keras.Sequential(steps, name="augmentation")


def warmup_cosine(peak: float, total_steps: int, warmup_fraction: float):
    """Linear warm-up from 0 to ``peak``, then cosine decay to 0 (a fresh schedule per model)."""
    import keras

    warmup_steps = max(1, int(total_steps * warmup_fraction))
    return keras.optimizers.schedules.CosineDecay(
        initial_learning_rate=0.0, decay_steps=max(1, total_steps - warmup_steps), alpha=0.0,
        warmup_target=peak, warmup_steps=warmup_steps)


def with_augmentation(core, translate: bool):
    """The network as trained: augmentation layers (active only in training), then ``core``."""
    import keras

    return keras.Sequential([keras.Input(shape=core.input_shape[1:], name="image"),
                             augmentation(translate), core], name=f"{core.name}_augmented")


def compile_resnet(model, steps: int, peak_lr: float = RESNET_PEAK_LR,
                   weight_decay: float = RESNET_WEIGHT_DECAY,
                   label_smoothing: float = LABEL_SMOOTHING) -> None:
    """The ResNet recipe: Nesterov SGD (momentum 0.9) with decoupled weight decay, warm-up and
    cosine decay over ``steps``, cross-entropy with label smoothing (labels one-hot)."""
    import keras

    model.compile(
        optimizer=keras.optimizers.SGD(
            learning_rate=warmup_cosine(peak_lr, steps, WARMUP_FRACTION), momentum=0.9,
            nesterov=True, weight_decay=weight_decay),
        loss=keras.losses.CategoricalCrossentropy(label_smoothing=label_smoothing),
        metrics=["accuracy"])


def compile_minivgg(model, steps: int) -> None:
    """Notebook 03's MiniVGG recipe: Nesterov SGD with decoupled weight decay 5e-3, 10 % warm-up
    to 0.02, cosine decay, cross-entropy with label smoothing 0.1 (labels one-hot)."""
    import keras

    model.compile(
        optimizer=keras.optimizers.SGD(
            learning_rate=warmup_cosine(MINIVGG_PEAK_LR, steps, MINIVGG_WARMUP_FRACTION),
            momentum=0.9, nesterov=True, weight_decay=MINIVGG_WEIGHT_DECAY),
        loss=keras.losses.CategoricalCrossentropy(label_smoothing=MINIVGG_LABEL_SMOOTHING),
        metrics=["accuracy"])


def one_hot(labels: np.ndarray, n_classes: int = 10) -> np.ndarray:
    """int labels (N,) -> float32 one-hot (N, n_classes)."""
    return np.eye(n_classes, dtype=np.float32)[np.asarray(labels).ravel()]


def predict_probabilities(model, images: np.ndarray, flip_average: bool = False,
                          batch_size: int = 500) -> np.ndarray:
    """Class probabilities; with ``flip_average`` the mean over the image and its mirror image
    (test-time augmentation: two forward passes)."""
    probabilities = model.predict(images, batch_size=batch_size, verbose=0)
    if flip_average:
        flipped = model.predict(images[:, :, ::-1], batch_size=batch_size, verbose=0)
        probabilities = (probabilities + flipped) / 2
    return probabilities


def accuracy(probabilities: np.ndarray, labels: np.ndarray) -> float:
    return float(np.mean(np.argmax(probabilities, axis=1) == np.asarray(labels).ravel()))


@dataclass
class Trained:
    """A trained network (``core``: without augmentation layers) and what its training gave."""

    core: object
    result: object  # utils.training.TrainResult
    test_accuracy: float
    test_accuracy_flip: float
    epochs: int
    batch_size: int
    seconds: float


def train_resnet(data: CifarData, epochs: int, widths: Sequence[int] = WIDTHS,
                 batch_size: int = RESNET_BATCH, seed: int = 42, verbose: int = 2) -> Trained:
    """Build the ResNet, train it with the ResNet recipe (best validation epoch kept),
    evaluate on the test set with and without flip averaging."""
    return _train(lambda: cifar_resnet(widths), compile_resnet, True, data, epochs, batch_size,
                  seed, verbose)


def train_minivgg(data: CifarData, epochs: int, batch_size: int = MINIVGG_BATCH,
                  seed: int = 42, verbose: int = 2) -> Trained:
    """MiniVGG (utils.models.minivgg) under notebook 03's recipe (flips only)."""
    from .models import minivgg

    return _train(minivgg, compile_minivgg, False, data, epochs, batch_size, seed, verbose)


def _train(build, compile_fn, translate, data, epochs, batch_size, seed, verbose):
    import keras

    from .settings import seed_everything
    from .training import fit_best

    if not isinstance(epochs, int) or epochs < 1:
        raise ValueError(f"epochs must be a positive int, got {epochs!r}")
    # the initial weights depend on the seed only (keras.utils.set_random_seed would also
    # import TensorFlow on the other backends)
    seed_everything(seed, keras.backend.backend())
    core = build()
    model = with_augmentation(core, translate)
    compile_fn(model, steps=epochs * math.ceil(len(data.x_train) / batch_size))
    start = time.perf_counter()
    result = fit_best(model, data.x_train, one_hot(data.y_train),
                      validation_data=(data.x_val, one_hot(data.y_val)), epochs=epochs,
                      batch_size=batch_size, verbose=verbose)
    seconds = time.perf_counter() - start
    plain = accuracy(predict_probabilities(core, data.x_test), data.y_test)
    flipped = accuracy(predict_probabilities(core, data.x_test, flip_average=True), data.y_test)
    return Trained(core=core, result=result, test_accuracy=plain, test_accuracy_flip=flipped,
                   epochs=epochs, batch_size=batch_size, seconds=seconds)
