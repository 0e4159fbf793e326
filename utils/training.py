"""Training with the course's habits: one line per epoch, best weights kept, time measured.

The pattern of *Deep Learning with Python*: train with a validation set, keep the weights of
the best validation epoch, then evaluate on the test set once (in the notebook).

>>> result = fit_best(model, x_train, y_train, validation_data=(x_val, y_val),
...                   epochs=RUN.pick(full=15, fast=2))  # doctest: +SKIP
>>> result.best_epoch, result.train_seconds  # doctest: +SKIP
(12, 251.3)

Whether the best epoch is the one with the lowest or the highest ``monitor`` value is decided
by ``mode``; with ``mode="auto"`` (the default) :func:`monitor_mode` works it out the way Keras'
own callbacks do (from the compiled model's metric objects), then from the metric's name.
"""

from __future__ import annotations

import re
import time
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any, Literal

Direction = Literal["min", "max"]

# Fallback when the model cannot tell: words of a metric's name (split at "_") that say which
# way is better. Lower is better for losses and errors, higher for scores.
LOWER_IS_BETTER = frozenset({
    "loss", "error", "mae", "mse", "rmse", "mape", "msle", "crossentropy", "hinge", "kld",
    "kl", "kullback", "divergence", "poisson", "logcosh", "huber", "perplexity",
})  # fmt: skip
HIGHER_IS_BETTER = frozenset({
    "accuracy", "acc", "auc", "precision", "recall", "f1", "fbeta", "iou", "r2",
    "similarity", "correlation", "specificity", "sensitivity",
})  # fmt: skip


@dataclass
class TrainResult:
    """What :func:`fit_best` returns: the history (``history["val_loss"]`` ...) and timings.

    ``best_epoch`` (1-based) is the epoch whose weights the model holds afterwards, and
    ``best`` its ``monitor`` value; ``mode`` says whether that is the lowest or the highest.
    """

    history: dict[str, list[float]]
    epochs: int
    best_epoch: int
    train_seconds: float
    monitor: str
    epoch_seconds: list[float] = field(default_factory=list)
    mode: Direction = "max"

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


def _model_metrics(model) -> Iterator[tuple[str, Any]]:
    """(name, metric object) of a compiled model's metrics, built or not yet built.

    Built metrics are listed as ``keras.callbacks.MonitorCallback._set_monitor_op`` lists them
    (the compile metrics unpacked). Before the first ``fit`` they are not built yet; then the
    identifiers given to ``compile`` are turned into metric objects the way ``compile`` will.
    """
    from keras.src.trainers import compile_utils

    for metric in getattr(model, "metrics", None) or ():
        if isinstance(metric, compile_utils.CompileMetrics | compile_utils.MetricsList):
            for inner in metric.metrics:
                yield inner.name, inner
        else:
            yield metric.name, metric
    compiled = getattr(model, "_compile_metrics", None)
    if compiled is None or getattr(compiled, "built", True):
        return
    import keras
    import numpy as np

    dummy = np.zeros((2, 1), "float32")
    for group in (compiled._user_metrics, compiled._user_weighted_metrics):
        for identifier in keras.tree.flatten(group) if group is not None else ():
            try:
                metric = compile_utils.get_metric(identifier, dummy, dummy)
            except Exception:  # an identifier Keras would reject at fit time: no information
                continue
            yield metric.name, metric


def monitor_mode(monitor: str, model=None) -> Direction:
    """``"min"`` if lower values of ``monitor`` are better, ``"max"`` if higher are.

    Decided as ``keras.callbacks.EarlyStopping(mode="auto")`` decides: a loss is minimised,
    and a metric of the compiled ``model`` says its own direction (``mae`` down, ``accuracy``
    up, ``cosine_similarity`` up, a Keras loss function used as a metric down). When the model
    does not know the metric, the words of its name decide (:data:`LOWER_IS_BETTER`,
    :data:`HIGHER_IS_BETTER`). Raises ``ValueError`` when neither tells.

    >>> monitor_mode("val_mae"), monitor_mode("val_accuracy"), monitor_mode("val_loss")
    ('min', 'max', 'min')
    """
    name = monitor.removeprefix("val_")
    if name == "loss" or name.endswith("_loss"):  # the total loss, or one output's loss
        return "min"
    known: list[str] = []
    if model is not None:
        try:
            metrics = list(_model_metrics(model))
        except Exception:  # not a Keras model, or Keras internals changed: use the name
            metrics = []
        for metric_name, metric in metrics:
            known.append(metric_name)
            direction = getattr(metric, "_direction", None)
            if metric_name == name and direction in ("up", "down"):
                return "max" if direction == "up" else "min"
    words = set(re.split(r"[^a-z0-9]+", name.lower()))
    lower, higher = bool(words & LOWER_IS_BETTER), bool(words & HIGHER_IS_BETTER)
    if lower != higher:
        return "min" if lower else "max"
    listed = f" (the model's metrics: {', '.join(sorted(set(known)))})" if known else ""
    raise ValueError(
        f"cannot tell whether {monitor!r} is better low or high{listed}: "
        "pass mode='min' (lower is better, as for a loss or an error) or mode='max' "
        "(higher is better, as for an accuracy)"
    )


def _best_index(values: Sequence[float], mode: Direction) -> int:
    """Index of the epoch ``EarlyStopping(restore_best_weights=True)`` restores.

    Its rule: the first epoch, then each later epoch strictly better than the best so far
    (a NaN is never better, so a diverged epoch is never kept).
    """
    best = 0
    for i, value in enumerate(values[1:], start=1):
        if value < values[best] if mode == "min" else value > values[best]:
            best = i
    return best


def fit_best(
    model,
    x,
    y=None,
    *,
    validation_data,
    epochs: int,
    batch_size: int | None = 64,
    monitor: str = "val_accuracy",
    mode: Literal["min", "max", "auto"] = "auto",
    callbacks: list | tuple = (),
    verbose: int = 2,
    **fit_kwargs,
) -> TrainResult:
    """``model.fit`` that restores the weights of the best epoch by ``monitor``.

    ``validation_data`` is required: the test set is only for the one final evaluation.
    ``mode`` is ``"min"`` (lower ``monitor`` is better), ``"max"`` or ``"auto"`` (decided by
    :func:`monitor_mode` before training starts). Returns a :class:`TrainResult`; the model
    holds the best epoch's weights afterwards.
    """
    import keras

    if not isinstance(epochs, int) or epochs < 1:
        raise ValueError(f"epochs must be a positive int, got {epochs!r}")
    if validation_data is None:
        raise ValueError("validation_data is required (keep the test set for the end)")
    if not monitor.startswith("val_"):
        raise ValueError(f"monitor a validation metric such as 'val_accuracy', got {monitor!r}")
    if mode not in ("min", "max", "auto"):
        raise ValueError(f"mode must be 'min', 'max' or 'auto', got {mode!r}")
    direction: Direction = monitor_mode(monitor, model) if mode == "auto" else mode
    keep_best = keras.callbacks.EarlyStopping(
        monitor=monitor, mode=direction, patience=epochs, restore_best_weights=True, verbose=0
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
    values = [float(v) for v in values]
    return TrainResult(
        history={k: [float(v) for v in vs] for k, vs in history.history.items()},
        epochs=len(values),
        best_epoch=_best_index(values, direction) + 1,
        train_seconds=float(seconds),
        monitor=monitor,
        epoch_seconds=[float(s) for s in timer.seconds],
        mode=direction,
    )
