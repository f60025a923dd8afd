# Copyright (c) SATracker authors. Licensed under the Apache License 2.0.
"""Utilities: registration, local pretrained-model paths, weight converters."""
from .cvt_converter import convert_cvt_state_dict
from .setup_env import register_all_modules
from .text_models import (MINILM_PACKAGE, default_text_model_path,
                          resolve_model_path, resolve_tokenizer_paths,
                          text_encoder_path)

__all__ = [
    'register_all_modules', 'default_text_model_path', 'resolve_model_path',
    'MINILM_PACKAGE', 'convert_cvt_state_dict', 'resolve_tokenizer_paths',
    'text_encoder_path'
]
