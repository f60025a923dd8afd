# Copyright (c) SATracker authors. Licensed under the Apache License 2.0.
"""SATracker: a vision-language single-object tracker as an MMTracking 1.x plugin.

Importing this package registers every SATracker module (models, datasets, transforms,
metrics, hooks, the visualiser) into MMTracking's registries, so that configs with
``default_scope='mmtrack'`` and ``custom_imports=dict(imports=['satracker'])`` find them by
their class names.
"""
from . import datasets, engine, evaluation, models, visualization  # noqa: F401  (registration)
from .version import __version__  # noqa: F401

__all__ = ['__version__']
