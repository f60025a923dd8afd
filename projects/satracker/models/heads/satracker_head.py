# Copyright (c) SATracker authors. Licensed under the Apache License 2.0.
from typing import Dict, List, Optional, Sequence, Tuple

import torch
from mmengine.model import BaseModule
from mmtrack.registry import MODELS
from torch import Tensor, nn


@MODELS.register_module()
class SATrackerHead(BaseModule):
    """SATracker's prediction head: a plain corner head and the losses (paper 3.3).

    The corner head is MMTracking's ``CornerPredictorHead`` (two towers of
    Conv-BN-ReLU, one per corner, each ending in a 1x1 conv to a score map);
    the soft-argmax over each (H, W) score map gives the expected top-left and
    bottom-right corners as STARK computes them (coordinates ``index * stride``),
    here with the coordinate grids kept as non-persistent buffers so they follow
    ``model.to(device)``.

    Losses (paper eq. 6 with λ = 2, 5, 1): ``2 * GIoU + 5 * L1`` on boxes
    normalised by the search crop size (as STARK does: the ground truth is
    clamped to [0, 1]; GIoU is replaced by zero while any box is degenerate),
    plus the dense matching loss (:class:`DenseMatchingLoss`) when ``loss_dm``
    is given. The linear projection of the text features (``text_dims`` ->
    ``dm_channels``) that the dense matching loss needs lives here, so it is
    trained with the head's learning rate; it is our choice (the paper leaves
    the width mismatch open).

    Args:
        bbox_head (dict): Config of the corner predictor. Defaults to
            ``CornerPredictorHead(inplanes=384, channel=256, feat_size=20,
            stride=16)``.
        loss_bbox (dict): L1 loss config. Defaults to ``mmdet.L1Loss`` (weight 5).
        loss_iou (dict): GIoU loss config. Defaults to ``mmdet.GIoULoss`` (weight 2).
        loss_dm (dict, optional): Dense matching loss config; None disables the
            loss and the projection (Table 4 ①-③). Defaults to
            ``DenseMatchingLoss(loss_weight=1.0)``.
        text_dims (int): Width of the text features (768 for BERT-base).
        dm_channels (int, optional): Width of the search map the dense matching
            loss sees; defaults to ``bbox_head['inplanes']``.
        train_cfg (dict, optional): Unused.
        test_cfg (dict, optional): Unused.
        init_cfg (dict, optional): Initialisation config.
    """

    def __init__(self,
                 bbox_head: dict = dict(
                     type='CornerPredictorHead', inplanes=384, channel=256, feat_size=20,
                     stride=16),
                 loss_bbox: dict = dict(type='mmdet.L1Loss', loss_weight=5.0),
                 loss_iou: dict = dict(type='mmdet.GIoULoss', loss_weight=2.0),
                 loss_dm: Optional[dict] = dict(type='DenseMatchingLoss', loss_weight=1.0),
                 text_dims: int = 768,
                 dm_channels: Optional[int] = None,
                 train_cfg: Optional[dict] = None,
                 test_cfg: Optional[dict] = None,
                 init_cfg: Optional[dict] = None):
        super().__init__(init_cfg=init_cfg)
        self.bbox_head = MODELS.build(bbox_head)
        self.feat_size = int(self.bbox_head.feat_size)
        self.stride = int(self.bbox_head.stride)
        self.loss_bbox = MODELS.build(loss_bbox)
        self.loss_iou = MODELS.build(loss_iou)
        self.text_dims = text_dims
        if loss_dm is not None:
            self.loss_dm = MODELS.build(loss_dm)
            dm_channels = dm_channels or int(bbox_head['inplanes'])
            self.dm_proj = nn.Linear(text_dims, dm_channels)
        else:
            self.loss_dm = None
            self.dm_proj = None
        self.train_cfg = train_cfg
        self.test_cfg = test_cfg

        # soft-argmax grids, row-major over (H, W), as STARK's CornerPredictorHead
        idx = torch.arange(self.feat_size, dtype=torch.float32) * self.stride
        self.register_buffer('coord_x', idx.repeat(self.feat_size), persistent=False)
        self.register_buffer('coord_y', idx.repeat_interleave(self.feat_size), persistent=False)

    @property
    def with_dm(self) -> bool:
        """bool: Whether the dense matching loss (and its projection) is used."""
        return self.loss_dm is not None

    def _soft_argmax(self, score_map: Tensor) -> Tuple[Tensor, Tensor]:
        """Expected (x, y) of a (B, 1, H, W) score map, in crop pixels, (B,) each."""
        prob = score_map.flatten(1).float().softmax(dim=1)
        return prob @ self.coord_x, prob @ self.coord_y

    def forward(self, x: Tensor) -> Tensor:
        """Predict one box per sample.

        Args:
            x (Tensor): (B, C, H, W) search feature map, H = W = ``feat_size``.

        Returns:
            Tensor: (B, 4) boxes ``tl_x, tl_y, br_x, br_y`` in search-crop pixels
            (float32).
        """
        score_tl, score_br = self.bbox_head.get_score_map(x)
        tl_x, tl_y = self._soft_argmax(score_tl)
        br_x, br_y = self._soft_argmax(score_br)
        return torch.stack((tl_x, tl_y, br_x, br_y), dim=1)

    def project_text(self, text_feat: Tensor) -> Tensor:
        """Project token features to the visual width of the dense matching loss.

        Args:
            text_feat (Tensor): (B, L, text_dims).

        Returns:
            Tensor: (B, L, dm_channels).
        """
        assert self.dm_proj is not None, 'the head has no dense matching loss'
        return self.dm_proj(text_feat)

    def dm_score_map(self, search_feat: Tensor, text_feat: Tensor,
                     text_mask: Tensor) -> Optional[Tensor]:
        """The dense matching map ``sigmoid(upsample(X_s · t) / τ)``.

        Args:
            search_feat (Tensor): (B, C3, H, W) final search map of the backbone.
            text_feat (Tensor): (B, L, text_dims) final text features.
            text_mask (Tensor): (B, L), 1 = real token.

        Returns:
            Tensor | None: (B, H_up, W_up) in [0, 1], or None without DM loss.
        """
        if not self.with_dm:
            return None
        logits = self.loss_dm.score_logits(search_feat, self.project_text(text_feat), text_mask)
        return logits.float().sigmoid()

    @staticmethod
    def _search_img_hw(data_samples: Sequence, default: int) -> Tuple[int, int]:
        """(H, W) of the search crop from the metainfo (``search_img_shape``)."""
        shape = data_samples[0].metainfo.get('search_img_shape', None)
        if shape is None:
            return default, default
        if isinstance(shape, list):  # several search frames: take the first
            shape = shape[0]
        return int(shape[0]), int(shape[1])

    def loss(self,
             search_feat: Tensor,
             data_samples: List,
             dm_search_feat: Optional[Tensor] = None,
             text_feat: Optional[Tensor] = None,
             text_mask: Optional[Tensor] = None,
             text_valid: Optional[Tensor] = None) -> Dict[str, Tensor]:
        """Compute the training losses.

        Args:
            search_feat (Tensor): (B, C, H, W) the corner head's input.
            data_samples (list[TrackDataSample]): With ``search_gt_instances.bboxes``
                (1, 4) ``x1, y1, x2, y2`` in search-crop pixels and the metainfo
                ``search_img_shape``.
            dm_search_feat (Tensor, optional): (B, C3, H, W) final search map of
                the backbone for the dense matching loss; defaults to
                ``search_feat``.
            text_feat (Tensor, optional): (B, L, text_dims) final text features;
                required with the dense matching loss.
            text_mask (Tensor, optional): (B, L), 1 = real token.
            text_valid (Tensor, optional): (B,) bool, False for samples whose
                sentence is empty (masked out of the dense matching loss).

        Returns:
            dict[str, Tensor]: ``loss_iou``, ``loss_bbox`` and (with DM) ``loss_dm``.
        """
        img_h, img_w = self._search_img_hw(data_samples, self.feat_size * self.stride)
        pred = self(search_feat)
        scale = pred.new_tensor([img_w, img_h, img_w, img_h])
        pred = pred / scale
        gt = torch.cat([ds.search_gt_instances.bboxes for ds in data_samples], dim=0).to(pred)
        gt_px = gt
        gt = (gt / scale).clamp(0., 1.)

        losses = dict()
        if (pred[:, :2] >= pred[:, 2:]).any() or (gt[:, :2] >= gt[:, 2:]).any():
            # the first iterations may give degenerate boxes (as STARK)
            losses['loss_iou'] = (pred - gt).sum() * 0.0
        else:
            losses['loss_iou'] = self.loss_iou(pred, gt)
        losses['loss_bbox'] = self.loss_bbox(pred, gt)

        if self.with_dm:
            assert text_feat is not None and text_mask is not None, \
                'the dense matching loss needs the text features and mask'
            feat = search_feat if dm_search_feat is None else dm_search_feat
            losses['loss_dm'] = self.loss_dm(feat, self.project_text(text_feat), text_mask, gt_px,
                                             (img_h, img_w), text_valid)
        return losses
