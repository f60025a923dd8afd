# Copyright (c) SATracker authors. Licensed under the Apache License 2.0.
"""SATracker models; importing registers them into ``mmtrack.registry.MODELS``."""
from . import backbones, data_preprocessors, heads, layers, losses, necks, trackers  # noqa: F401
