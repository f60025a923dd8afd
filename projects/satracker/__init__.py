# Copyright (c) SATracker authors. Licensed under the Apache License 2.0.
"""SATracker: a vision-language single-object tracker as an MMTracking 1.x plugin.

Importing this package registers every SATracker module (models, datasets, transforms,
metrics, hooks, the visualiser) into MMTracking's registries, so that configs with
``default_scope='mmtrack'`` and ``custom_imports=dict(imports=['satracker'])`` find them by
their class names.

Where things are: ``models/`` (one file per paper block, e.g. ``backbones/slb.py``,
``layers/tem.py``, ``layers/sam.py``), ``datasets/`` (the VL datasets and transforms),
``evaluation/`` (the metric, its result files, the plots), ``visualization/`` (drawing),
``engine/`` (hooks, checkpoint rules), ``apis/`` (``init_model``, ``inference_vlsot``),
``testing/`` (tiny-model builders for tests and tools), ``cli`` (what ``tools/`` shares),
``utils/``. The demo is ``tools/demo.py``.
"""
from . import datasets, engine, evaluation, models, visualization  # noqa: F401  (registration)
from .version import __version__  # noqa: F401

__all__ = ['__version__']
