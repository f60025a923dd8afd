# Copyright (c) SATracker authors. Licensed under the Apache License 2.0.
"""Semantic Aware Module (SAM): channel-wise vision-language fusion of one SLB stage."""
from typing import Optional, Tuple, Union

import torch
import torch.nn as nn
from mmtrack.registry import MODELS
from torch import Tensor

from .fusion import VLFusionModule
from .tem import init_cvt_weights
from .text_ops import additive_text_mask


@MODELS.register_module()
class SemanticAwareModule(VLFusionModule):
    """Semantic Aware Module (paper Sec. 3.1.3, as pinned in docs/model.md).

    Visual stream: one 3x3 convolution ``P`` (C -> C) maps the template and the search map
    into the common space and a linear layer (D -> C) maps the text tokens; the projected
    template is global-max-pooled to one query, which attends (multi-head, ``num_heads``
    heads, scale ``head_dim ** -0.5``, padding tokens masked) over the projected text tokens;
    the result ``a`` (B, C) becomes a soft channel selector:
    ``X_s' = X_s + Conv3x3(BN(P(X_s) * sigmoid(a)))``. The template map passes unchanged.

    Textual stream: ``T' = T + Linear_{C->D}(Linear_{D->C}(T) + pool(P(X_t)))``, with the
    same ``Linear_{D->C}`` as the visual stream (one common embedding space) and the same
    pooled template vector; ``text_update=False`` returns ``T`` unchanged.

    The selector and the text update depend only on the template and the text, so
    :meth:`forward_template` computes them once (the tracker caches them) and
    :meth:`forward_search` applies the selector to any search map.

    Args:
        embed_dims (int): Visual channels C.
        text_dims (int): Text width D.
        num_heads (int): Heads of the template-to-text attention.
        text_update (bool): Update the text (textual stream). Default True.
        init_cfg (dict | list[dict], optional): Initialisation config.
    """

    def __init__(self,
                 embed_dims: int,
                 text_dims: int,
                 num_heads: int = 1,
                 text_update: bool = True,
                 init_cfg: Optional[Union[dict, list]] = None) -> None:
        super().__init__(embed_dims, text_dims, num_heads, init_cfg)
        if embed_dims % num_heads:
            raise ValueError(f'embed_dims {embed_dims} is not divisible by num_heads '
                             f'{num_heads}')
        self.text_update = text_update
        self.visual_proj = nn.Conv2d(embed_dims, embed_dims, 3, padding=1)
        self.text_proj = nn.Linear(text_dims, embed_dims)
        self.q = nn.Linear(embed_dims, embed_dims)
        self.k = nn.Linear(embed_dims, embed_dims)
        self.v = nn.Linear(embed_dims, embed_dims)
        self.attn_out = nn.Linear(embed_dims, embed_dims)
        self.norm = nn.BatchNorm2d(embed_dims)
        self.out_conv = nn.Conv2d(embed_dims, embed_dims, 3, padding=1)
        if text_update:
            self.text_out = nn.Linear(embed_dims, text_dims)
        init_cvt_weights(self)

    def _selector(self, pooled: Tensor, text_c: Tensor, text_mask: Tensor) -> Tensor:
        """Multi-head attention of the pooled template over the text tokens.

        Args:
            pooled (Tensor): (B, C) max-pooled projected template.
            text_c (Tensor): (B, L, C) projected text.
            text_mask (Tensor): (B, L), 1 = real token.

        Returns:
            Tensor: (B, C) channel selector ``sigmoid(a)``.
        """
        B, L, C = text_c.shape
        h, d = self.num_heads, C // self.num_heads
        q = self.q(pooled).reshape(B, h, 1, d)
        k = self.k(text_c).reshape(B, L, h, d).transpose(1, 2)
        v = self.v(text_c).reshape(B, L, h, d).transpose(1, 2)
        scores = torch.matmul(q, k.transpose(-2, -1)) * d**-0.5  # (B, h, 1, L)
        scores = scores + additive_text_mask(text_mask, scores.dtype)
        a = torch.matmul(scores.softmax(dim=-1), v).reshape(B, C)
        return torch.sigmoid(self.attn_out(a))

    def forward_template(self, template: Tensor, text: Tensor,
                         text_mask: Tensor) -> Tuple[Tensor, Tensor, Tensor]:
        """Template/text part: the channel selector and the text update.

        Args:
            template (Tensor): (B, C, Ht, Wt) template map.
            text (Tensor): (B, L, D) text tokens.
            text_mask (Tensor): (B, L), 1 = real token, 0 = padding.

        Returns:
            tuple: template map (B, C, Ht, Wt) (unchanged), text (B, L, D) (updated when
            ``text_update``) and the state for :meth:`forward_search`: the selector (B, C).
        """
        pooled = self.visual_proj(template).amax(dim=(2, 3))  # (B, C)
        text_c = self.text_proj(text)  # (B, L, C)
        selector = self._selector(pooled, text_c, text_mask)
        if self.text_update:
            text = text + self.text_out(text_c + pooled[:, None, :])
        return template, text, selector

    def forward_search(self, search: Tensor, state: Tensor) -> Tensor:
        """Search part: apply a (cached) channel selector.

        Args:
            search (Tensor): (B, C, Hs, Ws) search map.
            state (Tensor): (B, C) selector from :meth:`forward_template`.

        Returns:
            Tensor: (B, C, Hs, Ws) ``X_s + Conv3x3(BN(P(X_s) * selector))``.
        """
        x = self.visual_proj(search) * state[:, :, None, None]
        return search + self.out_conv(self.norm(x))
