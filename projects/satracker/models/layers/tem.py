# Copyright (c) SATracker authors. Licensed under the Apache License 2.0.
"""Target Enhance Module (TEM): CvT block with asymmetric template/search attention."""
from typing import Optional, Tuple, Union

import torch
import torch.nn as nn
import torch.nn.functional as F
from mmcv.cnn.bricks import DropPath
from mmengine.model import BaseModule
from mmengine.model.weight_init import trunc_normal_
from mmtrack.registry import MODELS
from torch import Tensor

from .activations import build_activation

ATTN_MODES = ('asymmetric', 'symmetric', 'self')
#: Query rows per block of :func:`blockwise_attention`.
ATTN_QUERY_BLOCK = 256


def blockwise_attention(q: Tensor,
                        k: Tensor,
                        v: Tensor,
                        scale: float,
                        block: int = ATTN_QUERY_BLOCK) -> Tensor:
    """``softmax(q k^T * scale) v`` as plain matrix products, ``block`` query rows at a time.

    Our choice for bfloat16 inference on CPU: PyTorch's fused CPU attention kernel
    (``scaled_dot_product_attention``) runs no faster in bf16 than in fp32 on CPUs with
    AVX512-BF16, while bf16 matrix products run several times faster. Computing each block of
    the score map with ``matmul`` (``block x Nk`` scores at a time, so the map never has to be
    held whole) gives the same result up to bf16 rounding, about twice as fast at the search
    stream's sizes (docs/speed.md). Not used for training (no fused backward) nor in fp32.

    Args:
        q (Tensor): (B, heads, Nq, d).
        k (Tensor): (B, heads, Nk, d).
        v (Tensor): (B, heads, Nk, d).
        scale (float): Multiplies the scores.
        block (int): Query rows per block.

    Returns:
        Tensor: (B, heads, Nq, d).
    """
    k_t = k.transpose(-1, -2)  # (B, heads, d, Nk)
    out = [(q[:, :, i:i + block] * scale @ k_t).softmax(-1) @ v
           for i in range(0, q.shape[2], block)]
    return out[0] if len(out) == 1 else torch.cat(out, dim=2)


def init_cvt_weights(module: nn.Module) -> None:
    """CvT's initialisation: truncated normal (std 0.02) for Linear, ones/zeros for norms.

    Convolutions keep PyTorch's default initialisation, as in CvT.

    Args:
        module (nn.Module): Applied to every sub-module (``module.apply``).
    """
    for m in module.modules():
        if isinstance(m, nn.Linear):
            trunc_normal_(m.weight, std=0.02)
            if m.bias is not None:
                nn.init.zeros_(m.bias)
        elif isinstance(m, (nn.LayerNorm, nn.BatchNorm2d)):
            nn.init.ones_(m.weight)
            nn.init.zeros_(m.bias)


class ConvProjection(nn.Sequential):
    """Depth-wise 3x3 convolution + BatchNorm (CvT's ``dw_bn`` projection).

    Names ``conv`` / ``bn`` follow the official CvT checkpoint.

    Args:
        dims (int): Channels.
        kernel_size (int): Kernel size (3).
        stride (int): 1 for queries, ``kv_stride`` for keys and values.
        padding (int): Padding (1).
    """

    def __init__(self, dims: int, kernel_size: int, stride: int, padding: int) -> None:
        super().__init__()
        self.add_module(
            'conv',
            nn.Conv2d(
                dims, dims, kernel_size, stride=stride, padding=padding, groups=dims, bias=False))
        self.add_module('bn', nn.BatchNorm2d(dims))


class TEMAttention(nn.Module):
    """The attention of a TEM block (CvT's convolutional projection + linear Q/K/V).

    The depth-wise conv projections are shared between template and search but applied to
    each map separately; the attention scale is ``embed_dims ** -0.5`` (CvT's convention,
    which the ImageNet weights expect), not ``head_dim ** -0.5``.

    Args:
        embed_dims (int): Channels C.
        num_heads (int): Heads.
        kernel_size (int): Conv projection kernel (3).
        q_stride (int): Conv projection stride of the queries (1).
        kv_stride (int): Conv projection stride of keys and values (2).
        padding (int): Conv projection padding (1).
        qkv_bias (bool): Bias of the linear Q/K/V projections.
        attn_drop (float): Dropout on the attention map.
        proj_drop (float): Dropout after the output projection.
    """

    def __init__(self,
                 embed_dims: int,
                 num_heads: int,
                 kernel_size: int = 3,
                 q_stride: int = 1,
                 kv_stride: int = 2,
                 padding: int = 1,
                 qkv_bias: bool = True,
                 attn_drop: float = 0.,
                 proj_drop: float = 0.) -> None:
        super().__init__()
        if embed_dims % num_heads:
            raise ValueError(f'embed_dims {embed_dims} is not divisible by num_heads '
                             f'{num_heads}')
        self.embed_dims = embed_dims
        self.num_heads = num_heads
        self.scale = embed_dims**-0.5
        self.conv_proj_q = ConvProjection(embed_dims, kernel_size, q_stride, padding)
        self.conv_proj_k = ConvProjection(embed_dims, kernel_size, kv_stride, padding)
        self.conv_proj_v = ConvProjection(embed_dims, kernel_size, kv_stride, padding)
        self.proj_q = nn.Linear(embed_dims, embed_dims, bias=qkv_bias)
        self.proj_k = nn.Linear(embed_dims, embed_dims, bias=qkv_bias)
        self.proj_v = nn.Linear(embed_dims, embed_dims, bias=qkv_bias)
        self.attn_drop = attn_drop
        self.proj = nn.Linear(embed_dims, embed_dims)
        self.proj_drop = nn.Dropout(proj_drop)

    def _heads(self, x: Tensor) -> Tensor:
        """(B, N, C) -> (B, heads, N, C // heads)."""
        B, N, C = x.shape
        return x.reshape(B, N, self.num_heads, C // self.num_heads).transpose(1, 2)

    def _to_map(self, x: Tensor, hw: Tuple[int, int]) -> Tensor:
        """(B, N, C) tokens -> (B, C, H, W) map."""
        B, N, C = x.shape
        return x.transpose(1, 2).reshape(B, C, hw[0], hw[1])

    def project_q(self, x: Tensor, hw: Tuple[int, int]) -> Tensor:
        """Queries of one stream.

        Args:
            x (Tensor): (B, N, C) normalised tokens of an H x W map.
            hw (tuple[int, int]): (H, W).

        Returns:
            Tensor: (B, heads, N, C // heads).
        """
        q = self.conv_proj_q(self._to_map(x, hw)).flatten(2).transpose(1, 2)
        return self._heads(self.proj_q(q))

    def project_kv(self, x: Tensor, hw: Tuple[int, int]) -> Tuple[Tensor, Tensor]:
        """Keys and values of one stream.

        Args:
            x (Tensor): (B, N, C) normalised tokens of an H x W map.
            hw (tuple[int, int]): (H, W).

        Returns:
            tuple[Tensor, Tensor]: keys and values, each (B, heads, N', C // heads) with
            ``N' = ceil(H / kv_stride) * ceil(W / kv_stride)``.
        """
        m = self._to_map(x, hw)
        k = self.conv_proj_k(m).flatten(2).transpose(1, 2)
        v = self.conv_proj_v(m).flatten(2).transpose(1, 2)
        return self._heads(self.proj_k(k)), self._heads(self.proj_v(v))

    def attend(self, q: Tensor, k: Tensor, v: Tensor) -> Tensor:
        """One softmax over all given keys, then the output projection.

        Args:
            q (Tensor): (B, heads, Nq, d).
            k (Tensor): (B, heads, Nk, d).
            v (Tensor): (B, heads, Nk, d).

        Returns:
            Tensor: (B, Nq, C) after the output projection (no residual).
        """
        if q.dtype is torch.bfloat16 and q.device.type == 'cpu' and not self.training:
            out = blockwise_attention(q, k, v, self.scale)
        else:
            out = F.scaled_dot_product_attention(
                q, k, v, dropout_p=self.attn_drop if self.training else 0., scale=self.scale)
        B, H, N, d = out.shape
        out = out.transpose(1, 2).reshape(B, N, H * d)
        return self.proj_drop(self.proj(out))


@MODELS.register_module()
class TargetEnhanceModule(BaseModule):
    """Target Enhance Module (paper Sec. 3.1.2): a pre-norm CvT block over two streams.

    Template and search tokens (from maps of any size) go through CvT's depth-wise conv
    projections (shared weights, applied to each map separately) and linear Q/K/V.

    - ``attn_mode='asymmetric'`` (the paper): template queries attend to template keys only;
      search queries attend to the concatenation ``(template, search)`` of keys/values with
      **one joint softmax** over all keys, as MixFormer does. The paper's eq. (1)-(2) writes
      this map as ``Concat(SA, CA)``; we read that as a split view of the one joint map (two
      separately normalised softmaxes would not sum to one over ``V_c``).
    - ``'symmetric'``: template queries also attend to the concatenated keys (nothing can be
      cached then).
    - ``'self'``: each stream attends to itself only (plain CvT on each stream).

    Then output projection + residual, LayerNorm + MLP + residual (pre-norm, drop path on
    both branches, as the original CvT). Split sizes always come from tensor shapes.

    With ``'asymmetric'`` and ``'self'`` the template stream never depends on the search:
    :meth:`forward_template` computes it (and the template keys/values) once, and
    :meth:`forward_search` runs only the search stream with those cached keys/values;
    ``forward_template`` + ``forward_search`` equals :meth:`forward`.

    Parameter names follow the official CvT checkpoint's ``Block`` (``norm1``, ``attn.*``,
    ``norm2``, ``mlp.fc1``, ``mlp.fc2``).

    Args:
        embed_dims (int): Channels C.
        num_heads (int): Attention heads.
        mlp_ratio (float): MLP hidden width / C.
        kv_stride (int): Stride of the key/value conv projections.
        qkv_bias (bool): Bias of the linear Q/K/V projections.
        drop_rate (float): Dropout after the attention/MLP projections.
        attn_drop_rate (float): Dropout on the attention map.
        drop_path_rate (float): Stochastic depth of this block.
        act_cfg (dict): MLP activation; ``QuickGELU`` (official CvT) or ``GELU`` (HF).
        attn_mode (str): ``'asymmetric'``, ``'symmetric'`` or ``'self'``.
        init_cfg (dict | list[dict], optional): Initialisation config.
    """

    def __init__(self,
                 embed_dims: int,
                 num_heads: int,
                 mlp_ratio: float = 4.,
                 kv_stride: int = 2,
                 qkv_bias: bool = True,
                 drop_rate: float = 0.,
                 attn_drop_rate: float = 0.,
                 drop_path_rate: float = 0.,
                 act_cfg: dict = dict(type='QuickGELU'),
                 attn_mode: str = 'asymmetric',
                 init_cfg: Optional[Union[dict, list]] = None) -> None:
        super().__init__(init_cfg=init_cfg)
        if attn_mode not in ATTN_MODES:
            raise ValueError(f'attn_mode must be one of {ATTN_MODES}, got {attn_mode!r}')
        self.embed_dims = embed_dims
        self.attn_mode = attn_mode
        self.norm1 = nn.LayerNorm(embed_dims)
        self.attn = TEMAttention(
            embed_dims,
            num_heads,
            kv_stride=kv_stride,
            qkv_bias=qkv_bias,
            attn_drop=attn_drop_rate,
            proj_drop=drop_rate)
        self.drop_path = DropPath(drop_path_rate) if drop_path_rate > 0 else nn.Identity()
        self.norm2 = nn.LayerNorm(embed_dims)
        hidden = int(embed_dims * mlp_ratio)
        self.mlp = nn.Sequential()
        self.mlp.add_module('fc1', nn.Linear(embed_dims, hidden))
        self.mlp.add_module('act', build_activation(act_cfg))
        self.mlp.add_module('fc2', nn.Linear(hidden, embed_dims))
        self.mlp.add_module('drop', nn.Dropout(drop_rate))
        init_cvt_weights(self)

    @property
    def supports_cache(self) -> bool:
        """bool: Whether the template stream is independent of the search."""
        return self.attn_mode != 'symmetric'

    def _finish(self, x: Tensor, attn_out: Tensor) -> Tensor:
        """Residual of the attention branch, then the MLP branch.

        Args:
            x (Tensor): (B, N, C) block input.
            attn_out (Tensor): (B, N, C) projected attention output.

        Returns:
            Tensor: (B, N, C).
        """
        x = x + self.drop_path(attn_out)
        return x + self.drop_path(self.mlp(self.norm2(x)))

    def forward(self, template: Tensor, search: Tensor, template_hw: Tuple[int, int],
                search_hw: Tuple[int, int]) -> Tuple[Tensor, Tensor]:
        """Run both streams.

        Args:
            template (Tensor): (B, Ht*Wt, C) template tokens.
            search (Tensor): (B, Hs*Ws, C) search tokens.
            template_hw (tuple[int, int]): (Ht, Wt).
            search_hw (tuple[int, int]): (Hs, Ws).

        Returns:
            tuple[Tensor, Tensor]: template (B, Ht*Wt, C) and search (B, Hs*Ws, C) tokens.
        """
        nt, ns = self.norm1(template), self.norm1(search)
        q_t = self.attn.project_q(nt, template_hw)
        q_s = self.attn.project_q(ns, search_hw)
        k_t, v_t = self.attn.project_kv(nt, template_hw)
        k_s, v_s = self.attn.project_kv(ns, search_hw)
        if self.attn_mode == 'self':
            a_t = self.attn.attend(q_t, k_t, v_t)
            a_s = self.attn.attend(q_s, k_s, v_s)
        else:
            k_c = torch.cat((k_t, k_s), dim=2)
            v_c = torch.cat((v_t, v_s), dim=2)
            a_s = self.attn.attend(q_s, k_c, v_c)
            if self.attn_mode == 'symmetric':
                a_t = self.attn.attend(q_t, k_c, v_c)
            else:
                a_t = self.attn.attend(q_t, k_t, v_t)
        return self._finish(template, a_t), self._finish(search, a_s)

    def forward_template(self, template: Tensor,
                         template_hw: Tuple[int, int]) -> Tuple[Tensor, Tuple[Tensor, Tensor]]:
        """Run the template stream alone and return its keys/values for caching.

        Args:
            template (Tensor): (B, Ht*Wt, C) template tokens.
            template_hw (tuple[int, int]): (Ht, Wt).

        Returns:
            tuple: template tokens (B, Ht*Wt, C) and ``(k_t, v_t)``, each
            (B, heads, Nt', C // heads).

        Raises:
            RuntimeError: With ``attn_mode='symmetric'`` (the template depends on the search).
        """
        if not self.supports_cache:
            raise RuntimeError('TargetEnhanceModule with attn_mode="symmetric" lets the '
                               'template attend to the search, so the template stream '
                               'cannot be computed alone; use forward().')
        nt = self.norm1(template)
        q_t = self.attn.project_q(nt, template_hw)
        k_t, v_t = self.attn.project_kv(nt, template_hw)
        a_t = self.attn.attend(q_t, k_t, v_t)
        return self._finish(template, a_t), (k_t, v_t)

    def forward_search(self, search: Tensor, search_hw: Tuple[int, int],
                       template_kv: Optional[Tuple[Tensor, Tensor]]) -> Tensor:
        """Run the search stream with cached template keys/values.

        Args:
            search (Tensor): (B, Hs*Ws, C) search tokens.
            search_hw (tuple[int, int]): (Hs, Ws).
            template_kv (tuple[Tensor, Tensor] | None): ``(k_t, v_t)`` from
                :meth:`forward_template`; unused with ``attn_mode='self'``.

        Returns:
            Tensor: (B, Hs*Ws, C) search tokens.
        """
        if not self.supports_cache:
            raise RuntimeError('attn_mode="symmetric" cannot run the search stream alone; '
                               'use forward().')
        ns = self.norm1(search)
        q_s = self.attn.project_q(ns, search_hw)
        k_s, v_s = self.attn.project_kv(ns, search_hw)
        if self.attn_mode == 'self':
            a_s = self.attn.attend(q_s, k_s, v_s)
        else:
            k_t, v_t = template_kv
            a_s = self.attn.attend(q_s, torch.cat((k_t, k_s), dim=2), torch.cat((v_t, v_s), dim=2))
        return self._finish(search, a_s)
