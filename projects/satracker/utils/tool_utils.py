# Copyright (c) SATracker authors. Licensed under the Apache License 2.0.
"""Deprecated: the command-line helpers moved to :mod:`satracker.cli`.

This module re-exports ``add_common_args``, ``resolve_config_path`` and ``load_config`` from
there and warns (``FutureWarning``) once, when first imported.
"""
import warnings

from ..cli import add_common_args, load_config, resolve_config_path

__all__ = ['add_common_args', 'resolve_config_path', 'load_config']

warnings.warn(
    'satracker.utils.tool_utils is deprecated: import from satracker.cli',
    FutureWarning,
    stacklevel=2)
