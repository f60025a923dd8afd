# Copyright (c) SATracker authors. Licensed under the Apache License 2.0.
"""Kept for compatibility: the synthetic vision-language set live in
:mod:`satracker_data.synthetic_vl` (torch-free), whose names this module re-exports."""
from satracker_data.synthetic_vl import *  # noqa: F401,F403
from satracker_data.synthetic_vl import __all__  # noqa: F401
