# Copyright (c) SATracker authors. Licensed under the Apache License 2.0.
"""Convolutional Token Embedding (CTE) of the Synchronous Learning Backbone."""
from typing import Optional, Union

import torch.nn as nn
from mmengine.model import BaseModule
from mmtrack.registry import MODELS
from torch import Tensor


@MODELS.register_module()
class ConvTokenEmbedding(BaseModule):
    """Convolutional token embedding: a strided convolution followed by LayerNorm.

    As CvT's ``ConvEmbed`` (paper Sec. 3.1.1): the image (or the previous stage's map) is
    mapped by a ``kernel_size x kernel_size`` convolution with ``stride`` and normalised by a
    LayerNorm over channels (eps 1e-5, as CvT). The output is kept as a map; the SLB
    flattens it to tokens where needed. Parameter names (``proj``, ``norm``) follow the
    official CvT checkpoint's ``patch_embed``.

    Args:
        in_channels (int): Input channels (3 for the image).
        embed_dims (int): Output channels ``C^i``.
        kernel_size (int): Convolution kernel (7 / 3 / 3 for CvT-21).
        stride (int): Convolution stride (4 / 2 / 2).
        padding (int): Convolution padding (2 / 1 / 1).
        init_cfg (dict | list[dict], optional): Initialisation config.
    """

    def __init__(self,
                 in_channels: int,
                 embed_dims: int,
                 kernel_size: int = 7,
                 stride: int = 4,
                 padding: int = 2,
                 init_cfg: Optional[Union[dict, list]] = None) -> None:
        super().__init__(init_cfg=init_cfg)
        self.in_channels = in_channels
        self.embed_dims = embed_dims
        self.proj = nn.Conv2d(
            in_channels, embed_dims, kernel_size=kernel_size, stride=stride, padding=padding)
        self.norm = nn.LayerNorm(embed_dims)

    def forward(self, x: Tensor) -> Tensor:
        """Embed a map.

        Args:
            x (Tensor): (B, C_in, H, W).

        Returns:
            Tensor: (B, C, H', W') with ``H' = (H + 2p - k) // s + 1``, layer-normalised over C.
        """
        x = self.proj(x)
        B, C, H, W = x.shape
        x = self.norm(x.flatten(2).transpose(1, 2))  # (B, HW, C)
        return x.transpose(1, 2).reshape(B, C, H, W)
