# Copyright (c) SATracker authors. Licensed under the Apache License 2.0.
"""Python inference API (mirrors MMTracking's ``init_model`` / ``inference_sot``)."""
from .inference import (build_inference_pipeline, inference_vlsot, init_model,
                        load_weights_only)
from .tiny import TINY_BERT, offline_model_cfg, tiny_model_cfg

__all__ = ['init_model', 'inference_vlsot', 'build_inference_pipeline', 'load_weights_only',
           'tiny_model_cfg', 'offline_model_cfg', 'TINY_BERT']
