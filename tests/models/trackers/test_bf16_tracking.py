# Copyright (c) SATracker authors. Licensed under the Apache License 2.0.
"""``test_cfg.precision='bf16'``: tracking under bfloat16 autocast, with an fp32 fallback."""
import copy
import os.path as osp
import warnings

import numpy as np
import pytest
import torch
from mmdet.structures.bbox import bbox_overlaps, bbox_xyxy_to_cxcywh
from mmengine.config import Config
from mmengine.registry import init_default_scope
from mmtrack.registry import MODELS
from tracker_fixtures import build_tiny_tracker

import satracker  # noqa: F401
from satracker.models.trackers import satracker as satracker_module
from satracker.testing import tiny_model_cfg

REPO = osp.dirname(osp.dirname(osp.dirname(osp.dirname(osp.abspath(__file__)))))
BASE = osp.join(REPO, 'configs/_base_/models/satracker.py')
H, W = 240, 320

needs_bf16 = pytest.mark.skipif(
    not satracker_module.bf16_supported('cpu'), reason='this CPU has no native bf16')


@pytest.fixture(scope='module')
def fp32_model():
    return build_tiny_tracker().eval()


def _bf16(model):
    other = copy.deepcopy(model)
    other.test_cfg['precision'] = 'bf16'
    return other


def _video(n=6):
    """Normalised frames (N, 1, 3, H, W) of a bright square moving right, its first box."""
    rng = np.random.RandomState(0)
    background = rng.rand(3, H, W).astype(np.float32) - 0.5
    frames = []
    for k in range(n):
        img = background.copy()
        x1 = 100 + 6 * k
        img[:, 90:140, x1:x1 + 50] = 2.
        frames.append(torch.from_numpy(img)[None, None])
    return frames, torch.tensor([100., 90., 150., 140.])


def _text():
    g = torch.Generator().manual_seed(0)
    return torch.randint(1000, 2000, (1, 6), generator=g), torch.ones(1, 6, dtype=torch.long)


def _init(model, frame, box_xyxy):
    model.memo.bbox = bbox_xyxy_to_cxcywh(box_xyxy)
    model.init(frame[0], *_text())


def _linear_output_dtypes(model):
    seen = []
    linear = next(m for m in model.backbone.modules() if isinstance(m, torch.nn.Linear))
    handle = linear.register_forward_hook(lambda m, i, o: seen.append(o.dtype))
    return seen, handle


@needs_bf16
def test_bf16_tracks_as_fp32_from_the_same_start_box(fp32_model):
    """Each frame starts both precisions from the fp32 box: the boxes agree (IoU > 0.9)."""
    bf16_model = _bf16(fp32_model)
    frames, box = _video()
    with torch.no_grad():
        for m in (fp32_model, bf16_model):
            _init(m, frames[0], box)
        ious = []
        for frame in frames[1:]:
            start = fp32_model.memo.bbox.clone()
            bf16_model.memo.bbox = start.clone()
            a = fp32_model.track(frame[0], [])[0].bboxes
            b = bf16_model.track(frame[0], [])[0].bboxes
            assert b.dtype == torch.float32 and b.shape == (1, 4)
            ious.append(float(bbox_overlaps(a, b)[0, 0]))
            assert not torch.equal(a, b)  # really another precision
            fp32_model.memo.bbox = bbox_xyxy_to_cxcywh(a[0])
    assert min(ious) > 0.9, ious


@needs_bf16
def test_the_switch_changes_the_compute_dtype(fp32_model):
    frames, box = _video(2)
    for model, dtype in ((fp32_model, torch.float32), (_bf16(fp32_model), torch.bfloat16)):
        seen, handle = _linear_output_dtypes(model)
        try:
            with torch.no_grad():
                _init(model, frames[0], box)
                out = model.track(frames[1][0], [])[0].bboxes
        finally:
            handle.remove()
        assert seen and set(seen) == {dtype}  # init (template/text) and the frame
        assert model.compute_dtype('cpu') == (None if dtype == torch.float32 else dtype)
        assert out.dtype == torch.float32


@needs_bf16
def test_bf16_tracking_step_traces_as_one_graph(fp32_model):
    """The autocast region does not break the step's graph (torch.compile keeps working)."""
    torch._dynamo.reset()
    model = _bf16(fp32_model)
    frames, box = _video(2)
    with torch.no_grad():
        _init(model, frames[0], box)
        args = (frames[1][0], model.memo.bbox, model.memo.cache, None, model.memo.text_ids,
                model.memo.text_mask, False)
        step = torch.compile(model._track_step, backend='eager', fullgraph=True)
        compiled, _, _ = step(*args)
        eager, _, _ = model._track_step(*args)
    assert compiled.dtype == torch.float32
    assert torch.allclose(compiled, eager, atol=1e-3)


def test_unsupported_cpu_warns_once_and_tracks_in_fp32(fp32_model, monkeypatch):
    monkeypatch.setattr(satracker_module, 'bf16_supported', lambda device_type: False)
    monkeypatch.setattr(satracker_module, '_BF16_FALLBACK_WARNED', False)
    model = _bf16(fp32_model)
    frames, box = _video(2)
    seen, handle = _linear_output_dtypes(model)
    try:
        with torch.no_grad():
            with pytest.warns(RuntimeWarning, match='runs in fp32 instead'):
                _init(model, frames[0], box)
            got = model.track(frames[1][0], [])[0].bboxes
    finally:
        handle.remove()
    assert set(seen) == {torch.float32}
    with torch.no_grad():
        _init(fp32_model, frames[0], box)
        want = fp32_model.track(frames[1][0], [])[0].bboxes
    assert torch.equal(got, want)  # the fallback is exactly fp32 tracking
    with warnings.catch_warnings():
        warnings.simplefilter('error')  # a second video does not warn again
        _init(model, frames[0], box)


def test_unknown_precision_is_a_clear_error():
    init_default_scope('mmtrack')
    cfg = tiny_model_cfg(Config.fromfile(BASE).model.to_dict())
    cfg['test_cfg']['precision'] = 'fp16'
    with pytest.raises(ValueError, match=r'test_cfg.precision="fp16" is not one of'):
        MODELS.build(cfg)
