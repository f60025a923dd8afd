# Copyright (c) SATracker authors. Licensed under the Apache License 2.0.
from .slb import SynchronousLearningBackbone

__all__ = ['SynchronousLearningBackbone']
