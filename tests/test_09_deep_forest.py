"""Notebook 09's recorded full run holds what issue 16 asks for (the gcForest table, rerun)."""

import pytest

NOTEBOOK = "09_deep_forest"  # read by the `record` fixture, tests/conftest.py

MNIST_ROWS = ("gcForest (scanning + cascade)", "Cascade forest (pixels)", "LeNet-5",
              "SVM (rbf kernel, PCA-50)", "Random Forest", "MLP (Keras)", "Logistic Regression")
FASHION_ROWS = MNIST_ROWS  # the same rows; LeNet is trained in the notebook for Fashion-MNIST
# the slide "Deep Learning sem NNs", Table 2: test accuracy on MNIST
SLIDE_MNIST = {"gcForest": 0.9926, "LeNet-5": 0.9905, "Deep Belief Net": 0.9875,
               "SVM (rbf kernel)": 0.9860, "Random Forest": 0.9680}


def test_the_record_comes_from_a_full_run_with_the_slide_table(record):
    assert record["mode"] == "full"
    assert record["n_train"] == 60_000
    assert record["slide_mnist"] == SLIDE_MNIST


@pytest.mark.parametrize(("dataset", "rows"), [("mnist", MNIST_ROWS),
                                                ("fashion_mnist", FASHION_ROWS)])
def test_every_row_has_its_accuracy_and_times(record, dataset, rows):
    table = record[dataset]
    for row in rows:
        assert 0.5 < table[row]["accuracy"] <= 1, row
        assert table[row]["train_seconds"] > 0, row
        assert table[row]["predict_ms_per_image"] > 0, row


def test_the_issue_thresholds(record):
    mnist = record["mnist"]
    assert mnist["gcForest (scanning + cascade)"]["accuracy"] >= 0.98
    assert record["gcforest_mnist_test_accuracy"] == mnist["gcForest (scanning + cascade)"][
        "accuracy"]
    # the SVM within half a point of the slide's 98.60 %
    svm = mnist["SVM (rbf kernel, PCA-50)"]["accuracy"]
    assert abs(svm - SLIDE_MNIST["SVM (rbf kernel)"]) <= 0.005
    # layers of forests on scanned features beat one forest on pixels
    assert mnist["gcForest (scanning + cascade)"]["accuracy"] > mnist["Random Forest"]["accuracy"]


@pytest.mark.parametrize("key", ["levels_pixels_mnist", "levels_scanned_mnist",
                                 "levels_scanned_fashion", "levels_pixels_fashion"])
def test_the_cascades_kept_their_best_validation_level(record, key):
    levels = record[key]
    assert 1 <= len(levels["val_accuracy"]) <= record["max_levels"]
    assert len(levels["test_accuracy"]) == len(levels["val_accuracy"])
    best = levels["best_level"]
    assert levels["val_accuracy"][best - 1] == max(levels["val_accuracy"])
