"""Notebook 10's recorded full run holds what its issue asks for (Noise2Noise against BM3D)."""

import pytest

NOTEBOOK = "10_denoising"  # read by the `record` fixture, tests/conftest.py
METHODS = ("noisy input", "Gaussian blur", "median filter", "non-local means",
           "CNN, clean targets", "CNN, Noise2Noise")


def test_the_twins_agree_within_30_minutes_of_training(record):
    assert record["mode"] == "full"
    assert record["noise2noise_train_seconds"] <= 30 * 60
    assert record["clean_target_train_seconds"] <= 30 * 60
    assert abs(record["clean_minus_noise2noise"]) <= 0.3


# The headline goal is not met yet (the run of 2026-11-28: 28.23 dB; the validation
# curve flattens early, so the network, not the step count, is the limit). strict: the day a
# recorded run meets it, this test fails as XPASS and the mark must go.
@pytest.mark.xfail(strict=True, reason="issue 17: Noise2Noise below BM3D's 28.57 dB on BSD68")
def test_noise2noise_reaches_bm3d(record):
    assert record["published_bsd68_sigma25"]["BM3D"] == 28.57
    assert record["noise2noise_bsd68"] >= 28.57


def test_every_method_has_both_test_sets(record):
    table = record["psnr_sigma25"]
    for method in METHODS:
        assert set(table[method]) == {"BSD68", "Set12"}, method
    assert table["CNN, Noise2Noise"]["BSD68"] == record["noise2noise_bsd68"]
    assert table["noisy input"]["BSD68"] < table["Gaussian blur"]["BSD68"]
    assert table["non-local means"]["BSD68"] < table["CNN, Noise2Noise"]["BSD68"]


def test_the_training_times_and_noise_types_are_recorded(record):
    assert record["clean_target_train_seconds"] > 0 and record["noise2noise_train_seconds"] > 0
    assert any(kind.startswith("Gaussian") for kind in record["noise_types_tried"])
    assert any(kind.startswith("Poisson") for kind in record["noise_types_tried"])
    poisson = record["poisson_set12_psnr"]
    assert poisson["CNN, Noise2Noise"] > poisson["noisy input"]


def test_the_whole_training_fits_the_45_minute_run(record):
    seconds = (record["clean_target_train_seconds"] + record["noise2noise_train_seconds"]
               + sum(record["poisson_train_seconds"].values())
               + sum(record["autoencoder_train_seconds"].values()))
    assert seconds <= 45 * 60
