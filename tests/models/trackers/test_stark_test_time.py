# Copyright (c) SATracker authors. Licensed under the Apache License 2.0.
"""Test time as trained and as the official STARK: crop padding and box clipping."""
import os.path as osp

import numpy as np
import pytest
import torch
from mmengine.structures import InstanceData
from mmtrack.models.track_heads.stark_head import StarkHead
from mmtrack.structures import TrackDataSample
from tracker_fixtures import build_tiny_tracker

import satracker  # noqa: F401
from satracker.datasets.transforms.cropping import SeqCropLikeStarkNp2
from satracker.models.trackers import clip_box

REPO = osp.dirname(osp.dirname(osp.dirname(osp.dirname(osp.abspath(__file__)))))
BASE = osp.join(REPO, 'configs/_base_/models/satracker.py')
H, W = 240, 320


def _stark_clip_box_xywh(box, img_h, img_w, margin):
    """The official STARK's definition, written out on ``x, y, w, h`` floats."""
    x1, y1, w, h = box
    x2, y2 = x1 + w, y1 + h
    x1, x2 = min(max(0., x1), img_w - margin), min(max(margin, x2), img_w)
    y1, y2 = min(max(0., y1), img_h - margin), min(max(margin, y2), img_h)
    return [x1, y1, max(margin, x2 - x1), max(margin, y2 - y1)]


@pytest.mark.parametrize(
    'box, expected',
    [
        ([50., 60., 150., 160.], [50., 60., 150., 160.]),  # inside: unchanged
        ([-20., -5., 30., 100.], [0., 0., 30., 100.]),  # leaves left/top: cut
        ([300., 200., 360., 280.], [300., 200., 320., 240.]),  # leaves right/bottom: cut
        ([-50., 50., -20., 80.], [0., 50., 10., 80.]),  # wholly left: margin-wide strip
        ([330., 250., 400., 300.], [310., 230., 320., 240.]),  # wholly right/below: corner
        ([315., 100., 318., 104.], [310., 100., 320., 110.]),  # thinner than the margin
    ])
def test_clip_box_cuts_with_margin_10(box, expected):
    out = clip_box(torch.tensor(box), H, W, margin=10)
    assert out.tolist() == expected
    x1, y1, x2, y2 = box
    ref = _stark_clip_box_xywh([x1, y1, x2 - x1, y2 - y1], H, W, 10.)
    assert out.tolist() == pytest.approx([ref[0], ref[1], ref[0] + ref[2], ref[1] + ref[3]])


def test_clip_box_matches_the_definition_on_random_boxes_and_differs_from_mmtrack():
    g = torch.Generator().manual_seed(0)
    xy = torch.rand(200, 2, generator=g) * torch.tensor([W + 200., H + 200.]) - 100.
    wh = torch.rand(200, 2, generator=g) * 150.
    boxes = torch.cat((xy, xy + wh), dim=1)
    out = clip_box(boxes, H, W, margin=10)  # batched (N, 4)
    for b, o in zip(boxes.tolist(), out.tolist()):
        r = _stark_clip_box_xywh([b[0], b[1], b[2] - b[0], b[3] - b[1]], H, W, 10.)
        assert o == pytest.approx([r[0], r[1], r[0] + r[2], r[1] + r[3]], abs=1e-4)
    assert (out[:, :2] >= 0).all() and (out[:, 2] <= W).all() and (out[:, 3] <= H).all()
    # MMTracking's StarkHead._bbox_clip shifts a box leaving on the left into the image
    # (keeps its width) and leaves one leaving on the right outside
    left, right = torch.tensor([-20., 50., 30., 90.]), torch.tensor([300., 50., 350., 90.])
    assert StarkHead._bbox_clip(None, left.clone(), H, W, 10).tolist() == [0., 50., 50., 90.]
    assert clip_box(left, H, W, 10).tolist() == [0., 50., 30., 90.]
    assert StarkHead._bbox_clip(None, right.clone(), H, W, 10).tolist() == [300., 50., 350., 90.]
    assert clip_box(right, H, W, 10).tolist() == [300., 50., 320., 90.]


@pytest.fixture(scope='module')
def model():
    return build_tiny_tracker().eval()


def _normalise(model, bgr):
    """(H, W, 3) uint8 BGR -> (1, 3, H, W) as the model's data preprocessor makes it."""
    data = dict(
        inputs=dict(img=[torch.from_numpy(np.ascontiguousarray(bgr)).permute(2, 0, 1)[None]]),
        data_samples=[TrackDataSample()])
    return model.data_preprocessor(data)['inputs']['img'][0]


def _text():
    return torch.randint(1000, 2000, (1, 6)), torch.ones(1, 6, dtype=torch.long)


@pytest.mark.parametrize('centre', [(30, 20), (100, 80)])
def test_template_crop_pads_as_the_training_crop(model, centre):
    """A 64x64 box at factor 2 gives a 128 crop at scale 1 with an integer window, where
    the training crop (``SeqCropLikeStarkNp2``) and the test crop sample the same pixels."""
    img_h, img_w = 100, 120
    bgr = np.random.RandomState(0).randint(0, 256, (img_h, img_w, 3)).astype(np.uint8)
    cx, cy = centre
    train_crop, factor, _ = SeqCropLikeStarkNp2(
        crop_size_factor=[2],
        output_size=[128]).crop_like_stark(bgr, np.array([cx - 32., cy - 32., cx + 32., cy + 32.]),
                                           2., 128)
    assert factor == 1.
    train = _normalise(model, train_crop)

    frame = _normalise(model, bgr)
    model.test_cfg['use_cache'] = False
    model.memo.bbox = torch.tensor([float(cx), float(cy), 64., 64.])
    model.init(frame, *_text())
    test = model.memo.template
    assert test.shape == (1, 3, 128, 128)

    black = (-model.data_preprocessor.mean / model.data_preprocessor.std).reshape(3)
    x0, y0 = cx - 64, cy - 64  # the crop window's top-left in the image
    inside = torch.zeros(128, 128, dtype=torch.bool)
    inside[max(0, -y0):img_h - y0, max(0, -x0):img_w - x0] = True
    assert 0 < inside.sum() < 128 * 128  # the crop reaches outside the image
    # outside: black raw pixels, normalised (not 0, the mean colour)
    assert torch.allclose(
        test[0][:, ~inside], black[:, None].expand(3, int((~inside).sum())), atol=1e-4)
    assert (black.abs() > 1.5).all()
    # inside: the normalised image's own pixels
    ys, xs = inside.nonzero(as_tuple=True)
    assert torch.allclose(test[0][:, ys, xs], frame[0][:, ys + y0, xs + x0], atol=1e-3)
    # and the training crop everywhere, except MMTracking's crop quirk: where the window
    # passes the right/bottom border, it also pads the image's last column/row
    # (``x2_pad = x2 - img_w + 1``), which the test crop keeps
    same = torch.ones(128, 128, dtype=torch.bool)
    if x0 + 128 > img_w:
        same[:, img_w - 1 - x0] = False
    if y0 + 128 > img_h:
        same[img_h - 1 - y0, :] = False
    assert torch.allclose(test[0][:, same], train[0][:, same], atol=1e-3)
    if not same.all():
        assert torch.allclose(
            train[0][:, ~same], black[:, None].expand(3, int((~same).sum())), atol=1e-4)


def _track_one_frame(model, first_box_xyxy, frame=None):
    frame = torch.randn(1, 1, 3, H, W) if frame is None else frame
    text_ids, text_mask = _text()
    out = []
    with torch.no_grad():
        for frame_id in (0, 1):
            ds = TrackDataSample()
            ds.set_metainfo(dict(frame_id=frame_id, ori_shape=(H, W), img_shape=(H, W)))
            if frame_id == 0:
                ds.gt_instances = InstanceData(
                    bboxes=torch.tensor([first_box_xyxy]), labels=torch.zeros(1, dtype=torch.long))
            inputs = dict(img=frame, text_ids=text_ids, text_mask=text_mask)
            out.append(model.predict(inputs, [ds])[0].pred_track_instances.bboxes[0])
    return out[1]


@pytest.mark.parametrize(
    'image_box, expected',
    [
        ([-30., 50., 60., 150.], [0., 50., 60., 150.]),  # partly outside: cut
        ([-60., -40., -20., -10.], [0., 0., 10., 10.]),  # wholly outside: margin corner
        ([40., 30., 90., 100.], [40., 30., 90., 100.]),  # inside: unchanged
    ])
def test_track_clips_the_predicted_box_as_stark(model, monkeypatch, image_box, expected):
    """A stub head predicts a chosen box; ``track`` maps it back and cuts it (margin 10)."""
    model.test_cfg['use_cache'] = True
    # first box (100, 80, 140, 120): search window side sqrt(40 * 40) * 5 = 200 around
    # (120, 100), i.e. [20, 0, 220, 200], at 200 / 320 image pixels per crop pixel
    window, scale = torch.tensor([20., 0., 20., 0.]), 200. / 320.
    crop_box = (torch.tensor(image_box) - window) / scale
    monkeypatch.setattr(model.head, 'forward', lambda x: crop_box[None].to(x))
    box = _track_one_frame(model, [100., 80., 140., 120.])
    assert torch.allclose(box, torch.tensor(expected), atol=1e-4), box


def test_search_crop_pads_black(model, monkeypatch):
    """The search crop (in the tracking step) pads as the template crop does."""
    model.test_cfg['use_cache'] = True
    seen = {}
    forward_search = model.backbone.forward_search

    def spy(search, cache):
        seen['search'] = search
        return forward_search(search, cache)

    monkeypatch.setattr(model.backbone, 'forward_search', spy)
    # box at the top-left corner: the search window [-80, -80, 120, 120] leaves the image
    _track_one_frame(model, [0., 0., 40., 40.])
    black = -model.data_preprocessor.mean / model.data_preprocessor.std  # (1, 3, 1, 1)
    corner = seen['search'][..., :100, :100]  # crop pixels 0..126 lie wholly outside
    assert torch.allclose(corner, black.expand_as(corner), atol=1e-5)


def test_tracking_step_traces_as_one_graph(model):
    """No data-dependent Python branch nor host sync: dynamo captures the step whole."""
    torch._dynamo.reset()
    model.test_cfg['use_cache'] = True
    frame = torch.randn(1, 1, 3, H, W)
    _track_one_frame(model, [100., 80., 140., 120.], frame)  # fills memo
    step = torch.compile(model._track_step, backend='eager', fullgraph=True)
    args = (frame[0], model.memo.bbox, model.memo.cache, None, model.memo.text_ids,
            model.memo.text_mask, False)
    with torch.no_grad():
        compiled_box, compiled_window, _ = step(*args)
        box, window, _ = model._track_step(*args)
    assert torch.allclose(compiled_box, box) and torch.allclose(compiled_window, window)
