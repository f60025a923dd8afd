# Copyright (c) SATracker authors. Licensed under the Apache License 2.0.
"""VLTrackLocalVisualizer / draw_vl_frame: boxes, heat-map, and a caption that never covers
the frame."""
import numpy as np
import pytest
import torch
from mmengine.registry import DefaultScope
from mmengine.structures import InstanceData
from mmtrack.registry import VISUALIZERS
from mmtrack.structures import TrackDataSample

from satracker.visualization import VLTrackLocalVisualizer, draw_vl_frame, to_numpy

H, W = 60, 160
SENTENCE = 'the small red car at the top left of the street, behind the bus'


def _textured_frame():
    rng = np.random.RandomState(0)
    return (rng.rand(H, W, 3) * 255).astype(np.uint8)


@pytest.mark.parametrize('caption', ['bottom', 'top'])
def test_caption_never_hides_the_target(caption):
    """A target at the top of the frame (where a caption drawn over the image would go): the
    pixels inside its box are those of a drawing without caption."""
    frame = _textured_frame()
    gt = np.array([4., 2., 60., 20.])
    plain = draw_vl_frame(frame, gt_bbox=gt, caption=caption)
    captioned = draw_vl_frame(frame, gt_bbox=gt, text=SENTENCE, caption=caption)
    assert captioned.shape[1:] == (W, 3) and captioned.shape[0] > plain.shape[0] > H
    image = captioned[:H] if caption == 'bottom' else captioned[-H:]
    image_plain = plain[:H] if caption == 'bottom' else plain[-H:]
    inside = (slice(4, 19), slice(6, 59))  # rows, columns inside the box's edges
    assert np.array_equal(image[inside], frame[inside])
    assert np.array_equal(image, image_plain)
    band = captioned[H:] if caption == 'bottom' else captioned[:-H]
    assert band.max() == 255  # the sentence is written (white) on the band
    assert captioned.shape[0] - plain.shape[0] >= 2 * 10  # wrapped: two lines or more


def test_heatmap_and_boxes_are_drawn_where_they_belong():
    frame = np.full((48, 64, 3), 100, np.uint8)
    score = np.zeros((20, 20), np.float32)
    score[8:12, 8:12] = 1.0
    crop = [-10., 0., 50., 60.]  # 60 x 60 crop; its centre (20, 30) is inside the frame
    plain = draw_vl_frame(frame, text=None)
    assert plain.shape == frame.shape  # nothing to write: no band
    heat = draw_vl_frame(frame, score_map=score, crop_bbox=crop)
    # the hot centre of the crop is red-ish in BGR (JET at 1.0), the cold part blue-ish
    centre = heat[30, 20].astype(int)
    cold = heat[5, 5].astype(int)
    assert centre[2] > centre[0] and cold[0] > cold[2]
    assert np.array_equal(plain[30, 20], frame[30, 20])
    boxed = draw_vl_frame(
        frame, gt_bbox=np.array([10., 10., 30., 30.]), pred_bbox=np.array([40., 10., 60., 30.]))
    assert tuple(boxed[20, 10]) == (0, 200, 0)  # GT edge, green
    assert tuple(boxed[20, 40]) == (0, 0, 255)  # prediction edge, red
    assert frame[0, 0, 0] == 100  # input not modified


def _sample():
    s = TrackDataSample(metainfo=dict(frame_id=3, text=SENTENCE))
    s.gt_instances = InstanceData(bboxes=torch.tensor([[20., 10., 60., 40.]]))
    s.pred_track_instances = InstanceData(
        bboxes=torch.tensor([[80., 10., 120., 40.]]), scores=torch.tensor([-1.]))
    return s


def test_visualizer_draws_a_sample_in_rgb_and_shrinks_for_clips(tmp_path):
    with DefaultScope.overwrite_default_scope('mmtrack'):
        vis = VISUALIZERS.build(
            dict(
                type='VLTrackLocalVisualizer',
                name='vl_vis_test',
                vis_backends=[dict(type='LocalVisBackend')],
                save_dir=str(tmp_path)))
    assert isinstance(vis, VLTrackLocalVisualizer)
    frame = np.full((H, W, 3), 90, np.uint8)
    drawn = vis.draw_vl_datasample(frame, _sample())
    assert tuple(drawn[25, 20]) == (0, 200, 0)  # GT edge, green (RGB)
    assert tuple(drawn[25, 80]) == (255, 0, 0)  # prediction edge, red (RGB)
    no_gt = vis.draw_vl_datasample(frame, _sample(), draw_gt=False)
    assert tuple(no_gt[25, 20]) == (90, 90, 90)
    small = vis.draw_vl_datasample(frame, _sample(), max_width=80)  # half size
    assert small.shape[1] == 80 and small.shape[0] > H // 2
    assert tuple(small[12, 40]) == (255, 0, 0)  # the prediction's edge at x = 80 / 2
    vis.add_datasample('sample', frame, _sample(), step=3, out_file=str(tmp_path / 'o.png'))
    assert (tmp_path / 'vis_data' / 'vis_image' / 'sample_3.png').is_file()
    assert (tmp_path / 'o.png').is_file()


def test_to_numpy():
    assert to_numpy(None) is None
    x = to_numpy(torch.tensor([1.5, 2.0], dtype=torch.bfloat16), np.float64)
    assert x.dtype == np.float64 and x.tolist() == [1.5, 2.0]


def test_bad_caption_position():
    with pytest.raises(ValueError, match='caption'):
        draw_vl_frame(np.zeros((4, 4, 3), np.uint8), caption='left')
