# Copyright (c) SATracker authors. Licensed under the Apache License 2.0.
import torch
from mmtrack.registry import MODELS

import satracker  # noqa: F401
from satracker.models.necks import sine_position_embedding


def _neck(**kw):
    cfg = dict(type='TransTFusionNeck', in_channels=24, embed_dims=16, num_heads=2)
    cfg.update(num_layers=2, feedforward_channels=32, dropout=0.0)
    cfg.update(kw)
    neck = MODELS.build(cfg)
    neck.init_weights()
    return neck


def test_output_shape_and_structure():
    neck = _neck()
    out = neck(torch.randn(2, 24, 8, 8), torch.randn(2, 24, 20, 20))
    assert out.shape == (2, 16, 20, 20)
    # TransT's layout: per layer ECA x 2 + CFA x 2 + 2 FFNs, then the decoder CFA + FFN + norm
    attns = [m for m in neck.modules() if isinstance(m, torch.nn.MultiheadAttention)]
    assert len(attns) == 2 * 4 + 1


def test_template_reaches_the_search_output():
    neck = _neck().eval()
    x = torch.randn(1, 24, 20, 20)
    a = neck(torch.randn(1, 24, 8, 8), x)
    b = neck(torch.randn(1, 24, 8, 8), x)
    assert not torch.allclose(a, b)


def test_gradients_reach_every_parameter():
    neck = _neck()
    z = torch.randn(2, 24, 8, 8, requires_grad=True)
    neck(z, torch.randn(2, 24, 20, 20)).sum().backward()
    assert z.grad is not None
    for name, p in neck.named_parameters():
        assert p.grad is not None, name


def test_sine_position_embedding():
    pos = sine_position_embedding(4, 5, 16)
    assert pos.shape == (20, 16)
    assert pos.abs().max() <= 1
    # distinct positions get distinct codes
    assert torch.unique(pos, dim=0).shape[0] == 20
