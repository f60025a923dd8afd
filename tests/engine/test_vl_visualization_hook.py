# Copyright (c) SATracker authors. Licensed under the Apache License 2.0.
"""VLTrackVisualizationHook writes drawn frames and clips (fake runner, real
TrackDataSamples); the drawing itself is tested in tests/visualization/."""
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
from PIL import Image

from satracker.engine.hooks import VLTrackVisualizationHook

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


def _sample(path, video_id, frame_id, with_map=True, **meta):
    meta = dict(
        dict(
            img_path=path,
            frame_id=frame_id,
            video_id=video_id,
            video_length=10,
            text='the small grey square',
            ori_shape=(H, W)), **meta)
    s = TrackDataSample(metainfo=meta)
    s.gt_instances = InstanceData(bboxes=torch.tensor([[10., 10., 30., 30.]]))
    s.pred_track_instances = InstanceData(
        bboxes=torch.tensor([[12., 11., 33., 31.]]), scores=torch.tensor([0.9]))
    if with_map:
        score = torch.zeros(20, 20)
        score[8:12, 8:12] = 1.0
        s.dm_score_map = score
        s.search_crop_bbox = torch.tensor([-10., 0., 50., 60.])  # partly outside the frame
    return s


def _runner(tmp_path, visualizer=None):
    return SimpleNamespace(work_dir=str(tmp_path / 'work'), epoch=3, iter=0, visualizer=visualizer)


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
    written = sorted(str(p.relative_to(folder)) for p in folder.rglob('*'))
    assert written == [
        'video_0', 'video_0/000000.jpg', 'video_0/000005.jpg', 'video_1', 'video_1/000000.jpg',
        'video_1/000005.jpg'
    ]  # no clip by default
    img = cv2.imread(str(folder / 'video_0' / '000005.jpg'))
    # the frame keeps its size and place; the sentence band is added below it
    assert img.shape[0] > H and img.shape[1:] == (W, 3)
    assert img[:H].std() > 5  # boxes and heat-map were drawn on the frame


def test_video_name_from_metainfo(tmp_path):
    """Datasets that pack ``video_name`` (OTB's Jogging-1 / Jogging-2 share a folder) name
    the files."""
    paths = _make_frames(str(tmp_path), videos=1, frames=1)
    runner = _runner(tmp_path)
    hook = VLTrackVisualizationHook(interval=1, out_dir='vis')
    hook.after_test_iter(runner, 0, None, [_sample(paths[0, 0], 7, 0, video_name='Jogging-2')])
    assert (tmp_path / 'work' / 'vis' / 'test' / 'Jogging-2' / '000000.jpg').is_file()


def test_val_frames_go_through_the_visualizer_backends(tmp_path):
    paths = _make_frames(str(tmp_path), videos=1, frames=4)
    vis = Visualizer(
        name='vl_hook_test', vis_backends=[dict(type='LocalVisBackend')],
        save_dir=str(tmp_path))  # -> <save_dir>/vis_data
    runner = _runner(tmp_path, visualizer=vis)
    hook = VLTrackVisualizationHook(interval=2, max_videos=1)
    hook.before_val_epoch(runner)
    for i in range(4):
        hook.after_val_iter(runner, i, None, [_sample(paths[0, i], 0, i)])
    files = sorted(os.listdir(tmp_path / 'vis_data' / 'vis_image'))
    assert files == ['val_epoch3_video_0_0.png', 'val_epoch3_video_0_2.png']
    img = cv2.imread(str(tmp_path / 'vis_data' / 'vis_image' / files[0]))
    assert img.shape[0] > H and img.shape[1] == W
    assert not (tmp_path / 'work').exists()  # no duplicate files when backends took them


def test_without_backends_or_out_dir_falls_back_to_work_dir(tmp_path):
    paths = _make_frames(str(tmp_path), videos=1, frames=1)
    runner = _runner(tmp_path)
    hook = VLTrackVisualizationHook(interval=1, draw_val=False)
    hook.after_val_iter(runner, 0, None, [_sample(paths[0, 0], 0, 0)])
    assert not (tmp_path / 'work').exists()  # draw_val=False
    hook.after_test_iter(runner, 0, None, [_sample(paths[0, 0], 0, 0, with_map=False)])
    assert (tmp_path / 'work' / 'vl_vis' / 'test' / 'video_0' / '000000.jpg').is_file()


def test_frame_from_the_network_input_keeps_its_colours(tmp_path):
    """Without a readable ``img_path`` the frame is the packed input (1, 3, H, W) BGR."""
    runner = _runner(tmp_path)
    hook = VLTrackVisualizationHook(interval=1, out_dir='vis')
    frame = np.zeros((1, 3, H, W), np.uint8)
    frame[:, 0], frame[:, 1], frame[:, 2] = 200, 100, 20  # B, G, R
    sample = _sample(None, 0, 0, with_map=False)
    hook.after_test_iter(runner, 0, dict(inputs=dict(img=[torch.from_numpy(frame)])), [sample])
    img = cv2.imread(str(tmp_path / 'work' / 'vis' / 'test' / 'video_0' / '000000.jpg'))
    np.testing.assert_allclose(img[H - 3, W - 3], [200, 100, 20], atol=4)  # jpeg


def test_clip_of_every_frame_of_the_first_video(tmp_path):
    paths = _make_frames(str(tmp_path), videos=2, frames=10)
    runner = _runner(tmp_path)
    hook = VLTrackVisualizationHook(
        interval=100, max_videos=1, out_dir='vis', clip_videos=1, clip_max_width=32, clip_step=2)
    hook.before_test_epoch(runner)
    clip = tmp_path / 'work' / 'vis' / 'test' / 'video_0.gif'
    for v in range(2):
        for i in range(10):
            hook.after_test_iter(runner, 0, None, [_sample(paths[v, i], v, i)])
        if v == 0:  # written when the video's last frame (video_length) has been drawn
            assert clip.is_file()
    hook.after_test_epoch(runner)
    with Image.open(clip) as gif:
        assert gif.n_frames == 5  # frames 0, 2, 4, 6, 8
        assert gif.size[0] == 32 and gif.size[1] > 32 * H / W  # shrunk frame + the band
    assert not (tmp_path / 'work' / 'vis' / 'test' / 'video_1.gif').exists()
    assert os.path.getsize(clip) < 3 * 2**20


def test_clip_without_video_length_is_written_at_the_end(tmp_path):
    paths = _make_frames(str(tmp_path), videos=1, frames=3)
    runner = _runner(tmp_path)
    hook = VLTrackVisualizationHook(max_videos=0, clip_videos=1, clip_format='mp4', clip_step=1)
    hook.before_test_epoch(runner)
    for i in range(3):
        hook.after_test_iter(runner, 0, None, [_sample(paths[0, i], 0, i, video_length=None)])
    clip = tmp_path / 'work' / 'vl_vis' / 'test' / 'video_0.mp4'
    assert not clip.exists()
    hook.after_test_epoch(runner)
    cap = cv2.VideoCapture(str(clip))
    count = 0
    while cap.read()[0]:
        count += 1
    cap.release()
    assert count == 3
    assert not (tmp_path / 'work' / 'vl_vis' / 'test' / 'video_0').exists()  # max_videos=0


@pytest.mark.parametrize(
    'kwargs', [dict(interval=0),
               dict(clip_format='webm'),
               dict(clip_step=0),
               dict(clip_fps=0)])
def test_bad_arguments(kwargs):
    with pytest.raises(ValueError):
        VLTrackVisualizationHook(**kwargs)
