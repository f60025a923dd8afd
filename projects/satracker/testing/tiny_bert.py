# Copyright (c) SATracker authors. Licensed under the Apache License 2.0.
"""The tiny random BERT of the tests and quick tool runs, as a plain constant.

This module imports nothing, so ``tools/misc/gpu_check.py`` (standard library only, run before
anything of ours is installed) reads it by path, and :mod:`.tiny_models` imports it.
"""

#: A tiny random BERT: 3 layers (split 1/1/1), width 32. The vocabulary stays
#: bert-base-uncased's size, so real WordPiece ids (MiniLM's tokenizer) are valid.
TINY_BERT = dict(
    hidden_size=32,
    num_hidden_layers=3,
    num_attention_heads=2,
    intermediate_size=64,
    max_position_embeddings=64,
    vocab_size=30522)
