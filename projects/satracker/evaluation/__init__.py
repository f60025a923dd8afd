# Copyright (c) SATracker authors. Licensed under the Apache License 2.0.
"""VL SOT evaluation: the pytracking-protocol metric and result export."""
from . import functional, metrics  # noqa: F401
