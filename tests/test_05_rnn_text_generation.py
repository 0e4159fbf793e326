"""Notebook 05's recorded full run holds what the exercises issue asks for.

The character model reaches at most 1.50 nats per character on the held-out text within 30
minutes of training on the course's CPU, at a fixed number of epochs, and the GRU is compared
with the LSTM after the same steps of the same schedule.
"""

import math

NOTEBOOK = "05_rnn_text_generation"  # read by the `record` fixture, tests/conftest.py


def test_the_record_comes_from_a_full_run(record):
    assert record["mode"] == "full"
    assert record["lstm"]["units"] == 384 and record["lstm"]["steps_per_epoch"] == 250
    assert 1 <= record["best_epoch"] <= record["epochs"]


def test_the_character_model_trains_within_30_minutes(record):
    assert record["train_seconds"] <= 30 * 60
    assert math.isclose(record["val_bits_per_char"],
                        record["val_loss_nats_per_char"] / math.log(2), rel_tol=1e-9)
    assert record["val_loss_nats_per_char"] < record["unigram_nats_per_char"]


# The goal. Met first by the run of 2026-11-29 (1.4922 nats: 20 % input dropout, 30 %
# output dropout, AdamW weight decay 0.1); the three runs before it ended at 1.505-1.519.
def test_the_character_model_reaches_1_50_nats(record):
    assert record["val_loss_nats_per_char"] <= 1.50


def test_the_gru_is_compared_after_the_same_steps(record):
    gru = record["gru"]
    assert gru["schedule_epochs"] == record["epochs"]  # the LSTM's own schedule
    assert 1 <= gru["epochs"] < record["epochs"]
    assert gru["train_seconds"] > 0 and gru["lstm_seconds_for_same_epochs"] > 0
    assert gru["parameters"] < record["lstm"]["parameters"]
