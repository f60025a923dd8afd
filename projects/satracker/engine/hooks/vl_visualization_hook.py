# Copyright (c) SATracker authors. Licensed under the Apache License 2.0.
"""``VLTrackVisualizationHook``: drawn test frames and short clips of the first videos.

The drawing itself is :class:`satracker.visualization.VLTrackLocalVisualizer`'s;
``draw_vl_frame`` and ``overlay_heatmap`` are re-exported here for older imports.
"""
import os.path as osp
from typing import Dict, List, Optional, Tuple

import mmcv
import numpy as np
from mmengine.dist import get_dist_info
from mmengine.hooks import Hook
from mmtrack.registry import HOOKS

from satracker.visualization import (CLIP_EXTENSIONS, VLTrackLocalVisualizer, draw_vl_frame,
                                     overlay_heatmap, to_numpy, write_clip)

__all__ = ['VLTrackVisualizationHook', 'draw_vl_frame', 'overlay_heatmap']


def video_name_of(sample) -> str:
    """The name a sample's video gets in file names.

    The metainfo ``video_name`` that SATracker's datasets pack (it tells OTB's Jogging-1 and
    Jogging-2 apart), else ``video_<video_id>``, else ``video``.
    """
    name = sample.get('video_name', None)
    if name:
        return str(name)
    video_id = sample.get('video_id', None)
    return 'video' if video_id is None else f'video_{video_id}'


@HOOKS.register_module()
class VLTrackVisualizationHook(Hook):
    """Draw every ``interval``-th frame of the first ``max_videos`` videos during val / test,
    and write a clip of every frame of the first ``clip_videos`` videos.

    Each frame shows the GT box (green), the predicted box (red), the dense-matching score
    map over the search crop when the sample carries it (SATracker with
    ``test_cfg.with_score_map``), and, on a band below the frame, the sentence and the frame
    index: see :class:`~satracker.visualization.VLTrackLocalVisualizer`, which the hook builds
    from its drawing arguments (the runner's visualiser may stay MMTracking's).

    Images go through the runner's visualiser backends (``runner.visualizer.add_image``, e.g.
    ``LocalVisBackend`` -> ``<work_dir>/<timestamp>/vis_data/vis_image/<name>_<frame>.png``
    with ``name = '<mode>_<video>'``; rank 0 only, as MMEngine's visualiser is master-only)
    and/or, with ``out_dir``, as files ``<work_dir>/<out_dir>/<mode>/<video>/<frame:06d>.jpg``
    on every rank. Clips are files ``<work_dir>/<out_dir>/<mode>/<video>.<clip_format>`` on
    every rank. ``<mode>`` is ``test`` or ``val_epoch<N>``; ``<video>`` is the metainfo
    ``video_name`` (else ``video_<video_id>``). Without ``out_dir``, files that the backends
    do not take (frames when the runner has no backend, clips) go to ``<work_dir>/vl_vis``.

    Example::

        custom_hooks = [dict(type='VLTrackVisualizationHook', interval=10, max_videos=3,
                             out_dir='vis', clip_videos=1, clip_format='gif')]

    Args:
        interval (int): Draw frames whose ``frame_id % interval == 0``. Defaults to 10.
        max_videos (int): Number of videos (per rank) whose frames are drawn. Defaults to 3.
        draw_val (bool): Draw during validation. Defaults to True.
        draw_test (bool): Draw during testing. Defaults to True.
        out_dir (str, optional): Folder (relative to ``runner.work_dir`` unless absolute) for
            image and clip files. Defaults to None.
        use_backends (bool): Send the images to ``runner.visualizer``. Defaults to True.
        alpha (float): Heat-map weight. Defaults to 0.5.
        line_width (int): Box line width. Defaults to 2.
        font_scale (float): Text size. Defaults to 0.6.
        clip_videos (int): Number of videos (per rank) of which a clip is written.
            Defaults to 0 (no clip).
        clip_format (str): ``'gif'`` (Pillow) or ``'mp4'`` (OpenCV). Defaults to ``'gif'``.
        clip_max_width (int): Clip frames wider than this are shrunk to it. Defaults to 320.
        clip_step (int): Every ``clip_step``-th frame goes into the clip. Defaults to 2
            (a 60-frame video of 320 x 240 gives a GIF of about 1.3 MB).
        clip_fps (float): Frames per second of the clip. Defaults to 10.
    """
    priority = 'LOW'

    def __init__(self,
                 interval: int = 10,
                 max_videos: int = 3,
                 draw_val: bool = True,
                 draw_test: bool = True,
                 out_dir: Optional[str] = None,
                 use_backends: bool = True,
                 alpha: float = 0.5,
                 line_width: int = 2,
                 font_scale: float = 0.6,
                 clip_videos: int = 0,
                 clip_format: str = 'gif',
                 clip_max_width: int = 320,
                 clip_step: int = 2,
                 clip_fps: float = 10.0) -> None:
        if interval < 1:
            raise ValueError(f'interval must be >= 1, got {interval}')
        if f'.{clip_format}' not in CLIP_EXTENSIONS:
            raise ValueError(f'clip_format must be one of '
                             f'{[e[1:] for e in CLIP_EXTENSIONS]}, got {clip_format!r}')
        if clip_step < 1 or clip_max_width < 1 or not clip_fps > 0:
            raise ValueError('clip_step and clip_max_width must be >= 1 and clip_fps > 0, got '
                             f'{clip_step}, {clip_max_width}, {clip_fps}')
        self.interval = interval
        self.max_videos = max_videos
        self.draw_val = draw_val
        self.draw_test = draw_test
        self.out_dir = out_dir
        self.use_backends = use_backends
        self.clip_videos = clip_videos
        self.clip_format = clip_format
        self.clip_max_width = clip_max_width
        self.clip_step = clip_step
        self.clip_fps = clip_fps
        # not built through the registry: that would make it MMEngine's current visualiser
        self.visualizer = VLTrackLocalVisualizer(
            name=f'vl_track_visualization_hook_{id(self)}',
            line_width=line_width,
            alpha=alpha,
            font_scale=font_scale)
        self._videos: List[Tuple] = []
        self._clips: Dict[str, List[np.ndarray]] = {}
        self.saved_files: List[str] = []

    # ------------------------------------------------------------------ runner events
    def before_val_epoch(self, runner) -> None:
        self._videos, self._clips = [], {}

    def before_test_epoch(self, runner) -> None:
        self._videos, self._clips = [], {}

    def after_val_iter(self, runner, batch_idx: int, data_batch=None, outputs=None) -> None:
        if self.draw_val:
            self._draw(runner, data_batch, outputs, self._val_mode(runner))

    def after_test_iter(self, runner, batch_idx: int, data_batch=None, outputs=None) -> None:
        if self.draw_test:
            self._draw(runner, data_batch, outputs, 'test')

    def after_val_epoch(self, runner, metrics=None) -> None:
        self._flush_clips(runner, self._val_mode(runner))

    def after_test_epoch(self, runner, metrics=None) -> None:
        self._flush_clips(runner, 'test')

    # ------------------------------------------------------------------ drawing
    @staticmethod
    def _val_mode(runner) -> str:
        return f'val_epoch{getattr(runner, "epoch", 0)}'

    def _video_slot(self, sample) -> Optional[int]:
        """The index of the sample's video among the videos seen (None past the limits)."""
        key = (sample.get('video_id', None), video_name_of(sample))
        if key not in self._videos:
            if len(self._videos) >= max(self.max_videos, self.clip_videos):
                return None
            self._videos.append(key)
        return self._videos.index(key)

    @staticmethod
    def _load_image(sample, data_batch, index: int) -> Optional[np.ndarray]:
        """The (H, W, 3) uint8 RGB frame: read from ``img_path``, else the network input.

        SOT test inputs (``PackTrackInputs(pack_single_img=True)``) are the unresized
        frame, ``data_batch['inputs']['img'][index]`` (1, 3, H, W) BGR.
        """
        img_path = sample.get('img_path', None)
        if img_path and osp.isfile(img_path):
            return mmcv.imread(img_path, channel_order='rgb')
        try:
            img = to_numpy(data_batch['inputs']['img'][index])
        except (KeyError, IndexError, TypeError):
            return None
        img = img.reshape(-1, *img.shape[-3:])[0].transpose(1, 2, 0)[..., ::-1]
        return np.ascontiguousarray(np.clip(img, 0, 255).astype(np.uint8))

    def _draw(self, runner, data_batch, outputs, mode: str) -> None:
        for index, sample in enumerate(outputs or []):
            frame_id = sample.get('frame_id', None)
            slot = self._video_slot(sample)
            if frame_id is None or slot is None:
                continue
            frame_id = int(frame_id)
            want_frame = slot < self.max_videos and frame_id % self.interval == 0
            want_clip = slot < self.clip_videos and frame_id % self.clip_step == 0
            if not (want_frame or want_clip):
                continue
            image = self._load_image(sample, data_batch, index)
            if image is None:
                continue
            video = video_name_of(sample)
            if want_frame:
                drawn = self.visualizer.draw_vl_datasample(image, sample)
                self._save(runner, drawn, mode, video, frame_id)
            if want_clip:
                small = self.visualizer.draw_vl_datasample(
                    image, sample, max_width=self.clip_max_width)
                self._clips.setdefault(video, []).append(small[..., ::-1])
                length = sample.get('video_length', None)
                if length is not None and frame_id + self.clip_step >= int(length):
                    self._write_clip(runner, mode, video)

    def _folder(self, runner, mode: str) -> str:
        return osp.join(runner.work_dir, self.out_dir or 'vl_vis', mode)

    def _save(self, runner, image: np.ndarray, mode: str, video: str, frame_id: int) -> None:
        """Send an RGB image to the backends and/or write it under the output folder."""
        sent = False
        visualizer = getattr(runner, 'visualizer', None)
        if self.use_backends and visualizer is not None and \
                getattr(visualizer, '_vis_backends', None):
            visualizer.add_image(f'{mode}_{video}', image, step=frame_id)
            sent = get_dist_info()[0] == 0
        if self.out_dir is None and sent:
            return
        path = osp.join(self._folder(runner, mode), video, f'{frame_id:06d}.jpg')
        if not mmcv.imwrite(image[..., ::-1], path):
            raise IOError(f'could not write {path}')
        self.saved_files.append(path)

    def _write_clip(self, runner, mode: str, video: str) -> None:
        frames = self._clips.pop(video, None)
        if frames:
            path = osp.join(self._folder(runner, mode), f'{video}.{self.clip_format}')
            write_clip(frames, path, fps=self.clip_fps)
            self.saved_files.append(path)

    def _flush_clips(self, runner, mode: str) -> None:
        """Write the clips of videos whose last frame was not recognised (no
        ``video_length``), at the end of the loop."""
        for video in list(self._clips):
            self._write_clip(runner, mode, video)
