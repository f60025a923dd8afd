# Copyright (c) SATracker authors. Licensed under the Apache License 2.0.
"""Python inference API (mirrors MMTracking's ``init_model`` / ``inference_sot``).

The tiny-model builders that used to be exported here are test helpers: they live in
:mod:`satracker.testing`; ``satracker.apis.tiny_model_cfg`` (and ``offline_model_cfg``,
``TINY_BERT``) still resolve, with a ``FutureWarning``.
"""
import warnings

from .inference import build_inference_pipeline, inference_vlsot, init_model, load_weights_only

__all__ = ['init_model', 'inference_vlsot', 'build_inference_pipeline', 'load_weights_only']

_MOVED_TO_TESTING = ('tiny_model_cfg', 'offline_model_cfg', 'TINY_BERT')


def __getattr__(name: str):
    """The names that moved to :mod:`satracker.testing`, with a ``FutureWarning``."""
    if name in _MOVED_TO_TESTING:
        warnings.warn(
            f'satracker.apis.{name} is deprecated: import it from satracker.testing',
            FutureWarning,
            stacklevel=2)
        from .. import testing
        return getattr(testing, name)
    raise AttributeError(f'module {__name__!r} has no attribute {name!r}')
