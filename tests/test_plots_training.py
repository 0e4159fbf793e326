"""Plot helpers and the training helper."""

import matplotlib

matplotlib.use("Agg")

import keras
import numpy as np
import pytest

from utils import plots, training


def test_image_grid_shapes_and_labels():
    fig = plots.image_grid(np.zeros((5, 28, 28), np.uint8), list("abcde"), ncols=3, title="t")
    assert len(fig.axes) == 6 and fig.axes[0].get_title() == "a"
    plots.image_grid(np.zeros((2, 32, 32, 3), np.uint8))
    plots.image_grid(np.zeros((2, 28, 28, 1), np.float32))


@pytest.mark.parametrize("bad", [np.zeros((3,)), np.zeros((2, 8, 8, 5))])
def test_image_grid_rejects_bad_shapes(bad):
    with pytest.raises(ValueError, match="expected images of shape"):
        plots.image_grid(bad)


def test_image_grid_label_count_must_match():
    with pytest.raises(ValueError, match="2 images but 3 labels"):
        plots.image_grid(np.zeros((2, 8, 8)), ["a", "b", "c"])


def test_confusion_matrix_counts():
    counts = plots.confusion_matrix([0, 1, 2, 2], [0, 2, 2, 2], 3)
    assert counts.tolist() == [[1, 0, 0], [0, 0, 1], [0, 0, 2]]
    with pytest.raises(ValueError, match="outside"):
        plots.confusion_matrix([0, 3], [0, 1], 3)
    with pytest.raises(ValueError, match="labels"):
        plots.confusion_matrix([0, 1], [0], 3)
    fig = plots.plot_confusion([0, 1, 1], [0, 1, 0], ["zero", "one"])
    assert "accuracy 66.67%" in fig.axes[0].get_title()


def test_plot_history_single_and_compared():
    history = {"loss": [1.0, 0.5], "val_loss": [1.1, 0.7], "accuracy": [0.5, 0.8],
               "val_accuracy": [0.4, 0.7]}
    fig = plots.plot_history(history)
    assert [ax.get_xlabel() for ax in fig.axes] == ["epoch", "epoch"]
    fig = plots.plot_history({"a": history, "b": history}, metrics=("loss",))
    assert len(fig.axes[0].lines) == 4
    with pytest.raises(KeyError, match="top5"):
        plots.plot_history(history, metrics=("top5",))


def test_fit_best_keeps_the_best_epoch_and_times_it():
    keras.utils.set_random_seed(0)
    rng = np.random.default_rng(0)
    x = rng.normal(size=(256, 4)).astype("float32")
    y = (x[:, 0] + x[:, 1] > 0).astype("int32")
    model = keras.Sequential([keras.Input((4,)), keras.layers.Dense(2, activation="softmax")])
    model.compile("adam", "sparse_categorical_crossentropy", metrics=["accuracy"])
    result = training.fit_best(model, x[:192], y[:192], validation_data=(x[192:], y[192:]),
                               epochs=3, batch_size=32, verbose=0)
    assert result.epochs == 3 and 1 <= result.best_epoch <= 3
    assert result.best == max(result.history["val_accuracy"])
    assert result.train_seconds > 0 and len(result.epoch_seconds) == 3
    val_accuracy = model.evaluate(x[192:], y[192:], verbose=0)[1]
    assert val_accuracy == pytest.approx(result.best, abs=1e-6), "best weights restored"


@pytest.mark.parametrize(
    "kwargs, match",
    [({"epochs": 0}, "epochs"), ({"epochs": 2, "monitor": "loss"}, "validation metric"),
     ({"epochs": 2, "validation_data": None}, "validation_data is required")],
)
def test_fit_best_rejects_bad_arguments(kwargs, match):
    kwargs.setdefault("validation_data", ([0], [0]))
    with pytest.raises(ValueError, match=match):
        training.fit_best(None, None, None, **kwargs)
