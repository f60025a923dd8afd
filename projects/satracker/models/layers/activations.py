# Copyright (c) SATracker authors. Licensed under the Apache License 2.0.
"""Activation layers and the activation builder used by the SLB blocks."""
from typing import Optional

import torch
import torch.nn as nn
from mmtrack.registry import MODELS


@MODELS.register_module()
class QuickGELU(nn.Module):
    """QuickGELU: ``x * sigmoid(1.702 * x)``.

    The activation of the official CvT checkpoints (HuggingFace's ``CvtModel`` uses the
    exact erf GELU instead, so parity with it needs ``act_cfg=dict(type='GELU')``).
    """

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        """Apply the activation element-wise.

        Args:
            x (Tensor): Any shape.

        Returns:
            Tensor: Same shape as ``x``.
        """
        return x * torch.sigmoid(1.702 * x)


def build_activation(act_cfg: Optional[dict]) -> nn.Module:
    """Build an activation layer from a config.

    ``QuickGELU`` is built directly; anything else goes through mmtrack's ``MODELS``
    registry, whose parent (mmengine's root registry) holds mmcv's activations
    (``GELU``, ``ReLU``, ...). ``None`` gives ``nn.Identity``.

    Args:
        act_cfg (dict | None): e.g. ``dict(type='QuickGELU')`` or ``dict(type='GELU')``.

    Returns:
        nn.Module: The activation.
    """
    if act_cfg is None:
        return nn.Identity()
    cfg = dict(act_cfg)
    if cfg.get('type') in ('QuickGELU', QuickGELU):
        return QuickGELU()
    return MODELS.build(cfg)
