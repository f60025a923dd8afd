# Copyright (c) SATracker authors. Licensed under the Apache License 2.0.
from .slb import SLBCache, SLBStage, SynchronousLearningBackbone

__all__ = ['SynchronousLearningBackbone', 'SLBStage', 'SLBCache']
