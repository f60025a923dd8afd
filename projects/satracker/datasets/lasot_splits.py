# Copyright (c) SATracker authors. Licensed under the Apache License 2.0.
"""Kept for compatibility: LaSOT's official test split and OTB100's frame ranges live in
:mod:`satracker_data.lasot_splits` (torch-free), whose names this module re-exports."""
from satracker_data.lasot_splits import *  # noqa: F401,F403
from satracker_data.lasot_splits import __all__  # noqa: F401
