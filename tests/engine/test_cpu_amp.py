# Copyright (c) SATracker authors. Licensed under the Apache License 2.0.
"""CPUAmpOptimWrapper: bf16 autocast in the forward, fp32 parameters, no gradient scaler."""
import pytest
import torch
import torch.nn as nn
from mmengine.optim import OptimWrapper, build_optim_wrapper
from mmengine.registry import init_default_scope

from satracker.engine import CPUAmpOptimWrapper


def _tiny():
    torch.manual_seed(0)
    return nn.Sequential(nn.Linear(8, 16), nn.GELU(), nn.LayerNorm(16), nn.Linear(16, 1))


def test_trains_in_bf16_with_fp32_parameters():
    model = _tiny()
    seen = []
    model[0].register_forward_hook(lambda m, i, o: seen.append(o.dtype))
    before = [p.detach().clone() for p in model.parameters()]
    wrapper = CPUAmpOptimWrapper(optimizer=torch.optim.SGD(model.parameters(), lr=0.1))
    assert not hasattr(wrapper, 'loss_scaler')  # no GradScaler
    g = torch.Generator().manual_seed(0)
    x, y = torch.randn(32, 8, generator=g), torch.randn(32, 1, generator=g)
    losses = []
    for _ in range(5):
        with wrapper.optim_context(model):
            out = model(x)
        loss = ((out.float() - y)**2).mean()
        wrapper.update_params(loss)
        losses.append(float(loss))
    assert seen == [torch.bfloat16] * 5  # the Linear really ran in bf16
    assert all(torch.isfinite(torch.tensor(losses)))
    assert losses[-1] < losses[0]
    for p, p0 in zip(model.parameters(), before):
        assert p.dtype == torch.float32
        assert not torch.equal(p.detach(), p0)
    # outside the context the model is fp32 again
    assert model(x).dtype == torch.float32


def test_is_built_from_a_config_in_the_mmtrack_scope():
    init_default_scope('mmtrack')
    wrapper = build_optim_wrapper(
        _tiny(), dict(type='CPUAmpOptimWrapper', optimizer=dict(type='SGD', lr=0.1)))
    assert isinstance(wrapper, CPUAmpOptimWrapper) and isinstance(wrapper, OptimWrapper)
    assert wrapper.cast_dtype is torch.bfloat16


def test_bad_dtype_is_named():
    with pytest.raises(ValueError, match='dtype="int8"'):
        CPUAmpOptimWrapper(dtype='int8', optimizer=torch.optim.SGD(_tiny().parameters(), lr=0.1))
