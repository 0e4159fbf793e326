"""Model-building functions shared by several notebooks (LeNet, MiniVGG, ...).

The notebook that introduces an architecture writes it out (notebook 03 writes MiniVGG and
checks that :func:`minivgg` builds the same network) or shows its function's source
(``inspect.getsource``), so the lesson stays visible; later notebooks reuse it from here, as
the "Curso prático de deep learning com Python e Keras" deck's exercise asks ("write MiniVGG as
a new function beside LeNet").
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:  # Keras is imported inside each builder, after setup() chose the backend
    import keras


DROPOUT = (0.15, 0.15, 0.25)  # MiniVGG's dropout rates, as notebook 03 trains it


def minivgg(input_shape=(32, 32, 3), n_classes: int = 10, batch_norm: bool = True,
            dropout: tuple[float, float, float] = DROPOUT):
    """MiniVGG as in the Curso prático deck's table.

    (CONV 3x3, ACT, BN) x2, POOL, DROPOUT, twice, then FC 512, ACT, BN, DROPOUT,
    FC ``n_classes``, SOFTMAX. Layers are named (``conv1``, ``bn1``...).

    ``batch_norm=False`` leaves out the five BN layers (everything else is the same).
    ``dropout`` holds the rates of ``dropout1``, ``dropout2`` (after each block) and
    ``dropout3`` (before the classifier); the table gives none, these are notebook 03's.

    >>> minivgg().count_params()  # doctest: +SKIP
    2171178
    """
    import keras
    from keras import layers

    if len(input_shape) != 3:
        raise ValueError(f"expected input_shape (H, W, C), got {input_shape!r}")
    if n_classes < 2:
        raise ValueError(f"n_classes must be at least 2, got {n_classes!r}")
    if len(dropout) != 3 or not all(0 <= rate < 1 for rate in dropout):
        raise ValueError(f"dropout must be three rates in [0, 1), got {dropout!r}")

    def maybe_bn(name: str) -> list:
        return [layers.BatchNormalization(name=name)] if batch_norm else []

    stack = [keras.Input(shape=input_shape, name="image")]
    conv = 0
    for block, filters in enumerate((32, 64), start=1):
        for _ in range(2):  # two 3x3 convolutions per block: VGG's idea, in small
            conv += 1
            stack += [
                layers.Conv2D(filters, 3, padding="same", name=f"conv{conv}"),
                layers.Activation("relu", name=f"act{conv}"),
                *maybe_bn(f"bn{conv}"),
            ]
        stack += [
            layers.MaxPooling2D(2, name=f"pool{block}"),
            layers.Dropout(dropout[block - 1], name=f"dropout{block}"),
        ]
    stack += [
        layers.Flatten(name="flatten"),
        layers.Dense(512, name="fc1"),
        layers.Activation("relu", name="act5"),
        *maybe_bn("bn5"),
        layers.Dropout(dropout[2], name="dropout3"),
        layers.Dense(n_classes, name="fc2"),
        layers.Activation("softmax", name="softmax"),
    ]
    name = "minivgg" if batch_norm else "minivgg_no_bn"
    return keras.Sequential(stack, name=name)


def lenet(input_shape: tuple[int, int, int] = (28, 28, 1), n_classes: int = 10) -> keras.Model:
    """LeNet as in the Curso prático deck's table: CONV 20 5x5, POOL, CONV 50 5x5, POOL, FC 500.

    'same' padding keeps 28x28 after each convolution (the table's 28x28x20 and 14x14x50);
    ACT is ReLU (the 1998 paper used tanh-like squashing functions and sigmoid units).

    >>> lenet().count_params()  # doctest: +SKIP
    1256080
    """
    import keras

    if len(input_shape) != 3 or min(input_shape) < 1:
        raise ValueError(f"input_shape must be (height, width, channels), got {input_shape!r}")
    if n_classes < 2:
        raise ValueError(f"n_classes must be at least 2, got {n_classes!r}")
    layers = keras.layers
    return keras.Sequential(
        [
            keras.Input(shape=input_shape, name="image"),
            layers.Conv2D(20, 5, padding="same", name="conv1"),  # CONV 5x5, K = 20
            layers.Activation("relu", name="act1"),  # ACT
            layers.MaxPooling2D(2, name="pool1"),  # POOL 2x2
            layers.Conv2D(50, 5, padding="same", name="conv2"),  # CONV 5x5, K = 50
            layers.Activation("relu", name="act2"),  # ACT
            layers.MaxPooling2D(2, name="pool2"),  # POOL 2x2
            layers.Flatten(name="flatten"),  # 7x7x50 -> 2450 numbers for the dense layers
            layers.Dense(500, name="fc1"),  # FC 500
            layers.Activation("relu", name="act3"),  # ACT
            layers.Dense(n_classes, name="fc2"),  # FC 10
            layers.Activation("softmax", name="softmax"),  # SOFTMAX
        ],
        name="lenet",
    )
