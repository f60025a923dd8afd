# Copyright (c) SATracker authors. Licensed under the Apache License 2.0.
"""Deprecated: the tiny-model builders moved to :mod:`satracker.testing`.

This module re-exports ``TINY_BERT``, ``tiny_model_cfg`` and ``offline_model_cfg`` from there
and warns (``FutureWarning``) once, when first imported.
"""
import warnings

from ..testing.tiny_models import TINY_BERT, offline_model_cfg, tiny_model_cfg

__all__ = ['TINY_BERT', 'tiny_model_cfg', 'offline_model_cfg']

warnings.warn(
    'satracker.apis.tiny is deprecated: import from satracker.testing', FutureWarning, stacklevel=2)
