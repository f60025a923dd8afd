# Copyright (c) SATracker authors. Licensed under the Apache License 2.0.
"""Kept for compatibility: the TNL2K, OTB99-Lang and LaSOT info-file converters live in
:mod:`satracker_data.converters` (torch-free), whose names this module re-exports."""
from satracker_data.converters import *  # noqa: F401,F403
from satracker_data.converters import __all__  # noqa: F401
