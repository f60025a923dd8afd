# Copyright (c) SATracker authors. Licensed under the Apache License 2.0.
from .transt_fusion import FusionLayer, TransTFusionNeck, sine_position_embedding

__all__ = ['TransTFusionNeck', 'FusionLayer', 'sine_position_embedding']
