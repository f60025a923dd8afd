# Copyright (c) SATracker authors. Licensed under the Apache License 2.0.
"""TransT's feature fusion network (ECA + CFA), the neck of Table 4's baseline ①."""
import math
from typing import Optional, Tuple

import torch
import torch.nn.functional as F
from mmengine.model import BaseModule
from mmtrack.registry import MODELS
from torch import Tensor, nn


def sine_position_embedding(h: int,
                            w: int,
                            dims: int,
                            device=None,
                            temperature: float = 10000.) -> Tensor:
    """DETR-style normalised 2-D sine position embedding.

    Half of the channels encode y, half encode x (each as interleaved sin/cos
    pairs), coordinates normalised to (0, 2π] as DETR/TransT do with
    ``normalize=True``.

    Args:
        h (int): Height of the map.
        w (int): Width of the map.
        dims (int): Channels (even, divisible by 4).
        device (torch.device, optional): Device of the result.
        temperature (float): Frequency base. Defaults to 10000.

    Returns:
        Tensor: (h * w, dims).
    """
    assert dims % 4 == 0, 'dims must be divisible by 4'
    half = dims // 2
    eps = 1e-6
    y = torch.arange(1, h + 1, dtype=torch.float32, device=device)
    x = torch.arange(1, w + 1, dtype=torch.float32, device=device)
    y = y / (h + eps) * 2 * math.pi
    x = x / (w + eps) * 2 * math.pi
    dim_t = torch.arange(half, dtype=torch.float32, device=device)
    dim_t = temperature**(2 * torch.div(dim_t, 2, rounding_mode='floor') / half)
    pos_y = y[:, None] / dim_t  # (h, half)
    pos_x = x[:, None] / dim_t  # (w, half)
    pos_y = torch.stack((pos_y[:, 0::2].sin(), pos_y[:, 1::2].cos()), dim=2).flatten(1)
    pos_x = torch.stack((pos_x[:, 0::2].sin(), pos_x[:, 1::2].cos()), dim=2).flatten(1)
    pos = torch.cat((pos_y[:, None, :].expand(h, w, half), pos_x[None, :, :].expand(h, w, half)),
                    dim=2)
    return pos.reshape(h * w, dims)


class _FFN(nn.Module):
    """Linear-ReLU-Dropout-Linear with a post-norm residual."""

    def __init__(self, dims: int, hidden: int, dropout: float):
        super().__init__()
        self.fc1 = nn.Linear(dims, hidden)
        self.fc2 = nn.Linear(hidden, dims)
        self.drop_hidden = nn.Dropout(dropout)
        self.drop_out = nn.Dropout(dropout)
        self.norm = nn.LayerNorm(dims)

    def forward(self, x: Tensor) -> Tensor:
        y = self.fc2(self.drop_hidden(F.relu(self.fc1(x))))
        return self.norm(x + self.drop_out(y))


class _AttnResidual(nn.Module):
    """Multi-head attention with position added to Q and K, post-norm residual."""

    def __init__(self, dims: int, num_heads: int, dropout: float):
        super().__init__()
        self.attn = nn.MultiheadAttention(dims, num_heads, dropout=dropout, batch_first=True)
        self.drop = nn.Dropout(dropout)
        self.norm = nn.LayerNorm(dims)

    def forward(self, query: Tensor, query_pos: Tensor, memory: Tensor,
                memory_pos: Tensor) -> Tensor:
        out = self.attn(query + query_pos, memory + memory_pos, memory, need_weights=False)[0]
        return self.norm(query + self.drop(out))


class FusionLayer(nn.Module):
    """One TransT feature fusion layer: ECA on both branches, then CFA both ways.

    ECA (ego-context augment): self-attention within a branch. CFA
    (cross-feature augment): each branch attends to the other (after its ECA),
    followed by an FFN. Post-norm residuals throughout, as in TransT.

    Args:
        dims (int): Token width.
        num_heads (int): Attention heads.
        ffn_dims (int): FFN hidden width.
        dropout (float): Dropout rate.
    """

    def __init__(self, dims: int, num_heads: int, ffn_dims: int, dropout: float):
        super().__init__()
        self.eca_template = _AttnResidual(dims, num_heads, dropout)
        self.eca_search = _AttnResidual(dims, num_heads, dropout)
        self.cfa_template = _AttnResidual(dims, num_heads, dropout)
        self.cfa_search = _AttnResidual(dims, num_heads, dropout)
        self.ffn_template = _FFN(dims, ffn_dims, dropout)
        self.ffn_search = _FFN(dims, ffn_dims, dropout)

    def forward(self, z: Tensor, x: Tensor, pos_z: Tensor, pos_x: Tensor) -> Tuple[Tensor, Tensor]:
        """Fuse template tokens ``z`` (B, Nz, C) and search tokens ``x`` (B, Nx, C).

        Returns:
            tuple[Tensor, Tensor]: Updated ``z`` (B, Nz, C) and ``x`` (B, Nx, C).
        """
        z = self.eca_template(z, pos_z, z, pos_z)
        x = self.eca_search(x, pos_x, x, pos_x)
        z_new = self.cfa_template(z, pos_z, x, pos_x)
        x_new = self.cfa_search(x, pos_x, z, pos_z)
        return self.ffn_template(z_new), self.ffn_search(x_new)


@MODELS.register_module()
class TransTFusionNeck(BaseModule):
    """TransT's feature fusion network as a neck (Table 4, setting ①).

    Both feature maps are projected by one shared 1x1 conv to ``embed_dims``,
    get a normalised sine position embedding, go through ``num_layers`` fusion
    layers (ECA + CFA, :class:`FusionLayer`) and a final CFA in which the search
    tokens attend to the template (plus FFN and LayerNorm). The fused search
    tokens are returned as a map for the corner head. TransT's sizes:
    ``embed_dims=256, num_heads=8, num_layers=4, feedforward_channels=2048,
    dropout=0.1``. No padding masks: SATracker's crops carry none.

    Args:
        in_channels (int): Channels of the backbone's output. Defaults to 384.
        embed_dims (int): Fusion width (and output channels). Defaults to 256.
        num_heads (int): Attention heads. Defaults to 8.
        num_layers (int): Fusion layers before the final CFA. Defaults to 4.
        feedforward_channels (int): FFN hidden width. Defaults to 2048.
        dropout (float): Dropout rate. Defaults to 0.1.
        init_cfg (dict, optional): Initialisation config; by default every
            weight matrix gets Xavier-uniform init (as TransT).
    """

    def __init__(self,
                 in_channels: int = 384,
                 embed_dims: int = 256,
                 num_heads: int = 8,
                 num_layers: int = 4,
                 feedforward_channels: int = 2048,
                 dropout: float = 0.1,
                 init_cfg: Optional[dict] = None):
        super().__init__(init_cfg=init_cfg)
        self.in_channels = in_channels
        self.embed_dims = embed_dims
        self.input_proj = nn.Conv2d(in_channels, embed_dims, kernel_size=1)
        self.layers = nn.ModuleList([
            FusionLayer(embed_dims, num_heads, feedforward_channels, dropout)
            for _ in range(num_layers)
        ])
        self.decoder_cfa = _AttnResidual(embed_dims, num_heads, dropout)
        self.decoder_ffn = _FFN(embed_dims, feedforward_channels, dropout)
        self.decoder_norm = nn.LayerNorm(embed_dims)

    def init_weights(self) -> None:
        """Xavier-uniform init of every weight matrix (TransT's ``_reset_parameters``)."""
        super().init_weights()
        if self.init_cfg is None:
            for name, p in self.named_parameters():
                if p.dim() > 1 and not name.startswith('input_proj'):
                    nn.init.xavier_uniform_(p)

    def forward(self, template_feat: Tensor, search_feat: Tensor) -> Tensor:
        """Fuse the template and search maps.

        Args:
            template_feat (Tensor): (B, C_in, Hz, Wz).
            search_feat (Tensor): (B, C_in, Hx, Wx).

        Returns:
            Tensor: (B, embed_dims, Hx, Wx) fused search map.
        """
        z = self.input_proj(template_feat)
        x = self.input_proj(search_feat)
        b, c, hx, wx = x.shape
        hz, wz = z.shape[-2:]
        pos_z = sine_position_embedding(hz, wz, c, z.device).to(z.dtype)[None]
        pos_x = sine_position_embedding(hx, wx, c, x.device).to(x.dtype)[None]
        z = z.flatten(2).transpose(1, 2)
        x = x.flatten(2).transpose(1, 2)
        for layer in self.layers:
            z, x = layer(z, x, pos_z, pos_x)
        x = self.decoder_ffn(self.decoder_cfa(x, pos_x, z, pos_z))
        x = self.decoder_norm(x)
        return x.transpose(1, 2).reshape(b, c, hx, wx)
