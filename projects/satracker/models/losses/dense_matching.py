# Copyright (c) SATracker authors. Licensed under the Apache License 2.0.
from typing import Optional, Sequence, Tuple, Union

import torch
import torch.nn.functional as F
from mmengine.model import BaseModule
from mmtrack.registry import MODELS
from torch import Tensor

from ..layers.text_ops import masked_mean


def sentence_vector(text_feat: Tensor, text_mask: Tensor, reduction: str = 'mean') -> Tensor:
    """Reduce token features to one vector per sentence.

    Args:
        text_feat (Tensor): Token features, (B, L, C).
        text_mask (Tensor): (B, L), 1 for real tokens ([CLS] and [SEP]
            included), 0 for padding (HuggingFace's convention).
        reduction (str): ``'mean'``: mean over the real tokens;
            ``'cls'``: the first ([CLS]) token.

    Returns:
        Tensor: (B, C).
    """
    if reduction == 'cls':
        return text_feat[:, 0]
    if reduction != 'mean':
        raise ValueError(f'reduction must be "mean" or "cls", got {reduction!r}')
    return masked_mean(text_feat, text_mask)


def in_box_label_map(
    gt_bboxes: Tensor,
    img_size: Tuple[int, int],
    grid_size: Tuple[int, int],
) -> Tensor:
    """Binary label grid over the search crop: 1 where a cell centre lies in the box.

    Cell ``(i, j)`` of a ``grid_size = (H_up, W_up)`` grid over an image of
    ``img_size = (H, W)`` pixels has its centre at
    ``((j + 0.5) * W / W_up, (i + 0.5) * H / H_up)``; it is positive when
    ``x1 <= cx <= x2`` and ``y1 <= cy <= y2``.

    Args:
        gt_bboxes (Tensor): (B, 4) boxes ``x1, y1, x2, y2`` in search-crop pixels.
        img_size (tuple[int, int]): (H, W) of the search crop, e.g. (320, 320).
        grid_size (tuple[int, int]): (H_up, W_up), e.g. (40, 40).

    Returns:
        Tensor: (B, H_up, W_up) float labels in {0, 1}.
    """
    h, w = img_size
    gh, gw = grid_size
    dev, dt = gt_bboxes.device, torch.float32
    cy = (torch.arange(gh, device=dev, dtype=dt) + 0.5) * (h / gh)  # (gh,)
    cx = (torch.arange(gw, device=dev, dtype=dt) + 0.5) * (w / gw)  # (gw,)
    b = gt_bboxes.to(dt)
    in_x = (cx[None] >= b[:, 0:1]) & (cx[None] <= b[:, 2:3])  # (B, gw)
    in_y = (cy[None] >= b[:, 1:2]) & (cy[None] <= b[:, 3:4])  # (B, gh)
    return (in_y[:, :, None] & in_x[:, None, :]).to(dt)


def valid_sentence_mask(text_mask: Tensor, text_valid: Optional[Tensor] = None) -> Tensor:
    """Which samples have a non-empty sentence.

    A sentence is empty when it has at most two real tokens ([CLS][SEP]) or
    when the data pipeline flagged it (``text_valid`` False).

    Args:
        text_mask (Tensor): (B, L), 1 = real token.
        text_valid (Tensor, optional): (B,) bool.

    Returns:
        Tensor: (B,) bool.
    """
    valid = text_mask.sum(dim=1) > 2
    if text_valid is not None:
        valid = valid & text_valid.to(device=valid.device, dtype=torch.bool)
    return valid


@MODELS.register_module()
class DenseMatchingLoss(BaseModule):
    """Dense matching (DM) loss of SATracker (paper eq. 4-5, docs/model.md).

    ``score = upsample(X_s · t)`` where ``X_s`` is the final search feature map,
    L2-normalised over channels at every position, and ``t`` one L2-normalised
    sentence vector; the score map (H/16 x W/16, e.g. 20 x 20) is bilinearly
    upsampled to ``upsample_size`` (40 x 40) and supervised with
    ``BCE(sigmoid(score / temperature), label)``, where the label is 1 for
    the cells whose centre lies inside the ground-truth box (see
    :func:`in_box_label_map`). The loss is the mean over cells and over the
    samples whose sentence is not empty; samples with an empty sentence
    ([CLS][SEP] only, or ``text_valid`` False) are masked out, and a batch
    with no valid sentence gives a zero loss that keeps the graph.

    The paper writes ``X_s^3 T^3ᵀ`` with a score of size H_up x W_up, which
    leaves two things open; **both are our choice**: (1) the text is reduced
    to one sentence vector (masked mean over the real tokens by default,
    ``'cls'`` as an option), and (2) the text width (768) is matched to the
    visual width (384) by a linear projection, which lives in
    :class:`SATrackerHead` (so it is trained with the head's learning rate)
    and is applied to the token features before they reach this loss
    (projection and masked mean commute).

    Args:
        upsample_size (tuple[int, int]): (H_up, W_up). Defaults to (40, 40).
        temperature (float): τ. Defaults to 0.07.
        reduction (str): Sentence reduction, ``'mean'`` or ``'cls'``.
            Defaults to ``'mean'``.
        loss_weight (float): λ_dm. Defaults to 1.0.
        init_cfg (dict, optional): Unused (no parameters).
    """

    def __init__(self,
                 upsample_size: Union[int, Sequence[int]] = (40, 40),
                 temperature: float = 0.07,
                 reduction: str = 'mean',
                 loss_weight: float = 1.0,
                 init_cfg: Optional[dict] = None):
        super().__init__(init_cfg=init_cfg)
        if isinstance(upsample_size, int):
            upsample_size = (upsample_size, upsample_size)
        assert reduction in ('mean', 'cls'), reduction
        assert temperature > 0
        self.upsample_size = tuple(int(s) for s in upsample_size)
        self.temperature = float(temperature)
        self.reduction = reduction
        self.loss_weight = float(loss_weight)

    def score_logits(self, search_feat: Tensor, text_feat: Tensor, text_mask: Tensor) -> Tensor:
        """Upsampled matching logits ``upsample(X_s · t) / τ``.

        Args:
            search_feat (Tensor): (B, C, H, W) final search feature map.
            text_feat (Tensor): (B, L, C) token features at the visual width
                (already projected).
            text_mask (Tensor): (B, L), 1 = real token.

        Returns:
            Tensor: (B, H_up, W_up) logits; ``sigmoid`` gives the matching map.
        """
        x = F.normalize(search_feat, dim=1)
        t = F.normalize(sentence_vector(text_feat, text_mask, self.reduction), dim=-1)
        score = torch.einsum('bchw,bc->bhw', x, t.to(x.dtype))
        score = F.interpolate(
            score[:, None], size=self.upsample_size, mode='bilinear', align_corners=False)[:, 0]
        return score / self.temperature

    def forward(self,
                search_feat: Tensor,
                text_feat: Tensor,
                text_mask: Tensor,
                gt_bboxes: Tensor,
                img_size: Tuple[int, int],
                text_valid: Optional[Tensor] = None) -> Tensor:
        """Compute the weighted DM loss.

        Args:
            search_feat (Tensor): (B, C, H, W) final search feature map.
            text_feat (Tensor): (B, L, C) projected token features.
            text_mask (Tensor): (B, L), 1 = real token.
            gt_bboxes (Tensor): (B, 4) ``x1, y1, x2, y2`` in search-crop pixels.
            img_size (tuple[int, int]): (H, W) of the search crop.
            text_valid (Tensor, optional): (B,) bool; False masks a sample out.

        Returns:
            Tensor: Scalar loss (``loss_weight`` applied).
        """
        logits = self.score_logits(search_feat, text_feat, text_mask).float()
        label = in_box_label_map(gt_bboxes, img_size, self.upsample_size)
        per_cell = F.binary_cross_entropy_with_logits(logits, label, reduction='none')
        per_sample = per_cell.flatten(1).mean(1)  # (B,)
        weight = valid_sentence_mask(text_mask, text_valid).to(per_sample.dtype)
        loss = (per_sample * weight).sum() / weight.sum().clamp(min=1.)
        return self.loss_weight * loss
