# Copyright (c) SATracker authors. Licensed under the Apache License 2.0.
"""VLTrackVisualizationHook writes drawn frames (fake runner, real TrackDataSamples)."""
import os
import os.path as osp
from types import SimpleNamespace

import cv2
import numpy as np
import pytest
import torch
from mmengine.registry import DefaultScope
from mmengine.structures import InstanceData
from mmengine.visualization import Visualizer
from mmtrack.registry import HOOKS
from mmtrack.structures import TrackDataSample

from satracker.engine.hooks import VLTrackVisualizationHook, draw_vl_frame

H, W = 48, 64


def _make_frames(root, videos=3, frames=10):
    paths = {}
    for v in range(videos):
        folder = osp.join(root, 'data', f'video_{v}', 'imgs')
        os.makedirs(folder)
        for i in range(frames):
            img = np.full((H, W, 3), 80 + 10 * v, np.uint8)
            path = osp.join(folder, f'{i:05d}.jpg')
            cv2.imwrite(path, img)
            paths[v, i] = path
    return paths


def _sample(path, video_id, frame_id, with_map=True):
    s = TrackDataSample(metainfo=dict(img_path=path, frame_id=frame_id, video_id=video_id,
                                      video_length=10, text='the small grey square',
                                      ori_shape=(H, W)))
    s.gt_instances = InstanceData(bboxes=torch.tensor([[10., 10., 30., 30.]]))
    s.pred_track_instances = InstanceData(bboxes=torch.tensor([[12., 11., 33., 31.]]),
                                          scores=torch.tensor([0.9]))
    if with_map:
        score = torch.zeros(20, 20)
        score[8:12, 8:12] = 1.0
        s.dm_score_map = score
        s.search_crop_bbox = torch.tensor([-10., 0., 50., 60.])  # partly outside the frame
    return s


def _runner(tmp_path, visualizer=None):
    return SimpleNamespace(work_dir=str(tmp_path / 'work'), epoch=3, iter=0,
                           visualizer=visualizer)


def test_registered():
    with DefaultScope.overwrite_default_scope('mmtrack'):
        hook = HOOKS.build(dict(type='VLTrackVisualizationHook', interval=5, max_videos=1))
    assert isinstance(hook, VLTrackVisualizationHook)


def test_writes_every_kth_frame_of_the_first_videos(tmp_path):
    paths = _make_frames(str(tmp_path))
    runner = _runner(tmp_path)
    hook = VLTrackVisualizationHook(interval=5, max_videos=2, out_dir='vis')
    hook.before_test_epoch(runner)
    for v in range(3):
        for i in range(10):
            hook.after_test_iter(runner, 0, dict(inputs={}), [_sample(paths[v, i], v, i)])
    folder = tmp_path / 'work' / 'vis' / 'test'
    written = sorted(str(p.relative_to(folder)) for p in folder.rglob('*.jpg'))
    assert written == ['video_0/000000.jpg', 'video_0/000005.jpg', 'video_1/000000.jpg',
                       'video_1/000005.jpg']
    img = cv2.imread(str(folder / 'video_0' / '000005.jpg'))
    assert img.shape == (H, W, 3)
    # something was drawn: the frame is no longer uniform
    assert img.std() > 5


def test_val_frames_go_through_the_visualizer_backends(tmp_path):
    paths = _make_frames(str(tmp_path), videos=1, frames=4)
    vis = Visualizer(name='vl_hook_test', vis_backends=[dict(type='LocalVisBackend')],
                     save_dir=str(tmp_path))  # -> <save_dir>/vis_data
    runner = _runner(tmp_path, visualizer=vis)
    hook = VLTrackVisualizationHook(interval=2, max_videos=1)
    hook.before_val_epoch(runner)
    for i in range(4):
        hook.after_val_iter(runner, i, None, [_sample(paths[0, i], 0, i)])
    files = sorted(os.listdir(tmp_path / 'vis_data' / 'vis_image'))
    assert files == ['val_epoch3_video_0_0.png', 'val_epoch3_video_0_2.png']
    img = cv2.imread(str(tmp_path / 'vis_data' / 'vis_image' / files[0]))
    assert img.shape == (H, W, 3)
    assert not (tmp_path / 'work').exists()  # no duplicate files when backends took them


def test_without_backends_or_out_dir_falls_back_to_work_dir(tmp_path):
    paths = _make_frames(str(tmp_path), videos=1, frames=1)
    runner = _runner(tmp_path)
    hook = VLTrackVisualizationHook(interval=1, draw_val=False)
    hook.after_val_iter(runner, 0, None, [_sample(paths[0, 0], 0, 0)])
    assert not (tmp_path / 'work').exists()  # draw_val=False
    hook.after_test_iter(runner, 0, None, [_sample(paths[0, 0], 0, 0, with_map=False)])
    assert (tmp_path / 'work' / 'vl_vis' / 'test' / 'video_0' / '000000.jpg').is_file()


def test_heatmap_and_boxes_are_drawn_where_they_belong():
    frame = np.full((H, W, 3), 100, np.uint8)
    score = np.zeros((20, 20), np.float32)
    score[8:12, 8:12] = 1.0
    crop = [-10., 0., 50., 60.]  # 60 x 60 crop; its centre (20, 30) is inside the frame
    plain = draw_vl_frame(frame, text=None)
    heat = draw_vl_frame(frame, score_map=score, crop_bbox=crop)
    # the hot centre of the crop is red-ish in BGR (JET at 1.0), the cold part blue-ish
    centre = heat[30, 20].astype(int)
    cold = heat[5, 5].astype(int)
    assert centre[2] > centre[0] and cold[0] > cold[2]
    assert np.array_equal(plain[30, 20], frame[30, 20])
    boxed = draw_vl_frame(frame, gt_bbox=np.array([10., 10., 30., 30.]),
                          pred_bbox=np.array([40., 10., 60., 30.]))
    assert tuple(boxed[20, 10]) == (0, 200, 0)      # GT edge, green
    assert tuple(boxed[20, 40]) == (0, 0, 255)      # prediction edge, red
    assert frame[0, 0, 0] == 100                    # input not modified


def test_bad_interval():
    with pytest.raises(ValueError):
        VLTrackVisualizationHook(interval=0)
