"""Plot helpers and the training helper."""

import matplotlib

matplotlib.use("Agg")

import keras
import numpy as np
import pytest

from utils import plots, training


def _shown(ax):
    """The array an axes shows (the one image imshow put there)."""
    assert len(ax.images) == 1, f"expected one image on {ax}, found {len(ax.images)}"
    return np.asarray(ax.images[0].get_array())


def test_image_grid_shapes_and_labels():
    rng = np.random.default_rng(0)
    gray = rng.integers(0, 256, (5, 28, 28), dtype=np.uint8)
    fig = plots.image_grid(gray, list("abcde"), ncols=3, title="t")
    assert len(fig.axes) == 6, "2 rows of 3 for 5 images"
    assert [ax.get_title() for ax in fig.axes[:5]] == list("abcde")
    assert fig.get_suptitle() == "t"
    for ax, image in zip(fig.axes[:5], gray, strict=True):
        assert np.array_equal(_shown(ax), image), "each panel shows its own image"
        assert ax.images[0].get_cmap().name == "gray"
        assert ax.axison and not ax.get_xticks().size and not ax.get_yticks().size
    assert not fig.axes[5].axison and not fig.axes[5].images, "the spare panel is blank"

    colour = rng.integers(0, 256, (2, 32, 32, 3), dtype=np.uint8)
    fig = plots.image_grid(colour)
    assert len(fig.axes) == 2 and fig.get_suptitle() == ""
    for ax, image in zip(fig.axes, colour, strict=True):
        assert _shown(ax).shape == (32, 32, 3) and np.array_equal(_shown(ax), image)
        assert ax.get_title() == "", "no labels given, no titles"

    channel = rng.uniform(0, 1, (2, 28, 28, 1)).astype(np.float32)
    fig = plots.image_grid(channel, ["x", "y"], ncols=8)
    assert len(fig.axes) == 2, "ncols is capped at the number of images"
    assert [ax.get_title() for ax in fig.axes] == ["x", "y"]
    for ax, image in zip(fig.axes, channel, strict=True):
        assert _shown(ax).shape == (28, 28), "a single channel is shown as a gray image"
        assert np.array_equal(_shown(ax), image[..., 0])
        assert ax.images[0].get_cmap().name == "gray"


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


class WeightSchedule(keras.callbacks.Callback):
    """Sets the model's weights at the start of each epoch from a fixed list.

    With a learning rate of 0 training leaves them as they are, so each epoch's validation
    value is known in advance and the best epoch can be put anywhere (here: not the last).
    """

    def __init__(self, schedule):
        super().__init__()
        self.schedule = schedule

    def on_epoch_begin(self, epoch, logs=None):
        self.model.set_weights(self.schedule[epoch])


def _classification_data():
    rng = np.random.default_rng(0)
    x = rng.normal(size=(256, 4)).astype("float32")
    y = (x[:, 0] + x[:, 1] > 0).astype("int32")
    return x, y


def test_fit_best_keeps_the_best_epoch_and_times_it():
    """Really trained: timings, history and the best epoch consistent with the history."""
    keras.utils.set_random_seed(0)
    x, y = _classification_data()
    model = keras.Sequential([keras.Input((4,)), keras.layers.Dense(2, activation="softmax")])
    model.compile("adam", "sparse_categorical_crossentropy", metrics=["accuracy"])
    result = training.fit_best(model, x[:192], y[:192], validation_data=(x[192:], y[192:]),
                               epochs=3, batch_size=32, verbose=0)
    assert result.epochs == 3 and result.mode == "max" and result.monitor == "val_accuracy"
    assert set(result.history) == {"loss", "accuracy", "val_loss", "val_accuracy"}
    assert all(len(values) == 3 for values in result.history.values())
    assert result.best == max(result.history["val_accuracy"])
    assert result.best_epoch == result.history["val_accuracy"].index(result.best) + 1
    assert result.train_seconds > 0 and len(result.epoch_seconds) == 3
    assert all(s > 0 for s in result.epoch_seconds)
    assert sum(result.epoch_seconds) <= result.train_seconds


def test_fit_best_restores_a_best_epoch_that_is_not_the_last():
    x, y = _classification_data()
    model = keras.Sequential([keras.Input((4,)), keras.layers.Dense(2, activation="softmax")])
    model.compile(keras.optimizers.SGD(learning_rate=0.0), "sparse_categorical_crossentropy",
                  metrics=["accuracy"])
    right = np.array([[-1, 1], [-1, 1], [0, 0], [0, 0]], "float32")  # class 1 iff x0 + x1 > 0
    half = np.array([[-1, 1], [0, 0], [0, 0], [0, 0]], "float32")  # looks at x0 only
    bias = np.zeros(2, "float32")
    schedule = [[half, bias], [right, bias], [-right, bias]]  # good, best, worst (the last)
    result = training.fit_best(model, x[:192], y[:192], validation_data=(x[192:], y[192:]),
                               epochs=3, batch_size=32, verbose=0,
                               callbacks=[WeightSchedule(schedule)])
    history = result.history["val_accuracy"]
    assert history[1] == 1.0 and history[2] == 0.0 and 0.5 < history[0] < 1.0
    assert result.best_epoch == 2 and result.best == 1.0
    val_accuracy = model.evaluate(x[192:], y[192:], verbose=0)[1]
    assert val_accuracy == 1.0 != history[-1], "the best epoch's weights, not the last ones"
    assert np.array_equal(model.get_weights()[0], right)


def _regression_data():
    rng = np.random.default_rng(1)
    x = rng.normal(size=(300, 3)).astype("float32")
    w = np.array([[1.0], [-2.0], [0.5]], "float32")
    y = (x @ w + 0.1 * rng.normal(size=(300, 1))).astype("float32")
    return x, y, w


def test_fit_best_minimises_an_error_metric():
    """monitor="val_mae": lower is better although the name has no "loss" in it."""
    x, y, w = _regression_data()
    model = keras.Sequential([keras.Input((3,)), keras.layers.Dense(1)])
    model.compile(keras.optimizers.SGD(learning_rate=0.0), "mse", metrics=["mae"])
    bias = np.zeros(1, "float32")
    schedule = [[np.zeros_like(w), bias], [w, bias], [3 * w, bias]]  # the last is the worst
    result = training.fit_best(model, x[:200], y[:200], validation_data=(x[200:], y[200:]),
                               monitor="val_mae", epochs=3, batch_size=50, verbose=0,
                               callbacks=[WeightSchedule(schedule)])
    maes = result.history["val_mae"]
    assert min(maes) == maes[1] < maes[0] < maes[2] == max(maes), "best: the 2nd, not the last"
    assert result.mode == "min" and result.best_epoch == 2 and result.best == min(maes)
    _, val_mae = model.evaluate(x[200:], y[200:], verbose=0)
    assert val_mae == pytest.approx(min(maes), rel=1e-6)
    assert val_mae != pytest.approx(maes[-1]), "not the last epoch's weights"
    assert np.array_equal(model.get_weights()[0], w)


def _score(y_true, y_pred):
    return keras.ops.mean(y_pred)


def test_fit_best_asks_for_the_mode_of_an_unknown_metric():
    x, y, w = _regression_data()
    model = keras.Sequential([keras.Input((3,)), keras.layers.Dense(1)])
    model.compile(keras.optimizers.SGD(learning_rate=0.0), "mse", metrics=[_score])
    with pytest.raises(ValueError, match=r"'val__score'.*mode='min'.*mode='max'"):
        training.fit_best(model, x, y, validation_data=(x, y), monitor="val__score", epochs=2)
    assert not model.built or model.optimizer.iterations.numpy() == 0, "no training started"
    bias = np.zeros(1, "float32")
    # mean prediction on x[200:]: -(sum of w) * mean(x), so the three epochs differ
    schedule = [[w, bias + 1], [w, bias - 1], [w, bias]]
    result = training.fit_best(model, x[:200], y[:200], validation_data=(x[200:], y[200:]),
                               monitor="val__score", mode="min", epochs=3, batch_size=50,
                               verbose=0, callbacks=[WeightSchedule(schedule)])
    scores = result.history["val__score"]
    assert result.best_epoch == 2 and result.best == min(scores) != scores[-1]
    assert model.get_weights()[1][0] == -1.0


@pytest.mark.parametrize(
    "monitor, expected",
    [("val_loss", "min"), ("val_mae", "min"), ("val_mean_squared_error", "min"),
     ("val_rmse", "min"), ("val_sparse_categorical_crossentropy", "min"),
     ("val_kl_divergence", "min"), ("val_digits_loss", "min"), ("val_accuracy", "max"),
     ("val_auc_1", "max"), ("val_precision", "max"), ("val_cosine_similarity", "max"),
     ("val_digits_accuracy", "max"), ("val_r2_score", "max")],
)
def test_monitor_mode_from_the_name(monitor, expected):
    assert training.monitor_mode(monitor) == expected


def test_monitor_mode_asks_the_model_first():
    """A Keras loss used as a metric is minimised, whatever its name suggests (as in Keras)."""
    model = keras.Sequential([keras.Input((3,)), keras.layers.Dense(1)])
    model.compile("sgd", "mse", metrics=[keras.losses.cosine_similarity, "mae"])
    assert training.monitor_mode("val_cosine_similarity") == "max"  # the metric, by its name
    assert training.monitor_mode("val_cosine_similarity", model) == "min"  # minus the similarity
    assert training.monitor_mode("val_mae", model) == "min"
    with pytest.raises(ValueError, match=r"the model's metrics: .*cosine_similarity.*mae"):
        training.monitor_mode("val_what", model)


@pytest.mark.parametrize(
    "kwargs, match",
    [({"epochs": 0}, "epochs"), ({"epochs": 2, "monitor": "loss"}, "validation metric"),
     ({"epochs": 2, "validation_data": None}, "validation_data is required"),
     ({"epochs": 2, "mode": "lowest"}, "mode must be 'min', 'max' or 'auto'"),
     ({"epochs": 2, "monitor": "val_my_score"}, "pass mode='min'")],
)
def test_fit_best_rejects_bad_arguments(kwargs, match):
    kwargs.setdefault("validation_data", ([0], [0]))
    with pytest.raises(ValueError, match=match):
        training.fit_best(None, None, None, **kwargs)


def test_image_grid_rows_make_room_for_multiline_labels():
    images = np.zeros((16, 8, 8))
    one_line = plots.image_grid(images, ["a"] * 16, ncols=8)
    two_lines = plots.image_grid(images, ["a\nb"] * 16, ncols=8)
    assert two_lines.get_size_inches()[1] > one_line.get_size_inches()[1]
    one_line.canvas.draw()
    two_lines.canvas.draw()
    for fig in (one_line, two_lines):
        first_row_image = fig.axes[0].get_window_extent()
        second_row_title = fig.axes[8].title.get_window_extent()
        assert second_row_title.y1 <= first_row_image.y0 + 1, "a title overlaps the image above"


def test_image_grid_shared_scale_and_colorbar():
    filters = np.random.default_rng(0).normal(size=(4, 5, 5))
    bound = float(np.abs(filters).max())
    fig = plots.image_grid(filters, ["f"] * 4, cmap="RdBu_r", vmin=-bound, vmax=bound,
                           colorbar="weight")
    assert fig.axes[0].images[0].get_clim() == (-bound, bound)
    assert any(ax.get_ylabel() == "weight" for ax in fig.axes[4:])
    with pytest.raises(ValueError, match="vmin and vmax"):
        plots.image_grid(filters, colorbar="weight")
    with pytest.raises(ValueError, match="vmin must be below vmax"):
        plots.image_grid(filters, vmin=1, vmax=0)
