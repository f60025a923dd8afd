# Copyright (c) SATracker authors. Licensed under the Apache License 2.0.
"""Builders for tests and quick tool runs (as ``mmtrack.testing``), not inference API.

- :mod:`.tiny_models`: ``tiny_model_cfg`` (a SATracker config at tiny sizes, every switch
  kept, with the ``TINY_BERT`` text encoder), ``offline_model_cfg`` (buildable without
  pretrained files) and ``build_offline_model``, the one model builder of the analysis tools
  and the tests;
- :mod:`.synthetic_frames`: a synthetic moving-square video and its preprocessed frames.
- :mod:`.train_batch`: ``random_train_batch``, a random training batch at a model's sizes.
- :mod:`.tiny_bert`: ``TINY_BERT`` alone, importing nothing (``tools/misc/gpu_check.py``
  reads it by path).
"""
from .synthetic_frames import preprocess_frame, synthetic_video
from .tiny_models import TINY_BERT, build_offline_model, offline_model_cfg, tiny_model_cfg
from .train_batch import random_train_batch

__all__ = [
    'TINY_BERT', 'tiny_model_cfg', 'offline_model_cfg', 'build_offline_model', 'synthetic_video',
    'preprocess_frame', 'random_train_batch'
]
