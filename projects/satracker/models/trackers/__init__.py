# Copyright (c) SATracker authors. Licensed under the Apache License 2.0.
from .satracker import DEFAULT_TEST_CFG, SATracker, clip_box, crop_square

__all__ = ['SATracker', 'crop_square', 'clip_box', 'DEFAULT_TEST_CFG']
