"""Shared helpers of the course notebooks: run settings, data, plots, results.

Import this package after choosing ``KERAS_BACKEND`` and call :func:`setup` in the first cell::

    import utils
    RUN = utils.setup()

Keras itself is imported by :func:`setup`, not at package import, so the backend choice and the
log settings are in place first.
"""

from . import data, models, plots, results, training
from .settings import RunSettings, full_float32, run_mode, setup

__all__ = [
    "RunSettings", "data", "full_float32", "models", "plots", "results", "run_mode", "setup",
    "training",
]
__version__ = "0.1.0"
