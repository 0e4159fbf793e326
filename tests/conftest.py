"""Fixtures shared by the tests of the notebooks' recorded full runs."""

import pytest

from utils.results import load_results


@pytest.fixture(scope="module")
def record(request: pytest.FixtureRequest) -> dict:
    """The recorded full run of the module's ``NOTEBOOK``; the module's tests skip without one."""
    notebook = request.module.NOTEBOOK
    recorded = load_results().get(notebook)
    if recorded is None:
        pytest.skip(f"notebook {notebook} has no recorded full run yet")
    return recorded
