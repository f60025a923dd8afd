# Copyright (c) SATracker authors. Licensed under the Apache License 2.0.
import pytest
import torch
from mmengine.structures import InstanceData
from mmtrack.registry import MODELS
from mmtrack.structures import TrackDataSample

import satracker  # noqa: F401


def _head(with_dm=True, c=16, d=12):
    cfg = dict(
        type='SATrackerHead',
        bbox_head=dict(type='CornerPredictorHead', inplanes=c, channel=16, feat_size=20, stride=16),
        text_dims=d)
    if not with_dm:
        cfg['loss_dm'] = None
    return MODELS.build(cfg)


def _samples(boxes, shape=(320, 320, 3), valid=None):
    out = []
    for i, box in enumerate(boxes):
        ds = TrackDataSample()
        ds.search_gt_instances = InstanceData(
            bboxes=torch.tensor([box], dtype=torch.float32), labels=torch.ones(1, dtype=torch.long))
        ds.set_metainfo(dict(search_img_shape=shape))
        if valid is not None:
            ds.set_metainfo(dict(text_valid=valid[i]))
        out.append(ds)
    return out


def test_forward_gives_corner_boxes_in_crop_pixels():
    head = _head()
    head.eval()
    boxes = head(torch.randn(3, 16, 20, 20))
    assert boxes.shape == (3, 4) and boxes.dtype == torch.float32
    assert boxes.min() >= 0 and boxes.max() <= 19 * 16
    # the soft-argmax grids are buffers that follow .to() and stay out of checkpoints
    assert 'coord_x' not in head.state_dict()
    assert head.coord_x[:3].tolist() == [0., 16., 32.] and head.coord_y[20] == 16.


def test_soft_argmax_matches_mmtrack_corner_head():
    head = _head()
    head.eval()
    x = torch.randn(2, 16, 20, 20)
    assert torch.allclose(head(x), head.bbox_head(x), atol=1e-4)


def test_losses_and_weights():
    head = _head()
    feat = torch.randn(2, 16, 20, 20, requires_grad=True)
    text = torch.randn(2, 5, 12)
    mask = torch.ones(2, 5, dtype=torch.long)
    gt = [[40., 60., 200., 220.], [10., 10., 100., 300.]]
    losses = head.loss(feat, _samples(gt), text_feat=text, text_mask=mask)
    assert set(losses) == {'loss_iou', 'loss_bbox', 'loss_dm'}

    # 5 * L1 and 2 * GIoU on boxes normalised by the crop size
    with torch.no_grad():
        pred = head(feat) / 320.
    gt_n = torch.tensor(gt) / 320.
    assert torch.allclose(losses['loss_bbox'], 5 * (pred - gt_n).abs().mean(), atol=1e-5)
    from mmdet.models.losses import GIoULoss
    if (pred[:, :2] < pred[:, 2:]).all():
        expected = GIoULoss(loss_weight=2.0)(pred, gt_n)
    else:  # degenerate predictions (early training): zero, as STARK
        expected = torch.zeros(())
    assert torch.allclose(losses['loss_iou'], expected, atol=1e-5)

    total = sum(losses.values())
    total.backward()
    assert head.dm_proj.weight.grad is not None and head.dm_proj.weight.grad.abs().sum() > 0
    for name, p in head.named_parameters():
        assert p.grad is not None, name


def test_degenerate_prediction_gives_zero_giou():
    head = _head()
    head.eval()
    gt = [[40., 60., 200., 220.]]
    feat = torch.randn(1, 16, 20, 20)
    # force well-formed corners: top-left near (0, 0), bottom-right near the far corner
    tl, br = head.bbox_head.tl_corner_pred[-1], head.bbox_head.br_corner_pred[-1]
    with torch.no_grad():
        for conv in (tl, br):
            conv.weight.zero_()
        tl.bias.zero_()
        br.bias.zero_()
    pred = head(feat)
    assert torch.allclose(pred, torch.full((1, 4), 9.5 * 16))  # uniform -> centre
    losses = head.loss(
        feat,
        _samples(gt),
        text_feat=torch.randn(1, 3, 12),
        text_mask=torch.ones(1, 3, dtype=torch.long))
    assert losses['loss_iou'] == 0  # degenerate prediction (x1 == x2) -> zero, as STARK
    # L1 still trains it: 5 * mean |pred - gt| on normalised boxes
    gt_n = torch.tensor(gt) / 320
    assert torch.allclose(losses['loss_bbox'], 5 * (pred / 320 - gt_n).abs().mean(), atol=1e-5)


def test_without_dense_matching():
    head = _head(with_dm=False)
    assert head.dm_proj is None and not head.with_dm
    losses = head.loss(torch.randn(2, 16, 20, 20), _samples([[0, 0, 50, 50]] * 2))
    assert set(losses) == {'loss_iou', 'loss_bbox'}
    assert head.dm_score_map(torch.randn(1, 16, 20, 20), torch.randn(1, 3, 12),
                             torch.ones(1, 3)) is None


def test_dm_score_map_in_unit_range():
    head = _head()
    score = head.dm_score_map(
        torch.randn(1, 16, 20, 20), torch.randn(1, 4, 12), torch.ones(1, 4, dtype=torch.long))
    assert score.shape == (1, 40, 40)
    assert score.min() >= 0 and score.max() <= 1


def test_empty_sentence_flag_reaches_the_dm_loss():
    head = _head()
    feat = torch.randn(2, 16, 20, 20)
    text = torch.randn(2, 5, 12)
    mask = torch.ones(2, 5, dtype=torch.long)
    both = head.loss(
        feat,
        _samples([[0, 0, 160, 160]] * 2),
        text_feat=text,
        text_mask=mask,
        text_valid=torch.tensor([True, False]))['loss_dm']
    one = head.loss(
        feat[:1], _samples([[0, 0, 160, 160]]), text_feat=text[:1], text_mask=mask[:1])['loss_dm']
    assert torch.allclose(both, one)


def test_dm_loss_needs_text():
    head = _head()
    with pytest.raises(AssertionError, match='text'):
        head.loss(torch.randn(1, 16, 20, 20), _samples([[0, 0, 50, 50]]))
