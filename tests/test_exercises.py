"""utils.exercises: digests that hide answers, checks that print what is wrong."""

import doctest

import numpy as np
import pytest

import utils.exercises
from utils.exercises import check_answer, check_at_least, digest


def test_doctests():
    failures, _ = doctest.testmod(utils.exercises)
    assert failures == 0


def test_equal_answers_have_one_digest():
    assert digest(3) == digest(3.0) == digest(np.int64(3)) == digest(np.float32(3))
    assert digest((10, 10, 50)) == digest([10, 10, 50]) == digest(np.array([10, 10, 50]))
    assert digest("Toaster ") == digest("toaster")
    assert digest(0.1234, decimals=2) == digest(0.12, decimals=2)
    assert digest(-0.001, decimals=2) == digest(0, decimals=2)


def test_different_answers_differ():
    assert digest(3) != digest(4)
    assert digest((10, 10)) != digest((10, 10, 50))
    assert digest(0.125, decimals=3) != digest(0.124, decimals=3)
    assert digest(True) != digest(1)


def test_the_digest_is_salted():
    import hashlib
    assert digest(42) != hashlib.sha256(b"42").hexdigest()[:16]
    assert len(digest(42)) == 16 and int(digest(42), 16) >= 0


def test_check_answer_messages(capsys):
    target = digest(60_000)
    assert check_answer(60_000, target, name="ex1") is True
    assert "Correct" in capsys.readouterr().out
    assert check_answer(60_840, target, name="ex1", hint="count trainable ones") is False
    out = capsys.readouterr().out
    assert "Not yet" in out and "60840" in out and "60000" not in out and "trainable" in out
    assert check_answer(None, target, name="ex1") is False
    assert "fill in ex1" in capsys.readouterr().out
    assert check_answer({"a": 1}, target) is False
    assert "cannot be checked" in capsys.readouterr().out


def test_bad_arguments_are_named():
    with pytest.raises(ValueError, match="16-character"):
        check_answer(1, "abc")
    with pytest.raises(ValueError, match="finite"):
        digest(float("nan"))
    with pytest.raises(ValueError, match="None"):
        digest(None)
    with pytest.raises(TypeError, match="dict"):
        digest({"a": 1})


def test_check_at_least(capsys):
    assert check_at_least(0.72, 0.70, name="accuracy") is True
    assert check_at_least(0.5, 0.70, name="accuracy") is False
    assert "needed at least 0.7" in capsys.readouterr().out
    assert check_at_least(None, 0.70, name="accuracy") is False


def test_command_line(capsys):
    assert utils.exercises.main(["10,10,50"]) == 0
    assert capsys.readouterr().out.strip() == digest((10, 10, 50))
    assert utils.exercises.main(["0.1234", "--decimals", "2"]) == 0
    assert capsys.readouterr().out.strip() == digest(0.12, decimals=2)
