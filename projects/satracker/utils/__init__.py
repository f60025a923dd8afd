# Copyright (c) SATracker authors. Licensed under the Apache License 2.0.
"""Utilities: registration, local pretrained-model paths, weight converters, pre-flight checks.

- :mod:`.setup_env`: ``register_all_modules``;
- :mod:`.text_models`: where the text encoder's files come from (``MINILM_PACKAGE``), the
  tokenizer that follows it, and the one config walker (``iter_config_dicts``);
- :mod:`.cvt_converter`: CvT weights (official / HuggingFace) to the backbone's names;
- :mod:`.prerequisites`: every file a run needs, checked before it starts.

The command-line helpers of ``tools/`` live in :mod:`satracker.cli` (``tool_utils`` is its old
name) and the tiny-model builders of the tests in :mod:`satracker.testing`.
"""
from .cvt_converter import convert_cvt_state_dict
from .setup_env import register_all_modules
from .text_models import (MINILM_MODULE, MINILM_PACKAGE, default_text_model_path, iter_config_dicts,
                          resolve_model_path, resolve_tokenizer_paths, text_encoder_path)

__all__ = [
    'register_all_modules', 'default_text_model_path', 'resolve_model_path', 'MINILM_PACKAGE',
    'MINILM_MODULE', 'convert_cvt_state_dict', 'resolve_tokenizer_paths', 'text_encoder_path',
    'iter_config_dicts'
]
