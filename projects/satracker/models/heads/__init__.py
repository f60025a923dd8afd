# Copyright (c) SATracker authors. Licensed under the Apache License 2.0.
from .satracker_head import SATrackerHead

__all__ = ['SATrackerHead']
