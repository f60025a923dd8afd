# Copyright (c) SATracker authors. Licensed under the Apache License 2.0.
"""The two operations on padded token sequences that several blocks share."""
import torch
from torch import Tensor


def additive_text_mask(text_mask: Tensor, dtype: torch.dtype) -> Tensor:
    """HuggingFace 1/0 token mask -> additive attention bias.

    A float additive mask is right for both the ``eager`` and the ``sdpa`` attention of
    transformers 5.x (a bool mask would be *added* as 0/1 by ``eager``) and for our SAM.

    Args:
        text_mask (Tensor): (B, L), 1 = real token, 0 = padding.
        dtype (torch.dtype): Dtype of the attention scores / hidden states.

    Returns:
        Tensor: (B, 1, 1, L); 0 for real tokens, the dtype's most negative value for padding.
    """
    return (1.0 - text_mask[:, None, None, :].to(dtype)) * torch.finfo(dtype).min


def masked_mean(text: Tensor, text_mask: Tensor) -> Tensor:
    """Mean of the real tokens ([CLS] and [SEP] included, padding excluded).

    Args:
        text (Tensor): (B, L, D).
        text_mask (Tensor): (B, L), 1 = real token, 0 = padding.

    Returns:
        Tensor: (B, D).
    """
    m = text_mask.to(text.dtype)[:, :, None]
    return (text * m).sum(dim=1) / m.sum(dim=1).clamp(min=1.0)
