# Copyright (c) SATracker authors. Licensed under the Apache License 2.0.
"""Building blocks of the Synchronous Learning Backbone."""
from .activations import QuickGELU, build_activation
from .cte import ConvTokenEmbedding
from .modamixer import ModaMixer
from .sam import SemanticAwareModule
from .tem import TargetEnhanceModule
from .text_encoder import StagedBertEncoder, bert_additive_mask
from .text_ops import additive_text_mask, masked_mean

__all__ = [
    'QuickGELU', 'build_activation', 'ConvTokenEmbedding', 'TargetEnhanceModule',
    'SemanticAwareModule', 'ModaMixer', 'StagedBertEncoder', 'bert_additive_mask',
    'additive_text_mask', 'masked_mean'
]
