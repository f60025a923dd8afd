# Copyright (c) SATracker authors. Licensed under the Apache License 2.0.
import os.path as osp

import numpy as np
import pytest
import torch
from mmengine.config import Config
from mmengine.registry import init_default_scope
from mmengine.structures import InstanceData
from mmtrack.registry import MODELS
from mmtrack.structures import TrackDataSample
from tracker_fixtures import build_tiny_tracker

import satracker  # noqa: F401
from satracker.models.trackers import crop_square
from satracker.testing import tiny_model_cfg

REPO = osp.dirname(osp.dirname(osp.dirname(osp.dirname(osp.abspath(__file__)))))
BASE = osp.join(REPO, 'configs/_base_/models/satracker.py')
ABL = osp.join(REPO, 'configs/satracker/ablations')

_build = build_tiny_tracker


def _train_batch(n=2, length=12):
    g = torch.Generator().manual_seed(1)
    inputs = dict(
        img=torch.randn(n, 1, 3, 128, 128, generator=g),
        search_img=torch.randn(n, 1, 3, 320, 320, generator=g),
        text_ids=torch.randint(1000, 2000, (n, length), generator=g),
        text_mask=torch.ones(n, length, dtype=torch.long))
    inputs['text_mask'][0, 8:] = 0
    samples = []
    for i in range(n):
        ds = TrackDataSample()
        ds.search_gt_instances = InstanceData(
            bboxes=torch.tensor([[100. + 10 * i, 90., 210., 230.]]),
            labels=torch.ones(1, dtype=torch.long))
        ds.set_metainfo(dict(search_img_shape=(320, 320, 3), text_valid=True))
        samples.append(ds)
    return inputs, samples


@pytest.mark.parametrize('config', [BASE, osp.join(ABL, 'satracker_tab4-1-baseline.py')])
def test_a_loss_step_reaches_every_trainable_parameter(config):
    model = _build(config)
    model.train()
    inputs, samples = _train_batch()
    losses = model(inputs, samples, mode='loss')
    expected = {'loss_iou', 'loss_bbox'} | ({'loss_dm'} if model.head.with_dm else set())
    assert set(losses) == expected
    sum(losses.values()).backward()
    no_grad = [n for n, p in model.named_parameters() if p.requires_grad and p.grad is None]
    assert not no_grad, no_grad
    # every module group actually receives signal
    for prefix in ('backbone.stages.0', 'backbone.stages.2', 'head.bbox_head'):
        grads = [p.grad.abs().sum() for n, p in model.named_parameters() if n.startswith(prefix)]
        assert sum(grads) > 0, prefix
    if model.head.with_dm:
        assert model.head.dm_proj.weight.grad.abs().sum() > 0
        assert model.backbone.text_encoder.bert.embeddings.word_embeddings.weight.grad \
            .abs().sum() > 0
        fusion = [p.grad.abs().sum() for n, p in model.named_parameters() if '.fusion.' in n]
        assert fusion and sum(fusion) > 0


def test_tensor_mode_returns_boxes():
    model = _build().eval()
    inputs, _ = _train_batch()
    with torch.no_grad():
        assert model(inputs, mode='tensor').shape == (2, 4)


def _video(num_frames=5, h=240, w=320):
    """A bright square moving right on a textured background; normalised frames."""
    rng = np.random.RandomState(0)
    background = rng.rand(h, w, 3).astype(np.float32) * 0.3
    frames, boxes = [], []
    for k in range(num_frames):
        img = background.copy()
        x1, y1 = 100 + 6 * k, 80 + 2 * k
        img[y1:y1 + 40, x1:x1 + 40] = [1.0, 0.2, 0.2]
        frames.append(torch.from_numpy((img - 0.5) / 0.25).permute(2, 0, 1)[None, None])
        boxes.append([x1, y1, x1 + 40, y1 + 40])
    return frames, torch.tensor(boxes, dtype=torch.float32)


def _sample(frame_id, box=None, h=240, w=320):
    ds = TrackDataSample()
    ds.set_metainfo(dict(frame_id=frame_id, ori_shape=(h, w), img_shape=(h, w)))
    if box is not None:
        ds.gt_instances = InstanceData(
            bboxes=box[None].clone(), labels=torch.zeros(1, dtype=torch.long))
    return ds


def _run(model, frames, boxes, text_ids, text_mask):
    out = []
    with torch.no_grad():
        for k, frame in enumerate(frames):
            inputs = dict(img=frame, text_ids=text_ids, text_mask=text_mask)
            res = model.predict(inputs, [_sample(k, boxes[0] if k == 0 else None)])
            out.append(res[0])
    return out


def test_cached_and_uncached_tracking_give_the_same_boxes():
    model = _build().eval()
    assert model.use_cache
    frames, boxes = _video()
    text_ids = torch.randint(1000, 2000, (1, 10))
    text_mask = torch.ones(1, 10, dtype=torch.long)
    cached = _run(model, frames, boxes, text_ids, text_mask)
    assert model.memo.cache is not None and model.memo.template is None
    model.test_cfg['use_cache'] = False
    full = _run(model, frames, boxes, text_ids, text_mask)
    assert model.memo.cache is None and model.memo.template is not None
    assert torch.equal(cached[0].pred_track_instances.bboxes, boxes[:1])
    for a, b in zip(cached, full):
        box_a, box_b = a.pred_track_instances.bboxes, b.pred_track_instances.bboxes
        assert box_a.shape == (1, 4)
        assert torch.allclose(box_a, box_b, atol=1e-3), (box_a, box_b)
        # clipped to the image
        assert box_a[0, 0] >= 0 and box_a[0, 2] <= 320 and box_a[0, 3] <= 240


def test_symmetric_attention_runs_the_full_forward_per_frame():
    model = _build(osp.join(ABL, 'satracker_tab5-symmetrical.py')).eval()
    assert not model.backbone.supports_cache and not model.use_cache
    frames, boxes = _video(3)
    out = _run(model, frames, boxes, torch.randint(1000, 2000, (1, 6)),
               torch.ones(1, 6, dtype=torch.long))
    assert model.memo.cache is None
    assert out[-1].pred_track_instances.bboxes.shape == (1, 4)


def test_predict_ope_passes_the_sentence_to_init():
    model = _build().eval()
    seen = {}
    original = model.init

    def spy(img, text_ids, text_mask):
        seen.update(img=img, text_ids=text_ids, text_mask=text_mask)
        return original(img, text_ids, text_mask)

    model.init = spy
    frames, boxes = _video(2)
    text_ids = torch.randint(1000, 2000, (1, 7))
    text_mask = torch.tensor([[1, 1, 1, 1, 0, 0, 0]])
    _run(model, frames, boxes, text_ids, text_mask)
    assert torch.equal(seen['text_ids'], text_ids) and torch.equal(seen['text_mask'], text_mask)
    assert seen['img'].shape == (1, 3, 240, 320)
    # the cache holds this sentence's text features: another sentence gives other ones
    feat = model.memo.cache['text_feat'].clone()
    _run(model, frames, boxes, torch.randint(3000, 4000, (1, 7)), text_mask)
    assert not torch.allclose(feat, model.memo.cache['text_feat'])


def test_missing_text_is_a_clear_error():
    model = _build().eval()
    frames, boxes = _video(1)
    with pytest.raises(KeyError, match='text_ids'):
        model.predict(dict(img=frames[0]), [_sample(0, boxes[0])])


def test_score_map_hook_fields():
    model = _build(with_score_map=True).eval()
    frames, boxes = _video(3)
    out = _run(model, frames, boxes, torch.randint(1000, 2000, (1, 6)),
               torch.ones(1, 6, dtype=torch.long))
    assert 'dm_score_map' not in out[0]  # frame 0 has no search crop
    score, crop = out[1].dm_score_map, out[1].search_crop_bbox
    assert score.shape == (40, 40) and score.min() >= 0 and score.max() <= 1
    # the search window: side sqrt(40 * 40) * 5 = 200 around the frame-0 box centre (120, 100)
    assert torch.allclose(crop, torch.tensor([20., 0., 220., 200.]), atol=1e-3)


def test_crop_matches_stark_get_cropped_img():
    """Where STARK's integer crop window is exact, the device crop equals it."""
    from mmtrack.models.sot.stark import Stark
    img = torch.randn(1, 3, 120, 160)
    bbox = torch.tensor([70., 60., 20., 20.])  # side 40 at factor 2: window [50, 90) x [40, 80)
    ours, window = crop_square(img, bbox, 2.0, 20)  # downsampling: identical
    theirs, resize_factor, _ = Stark.get_cropped_img(None, img, bbox, 2.0, 20)
    assert torch.allclose(ours, theirs, atol=1e-4)
    assert torch.allclose(window, torch.tensor([50., 40., 90., 80.]))
    assert resize_factor == 20 / 40
    # upsampling: identical except the outermost output pixels, where STARK's resize of the
    # cut-out replicates the window's edge and ours interpolates with the real neighbours
    ours, _ = crop_square(img, bbox, 2.0, 128)
    theirs, _, _ = Stark.get_cropped_img(None, img, bbox, 2.0, 128)
    assert torch.allclose(ours[..., 2:-2, 2:-2], theirs[..., 2:-2, 2:-2], atol=1e-4)
    # partly outside the image: zero (the mean colour after normalisation) padding
    crop, window = crop_square(img, torch.tensor([5., 5., 10., 10.]), 4.0, 40)
    assert window[0] < 0 and torch.all(crop[..., :10, :10] == 0)


def test_init_weights_never_downloads():
    init_default_scope('mmtrack')
    cfg = tiny_model_cfg(Config.fromfile(BASE).model.to_dict())
    cfg['backbone']['init_cfg'] = dict(type='Pretrained', checkpoint='https://x/cvt.pth')
    model = MODELS.build(cfg)
    with pytest.raises(RuntimeError, match='downloaded'):
        model.init_weights()
