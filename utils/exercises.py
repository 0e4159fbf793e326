"""Exercise checks that do not give the answer away.

A notebook stores the *digest* of an answer, never the answer itself, and the student's value is
compared with it::

    >>> digest(42)                 # computed once by the author and pasted into the check cell
    '3f0ab86addfffea4'
    >>> check_answer(41, digest(42), name="ex1_parameters")
    Not yet: ex1_parameters = 41 is not right.
    False

Numbers are compared after rounding (``decimals``), so a float answer is accepted when it agrees
to the stated number of decimals; say that number in the exercise's text. Answers that depend on
a run (an accuracy, a trained model) are checked by computing from the student's own object, not
by a digest: :func:`check_at_least` prints the same kind of message.

To make a digest for a new exercise, run ``python -m utils.exercises VALUE [--decimals N]``.
In a check cell, assign the result (``passed = check_answer(...)``): a bare call as the last
line would also display ``True``/``False`` under the message.
"""

from __future__ import annotations

import argparse
import hashlib
import numbers
import sys
from collections.abc import Sequence
from typing import Any

import numpy as np

# The digest is salted so that a search engine cannot reverse the hash of a small integer.
_SALT = b"dl-course exercise v1:"


def canonical(value: Any, decimals: int | None = None) -> str:
    """The text that is hashed: one spelling for equal answers (``3 == 3.0 == np.int64(3)``).

    >>> canonical((10, 10, 50))
    '[10,10,50]'
    >>> canonical(0.12345, decimals=2)
    '0.12'
    """
    if value is None:
        raise ValueError("an answer of None has no digest: fill in a value")
    if isinstance(value, (bool, np.bool_)):
        return "true" if value else "false"
    if isinstance(value, str):
        return "s:" + value.strip().lower()
    if isinstance(value, np.ndarray):
        value = value.tolist()
    if isinstance(value, numbers.Integral):
        return str(int(value))
    if isinstance(value, numbers.Real):
        number = float(value)
        if not np.isfinite(number):
            raise ValueError(f"the answer {value!r} is not a finite number")
        if decimals is not None:
            number = round(number, decimals)
            text = f"{number:.{decimals}f}"
            return "0" if float(text) == 0 else text.rstrip("0").rstrip(".")
        if number.is_integer():
            return str(int(number))
        return repr(number)
    if isinstance(value, Sequence):
        return "[" + ",".join(canonical(item, decimals) for item in value) + "]"
    raise TypeError(
        f"cannot check an answer of type {type(value).__name__}: use a number, a string, "
        "a tuple/list of them or a NumPy array")


def digest(value: Any, decimals: int | None = None) -> str:
    """A salted SHA-256 of ``canonical(value, decimals)``, 16 hex digits.

    >>> digest(3) == digest(3.0) == digest(np.int64(3))
    True
    """
    text = canonical(value, decimals).encode()
    return hashlib.sha256(_SALT + text).hexdigest()[:16]


def check_answer(answer: Any, expected_digest: str, *, name: str = "your answer",
                 decimals: int | None = None, hint: str = "") -> bool:
    """Print ``Correct`` or what is wrong (never the expected value); return whether it is right.

    ``None`` (the exercise's placeholder) prints "fill in ..."; a value of the wrong kind says so.
    """
    if not isinstance(expected_digest, str) or len(expected_digest) != 16:
        raise ValueError(f"expected_digest must be the 16-character text digest() returns, "
                         f"got {expected_digest!r}")
    if answer is None:
        print(f"Not yet: fill in {name}, then run this cell again.")
        return False
    try:
        right = digest(answer, decimals) == expected_digest
    except (TypeError, ValueError) as error:
        print(f"Not yet: {name} cannot be checked ({error}).")
        return False
    if right:
        print(f"Correct: {name} = {answer!r}.")
        return True
    rounded = f" (compared to {decimals} decimals)" if decimals is not None else ""
    hint_text = f" Hint: {hint}" if hint else ""
    print(f"Not yet: {name} = {answer!r} is not right{rounded}.{hint_text}")
    return False


def check_at_least(value: float | None, threshold: float, *, name: str, hint: str = "") -> bool:
    """For answers measured on the student's own run: is ``value`` at least ``threshold``?"""
    if value is None:
        print(f"Not yet: {name} has no value yet; run your code first.")
        return False
    value = float(value)
    if value >= threshold:
        print(f"Correct: {name} = {value:.4g} (needed at least {threshold:.4g}).")
        return True
    print(f"Not yet: {name} = {value:.4g}, needed at least {threshold:.4g}."
          + (f" Hint: {hint}" if hint else ""))
    return False


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Print the digest of an exercise's answer.")
    parser.add_argument("value", help="a number, or text (use quotes); tuples as 10,10,50")
    parser.add_argument("--decimals", type=int, default=None)
    args = parser.parse_args(argv)
    parts = args.value.split(",")

    def parse(text: str) -> Any:
        for kind in (int, float):
            try:
                return kind(text)
            except ValueError:
                pass
        return text

    value = parse(parts[0]) if len(parts) == 1 else [parse(p) for p in parts]
    print(digest(value, args.decimals))
    return 0


if __name__ == "__main__":
    sys.exit(main())
