# Copyright (c) SATracker authors. Licensed under the Apache License 2.0.
"""ModaMixer: VLTTT's modality mixer, the alternative fusion of the Table 5 ablation."""
from typing import Optional, Tuple, Union

import torch.nn as nn
from mmtrack.registry import MODELS
from torch import Tensor

from .fusion import VLFusionModule
from .tem import init_cvt_weights
from .text_ops import masked_mean


@MODELS.register_module()
class ModaMixer(VLFusionModule):
    """Modality mixer of VLTTT ("Divert More Attention to Vision-Language Tracking").

    Our implementation of VLTTT's idea: the sentence embedding (masked mean of the text
    tokens, projected D -> C) is a channel selector that re-weights the visual map, followed
    by a convolutional block and a residual connection:
    ``X' = X + ReLU(BN(Conv1x1(X * Linear(s))))``, applied to the template and the search
    map alike. The text passes unchanged (ModaMixer has no textual stream).

    Same interface as :class:`SemanticAwareModule`, so the SLB swaps them with
    ``fusion=dict(type='ModaMixer')``. The selector depends only on the text, so it is cacheable.

    Args:
        embed_dims (int): Visual channels C.
        text_dims (int): Text width D.
        num_heads (int): Unused (the backbone passes every fusion its stage's heads).
        init_cfg (dict | list[dict], optional): Initialisation config.
    """

    def __init__(self,
                 embed_dims: int,
                 text_dims: int,
                 num_heads: int = 1,
                 init_cfg: Optional[Union[dict, list]] = None) -> None:
        super().__init__(embed_dims, text_dims, num_heads, init_cfg)
        self.selector = nn.Linear(text_dims, embed_dims)
        self.mix = nn.Sequential()
        self.mix.add_module('conv', nn.Conv2d(embed_dims, embed_dims, 1, bias=False))
        self.mix.add_module('bn', nn.BatchNorm2d(embed_dims))
        self.mix.add_module('act', nn.ReLU(inplace=True))
        init_cvt_weights(self)

    def _mix(self, x: Tensor, state: Tensor) -> Tensor:
        """(B, C, H, W) map, (B, C) selector -> (B, C, H, W)."""
        return x + self.mix(x * state[:, :, None, None])

    def forward_template(self, template: Tensor, text: Tensor,
                         text_mask: Tensor) -> Tuple[Tensor, Tensor, Tensor]:
        """Template/text part.

        Args:
            template (Tensor): (B, C, Ht, Wt).
            text (Tensor): (B, L, D).
            text_mask (Tensor): (B, L), 1 = real token.

        Returns:
            tuple: mixed template (B, C, Ht, Wt), text (B, L, D) unchanged, and the state
            for :meth:`forward_search`: the selector (B, C).
        """
        state = self.selector(masked_mean(text, text_mask))
        return self._mix(template, state), text, state

    def forward_search(self, search: Tensor, state: Tensor) -> Tensor:
        """Search part.

        Args:
            search (Tensor): (B, C, Hs, Ws).
            state (Tensor): (B, C) selector.

        Returns:
            Tensor: (B, C, Hs, Ws).
        """
        return self._mix(search, state)
