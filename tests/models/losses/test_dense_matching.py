# Copyright (c) SATracker authors. Licensed under the Apache License 2.0.
import torch
import torch.nn.functional as F

from satracker.models.losses import (DenseMatchingLoss, in_box_label_map, sentence_vector,
                                     valid_sentence_mask)


def _mask(b, n_real, length=8):
    mask = torch.zeros(b, length, dtype=torch.long)
    mask[:, :n_real] = 1
    return mask


def test_label_map_matches_the_box_by_hand():
    # 320 px crop, 40x40 grid: cell (i, j) has its centre at ((j + .5) * 8, (i + .5) * 8)
    box = torch.tensor([[40., 80., 120., 160.]])
    label = in_box_label_map(box, (320, 320), (40, 40))[0]
    assert label.shape == (40, 40)
    # x in [40, 120] -> centres 44..116 -> columns 5..14; y in [80, 160] -> rows 10..19
    expected = torch.zeros(40, 40)
    expected[10:20, 5:15] = 1
    assert torch.equal(label, expected)
    # a centre on the border counts (x1 = 4 is the centre of column 0)
    edge = in_box_label_map(torch.tensor([[4., 4., 4., 12.]]), (320, 320), (40, 40))[0]
    assert edge[0, 0] == 1 and edge[1, 0] == 1 and edge.sum() == 2
    # non-square crop: rows use H, columns use W
    rect = in_box_label_map(torch.tensor([[0., 0., 20., 10.]]), (80, 160), (4, 8))[0]
    # cells are 20 wide, 20 high: centres x 10, 30, ..; y 10, 30, ..
    assert rect[0, 0] == 1 and rect.sum() == 1


def test_sentence_vector_mean_and_cls():
    feat = torch.arange(2 * 4 * 3, dtype=torch.float32).view(2, 4, 3)
    mask = torch.tensor([[1, 1, 0, 0], [1, 1, 1, 1]])
    mean = sentence_vector(feat, mask, 'mean')
    assert torch.allclose(mean[0], feat[0, :2].mean(0))
    assert torch.allclose(mean[1], feat[1].mean(0))
    assert torch.equal(sentence_vector(feat, mask, 'cls'), feat[:, 0])


def test_empty_sentence_rule():
    mask = torch.tensor([[1, 1, 0], [1, 1, 1]])
    assert valid_sentence_mask(mask).tolist() == [False, True]
    assert valid_sentence_mask(mask, torch.tensor([True, False])).tolist() == [False, False]


def _aligned_inputs(sign=1.0, c=16, b=2, seed=0):
    """Search features equal to +/- the text direction inside the box, the opposite outside."""
    g = torch.Generator().manual_seed(seed)
    t = F.normalize(torch.randn(b, c, generator=g), dim=-1)
    text = t[:, None, :].expand(b, 6, c).clone()
    box = torch.tensor([[80., 80., 240., 240.]]).expand(b, 4)
    inside = in_box_label_map(box, (320, 320), (20, 20))  # (b, 20, 20) on the 20x20 feature grid
    s = (inside * 2 - 1) * sign  # +1 in box, -1 outside
    feat = s[:, None] * t[:, :, None, None]
    return feat, text, _mask(b, 6, 6), box


def test_loss_falls_when_features_align_with_the_text():
    loss = DenseMatchingLoss()
    feat, text, mask, box = _aligned_inputs(1.0)
    aligned = loss(feat, text, mask, box, (320, 320))
    anti = loss(-feat, text, mask, box, (320, 320))
    rand = loss(torch.randn_like(feat), text, mask, box, (320, 320))
    assert aligned < rand < anti
    assert aligned < 0.2

    # gradient descent on free features lowers the loss
    x = torch.randn_like(feat, requires_grad=True)
    opt = torch.optim.Adam([x], lr=0.1)
    first = None
    for _ in range(30):
        opt.zero_grad()
        value = loss(x, text, mask, box, (320, 320))
        first = value.item() if first is None else first
        value.backward()
        opt.step()
    assert loss(x, text, mask, box, (320, 320)).item() < 0.5 * first


def test_score_logits_shape_and_temperature():
    loss = DenseMatchingLoss(upsample_size=40, temperature=0.07)
    feat, text, mask, _ = _aligned_inputs()
    logits = loss.score_logits(feat, text, mask)
    assert logits.shape == (2, 40, 40)
    # normalised dot products are in [-1, 1]
    assert logits.abs().max() <= 1 / 0.07 + 1e-4


def test_empty_sentence_is_masked_out():
    loss = DenseMatchingLoss()
    feat, text, mask, box = _aligned_inputs(b=2)
    only_first = loss(feat[:1], text[:1], mask[:1], box[:1], (320, 320))
    empty = mask.clone()
    empty[1] = 0
    empty[1, :2] = 1  # [CLS][SEP]
    garbage = feat.clone()
    garbage[1] = -garbage[1]  # would give a large loss if counted
    assert torch.allclose(loss(garbage, text, empty, box, (320, 320)), only_first)
    flagged = loss(garbage, text, mask, box, (320, 320), text_valid=torch.tensor([True, False]))
    assert torch.allclose(flagged, only_first)
    # all empty: zero, and still differentiable
    x = feat.clone().requires_grad_()
    none = loss(x, text, _mask(2, 2, 6), box, (320, 320))
    assert none.item() == 0
    none.backward()
    assert x.grad is not None and torch.count_nonzero(x.grad) == 0


def test_loss_weight_scales():
    feat, text, mask, box = _aligned_inputs()
    one = DenseMatchingLoss(loss_weight=1.0)(feat, text, mask, box, (320, 320))
    two = DenseMatchingLoss(loss_weight=2.0)(feat, text, mask, box, (320, 320))
    assert torch.allclose(two, 2 * one)
