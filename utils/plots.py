"""Figures the notebooks share: image grids, learning curves, confusion matrices.

Every figure gets a title and labelled axes. The helpers return the matplotlib ``Figure`` so a
notebook can add to it; in Jupyter the figure is shown when the cell ends.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import matplotlib.pyplot as plt
import numpy as np


def _as_images(images) -> np.ndarray:
    array = np.asarray(images)
    if array.ndim == 4 and array.shape[-1] == 1:
        array = array[..., 0]
    if array.ndim not in (3, 4) or (array.ndim == 4 and array.shape[-1] not in (3, 4)):
        raise ValueError(
            "expected images of shape (N, H, W), (N, H, W, 1) or (N, H, W, 3), "
            f"got {np.shape(images)}"
        )
    return array


def image_grid(
    images,
    labels: Sequence[str] | None = None,
    *,
    ncols: int = 8,
    title: str | None = None,
    cmap: str = "gray",
    size: float = 1.4,
    vmin: float | None = None,
    vmax: float | None = None,
    colorbar: str | None = None,
):
    """Show images in a grid, each with its label.

    Each row is made tall enough for its labels (multi-line labels never reach into the images
    above). Grey images are drawn each on its own scale unless ``vmin``/``vmax`` fix one scale
    for all; with a fixed scale, ``colorbar`` (its label) adds a colour bar.

    >>> labels = [str(y) for y in y_train[:16]]  # doctest: +SKIP
    >>> fig = image_grid(x_train[:16], labels, title="MNIST digits")  # doctest: +SKIP
    """
    array = _as_images(images)
    n = len(array)
    if n == 0:
        raise ValueError("no images to show")
    if labels is not None and len(labels) != n:
        raise ValueError(f"got {n} images but {len(labels)} labels")
    if ncols < 1:
        raise ValueError(f"ncols must be at least 1, got {ncols}")
    if colorbar is not None and (vmin is None or vmax is None):
        raise ValueError("a colorbar needs one scale for every image: pass vmin and vmax")
    if vmin is not None and vmax is not None and not vmin < vmax:
        raise ValueError(f"vmin must be below vmax, got vmin={vmin}, vmax={vmax}")
    ncols = min(ncols, n)
    nrows = -(-n // ncols)
    label_lines = 0 if labels is None else max(str(label).count("\n") + 1 for label in labels)
    row_height = size + 0.17 * label_lines + 0.1
    width = size * ncols + (0.9 if colorbar is not None else 0)
    fig, axes = plt.subplots(nrows, ncols, figsize=(width, row_height * nrows + 0.5),
                             squeeze=False, layout="constrained")
    shown = None
    for i, ax in enumerate(axes.flat):
        ax.set_xticks([])
        ax.set_yticks([])
        if i >= n:
            ax.axis("off")
            continue
        image = array[i]
        shown = ax.imshow(image, cmap=cmap if image.ndim == 2 else None, vmin=vmin, vmax=vmax)
        if labels is not None:
            ax.set_title(str(labels[i]), fontsize=8)
    if colorbar is not None:
        fig.colorbar(shown, ax=axes, shrink=0.8, label=colorbar)
    if title:
        fig.suptitle(title)
    return fig


def plot_history(
    histories: Mapping[str, Mapping[str, Sequence[float]]] | Mapping[str, Sequence[float]],
    metrics: Sequence[str] = ("loss", "accuracy"),
    *,
    title: str | None = None,
):
    """Learning curves: one panel per metric, training (solid) and validation (dashed).

    ``histories`` is ``model.fit(...).history``, or a dict ``{run name: history}`` to compare
    runs on the same axes.

    >>> fig = plot_history(history.history)  # doctest: +SKIP
    >>> fig = plot_history({"with BN": h1.history, "without BN": h2.history})  # doctest: +SKIP
    """
    if not histories:
        raise ValueError("no history to plot")
    first = next(iter(histories.values()))
    runs = histories if isinstance(first, Mapping) else {"": histories}
    fig, axes = plt.subplots(1, len(metrics), figsize=(5.5 * len(metrics), 3.8), squeeze=False)
    for ax, metric in zip(axes[0], metrics, strict=True):
        for (name, history), color in zip(runs.items(), plt.rcParams["axes.prop_cycle"](),
                                          strict=False):
            if metric not in history:
                raise KeyError(f"metric {metric!r} not in history (has {sorted(history)})")
            epochs = np.arange(1, len(history[metric]) + 1)
            prefix = f"{name}: " if name else ""
            ax.plot(epochs, history[metric], "-", color=color["color"], label=f"{prefix}train")
            if f"val_{metric}" in history:
                ax.plot(epochs, history[f"val_{metric}"], "--", color=color["color"],
                        label=f"{prefix}validation")
        ax.set_xlabel("epoch")
        ax.set_ylabel(metric)
        ax.set_title(metric)
        ax.grid(alpha=0.3)
        ax.legend(fontsize=8)
    if title:
        fig.suptitle(title)
    fig.tight_layout()
    return fig


def confusion_matrix(y_true, y_pred, n_classes: int) -> np.ndarray:
    """Counts ``[true, predicted]`` as an (n_classes, n_classes) int array.

    >>> confusion_matrix([0, 1, 1], [0, 1, 0], 2)
    array([[1, 0],
           [1, 1]])
    """
    true = np.asarray(y_true).reshape(-1).astype(np.int64)
    pred = np.asarray(y_pred).reshape(-1).astype(np.int64)
    if true.shape != pred.shape:
        raise ValueError(f"y_true has {true.size} labels but y_pred has {pred.size}")
    for name, labels in (("y_true", true), ("y_pred", pred)):
        if labels.size and (labels.min() < 0 or labels.max() >= n_classes):
            raise ValueError(f"{name} has labels outside 0..{n_classes - 1}")
    return np.bincount(true * n_classes + pred, minlength=n_classes**2).reshape(
        n_classes, n_classes
    )


def plot_confusion(y_true, y_pred, class_names: Sequence[str], *, title: str | None = None):
    """Draw the confusion matrix with counts in each cell; returns the figure."""
    n = len(class_names)
    counts = confusion_matrix(y_true, y_pred, n)
    fig, ax = plt.subplots(figsize=(0.55 * n + 2.5, 0.55 * n + 2))
    image = ax.imshow(counts, cmap="Blues")
    ax.set_xticks(range(n), class_names, rotation=45, ha="right")
    ax.set_yticks(range(n), class_names)
    ax.set_xlabel("predicted class")
    ax.set_ylabel("true class")
    threshold = counts.max() / 2
    for i in range(n):
        for j in range(n):
            ax.text(j, i, str(counts[i, j]), ha="center", va="center", fontsize=7,
                    color="white" if counts[i, j] > threshold else "black")
    accuracy = np.trace(counts) / max(counts.sum(), 1)
    ax.set_title(title or f"Confusion matrix (accuracy {accuracy:.2%})")
    fig.colorbar(image, ax=ax, fraction=0.046, pad=0.04)
    fig.tight_layout()
    return fig
