"""Training with the course's habits: one line per epoch, best weights kept, time measured.

The pattern of *Deep Learning with Python*: train with a validation set, keep the weights of
the best validation epoch, then evaluate on the test set once (in the notebook).

>>> result = fit_best(model, x_train, y_train, validation_data=(x_val, y_val),
...                   epochs=RUN.pick(full=15, fast=2))  # doctest: +SKIP
>>> result.best_epoch, result.train_seconds  # doctest: +SKIP
(12, 251.3)
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field

import numpy as np


@dataclass
class TrainResult:
    """What :func:`fit_best` returns: the history (``history["val_loss"]`` ...) and timings."""

    history: dict[str, list[float]]
    epochs: int
    best_epoch: int
    train_seconds: float
    monitor: str
    epoch_seconds: list[float] = field(default_factory=list)

    @property
    def best(self) -> float:
        return self.history[self.monitor][self.best_epoch - 1]


def _epoch_timer():
    import keras

    class EpochTimer(keras.callbacks.Callback):
        def __init__(self):
            super().__init__()
            self.seconds: list[float] = []

        def on_epoch_begin(self, epoch, logs=None):
            self._start = time.perf_counter()

        def on_epoch_end(self, epoch, logs=None):
            self.seconds.append(time.perf_counter() - self._start)

    return EpochTimer()


def fit_best(
    model,
    x,
    y=None,
    *,
    validation_data,
    epochs: int,
    batch_size: int | None = 64,
    monitor: str = "val_accuracy",
    callbacks: list | tuple = (),
    verbose: int = 2,
    **fit_kwargs,
) -> TrainResult:
    """``model.fit`` that restores the weights of the best epoch by ``monitor``.

    ``validation_data`` is required: the test set is only for the one final evaluation.
    Returns a :class:`TrainResult`; the model holds the best weights afterwards.
    """
    import keras

    if not isinstance(epochs, int) or epochs < 1:
        raise ValueError(f"epochs must be a positive int, got {epochs!r}")
    if validation_data is None:
        raise ValueError("validation_data is required (keep the test set for the end)")
    if not monitor.startswith("val_"):
        raise ValueError(f"monitor a validation metric such as 'val_accuracy', got {monitor!r}")
    mode = "min" if "loss" in monitor else "max"
    keep_best = keras.callbacks.EarlyStopping(
        monitor=monitor, mode=mode, patience=epochs, restore_best_weights=True, verbose=0
    )
    timer = _epoch_timer()
    start = time.perf_counter()
    history = model.fit(
        x,
        y,
        validation_data=validation_data,
        epochs=epochs,
        batch_size=batch_size,
        callbacks=[keep_best, timer, *callbacks],
        verbose=verbose,
        **fit_kwargs,
    )
    seconds = time.perf_counter() - start
    values = history.history.get(monitor)
    if not values:
        raise KeyError(f"{monitor!r} was not logged (logged: {sorted(history.history)})")
    pick = np.argmin if mode == "min" else np.argmax
    best_epoch = int(pick(values)) + 1
    return TrainResult(
        history={k: [float(v) for v in vs] for k, vs in history.history.items()},
        epochs=len(values),
        best_epoch=best_epoch,
        train_seconds=float(seconds),
        monitor=monitor,
        epoch_seconds=[float(s) for s in timer.seconds],
    )
