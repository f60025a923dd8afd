# Copyright (c) SATracker authors. Licensed under the Apache License 2.0.
"""``VLTrackVisualizationHook``: boxes, sentence and dense-matching heat-map on test frames."""
import os
import os.path as osp
from typing import Optional, Sequence

import cv2
import numpy as np
from mmengine.dist import get_dist_info
from mmengine.hooks import Hook
from mmtrack.registry import HOOKS

from satracker.evaluation.metrics.vl_sot_metric import video_name_from_path

GT_COLOR = (0, 200, 0)  # BGR green
PRED_COLOR = (0, 0, 255)  # BGR red
CROP_COLOR = (255, 255, 255)


def _field(sample, key):
    """A field or metainfo key of a ``TrackDataSample`` or of its ``to_dict()`` form."""
    if sample is None:
        return None
    if isinstance(sample, dict):
        return sample.get(key, None)
    return getattr(sample, key, None)


def _to_numpy(x) -> Optional[np.ndarray]:
    if x is None:
        return None
    if hasattr(x, 'detach'):
        x = x.detach().cpu().numpy()
    return np.asarray(x)


def _first_box(instances) -> Optional[np.ndarray]:
    """The first ``bboxes`` row of an ``InstanceData`` (or dict), as (4,) float, else None."""
    boxes = _to_numpy(_field(instances, 'bboxes'))
    if boxes is None or boxes.size < 4:
        return None
    return boxes.reshape(-1, 4)[0].astype(np.float64)


def _wrap_text(text: str, max_width: int, font_scale: float, thickness: int) -> list:
    """Split ``text`` into lines no wider than ``max_width`` pixels (cv2 simplex font)."""
    lines, current = [], ''
    for word in text.split():
        candidate = f'{current} {word}'.strip()
        width = cv2.getTextSize(candidate, cv2.FONT_HERSHEY_SIMPLEX, font_scale, thickness)[0][0]
        if width <= max_width or not current:
            current = candidate
        else:
            lines.append(current)
            current = word
    if current:
        lines.append(current)
    return lines


def overlay_heatmap(image: np.ndarray, score_map: np.ndarray, crop_bbox: Sequence[float],
                    alpha: float = 0.5) -> np.ndarray:
    """Blend a score map, resized to its crop region, as a JET heat-map onto the image.

    Args:
        image (np.ndarray): (H, W, 3) uint8 BGR image (modified in place and returned).
        score_map (np.ndarray): (H_up, W_up) float scores in [0, 1] over the search crop.
        crop_bbox (Sequence[float]): (4,) ``x1, y1, x2, y2`` of the crop in image pixels; it
            may extend beyond the image (only the inside part is drawn).
        alpha (float): Weight of the heat-map.

    Returns:
        np.ndarray: The image.
    """
    h, w = image.shape[:2]
    x1, y1, x2, y2 = [float(v) for v in np.asarray(crop_bbox, dtype=np.float64).reshape(4)]
    cx1, cy1 = int(round(x1)), int(round(y1))
    cw, ch = max(1, int(round(x2 - x1))), max(1, int(round(y2 - y1)))
    ix1, iy1 = max(cx1, 0), max(cy1, 0)
    ix2, iy2 = min(cx1 + cw, w), min(cy1 + ch, h)
    if ix2 <= ix1 or iy2 <= iy1:
        return image
    score = np.clip(np.nan_to_num(np.asarray(score_map, dtype=np.float32)), 0.0, 1.0)
    score = np.squeeze(score)
    if score.ndim != 2:
        raise ValueError(f'dm_score_map must be (H, W), got shape {score.shape}')
    heat = cv2.resize((score * 255).astype(np.uint8), (cw, ch), interpolation=cv2.INTER_LINEAR)
    heat = cv2.applyColorMap(heat, cv2.COLORMAP_JET)
    heat = heat[iy1 - cy1:iy2 - cy1, ix1 - cx1:ix2 - cx1]
    region = image[iy1:iy2, ix1:ix2]
    image[iy1:iy2, ix1:ix2] = cv2.addWeighted(region, 1.0 - alpha, heat, alpha, 0.0)
    cv2.rectangle(image, (ix1, iy1), (ix2 - 1, iy2 - 1), CROP_COLOR, 1)
    return image


def draw_vl_frame(image: np.ndarray,
                  gt_bbox: Optional[np.ndarray] = None,
                  pred_bbox: Optional[np.ndarray] = None,
                  text: Optional[str] = None,
                  score_map: Optional[np.ndarray] = None,
                  crop_bbox: Optional[Sequence[float]] = None,
                  frame_id: Optional[int] = None,
                  alpha: float = 0.5,
                  line_width: int = 2,
                  font_scale: float = 0.6) -> np.ndarray:
    """Draw heat-map, GT box (green), predicted box (red) and the sentence on a frame.

    Args:
        image (np.ndarray): (H, W, 3) uint8 BGR frame (a drawn copy is returned).
        gt_bbox (np.ndarray, optional): (4,) GT ``x1, y1, x2, y2``.
        pred_bbox (np.ndarray, optional): (4,) predicted ``x1, y1, x2, y2``.
        text (str, optional): The sentence, drawn on a dark band at the top (wrapped).
        score_map (np.ndarray, optional): (H_up, W_up) scores in [0, 1] over ``crop_bbox``.
        crop_bbox (Sequence[float], optional): (4,) search crop ``x1, y1, x2, y2``.
        frame_id (int, optional): Written at the bottom left.
        alpha (float): Heat-map weight.
        line_width (int): Box line width.
        font_scale (float): cv2 font scale of the text.

    Returns:
        np.ndarray: (H, W, 3) uint8 BGR drawn frame.
    """
    img = np.ascontiguousarray(image.copy())
    if score_map is not None and crop_bbox is not None:
        overlay_heatmap(img, score_map, crop_bbox, alpha)
    for box, color in ((gt_bbox, GT_COLOR), (pred_bbox, PRED_COLOR)):
        if box is None or not np.all(np.isfinite(box)):
            continue
        x1, y1, x2, y2 = [int(round(v)) for v in box]
        if x2 > x1 and y2 > y1:
            cv2.rectangle(img, (x1, y1), (x2, y2), color, line_width)
    thickness = 1
    line_h = cv2.getTextSize('Ag', cv2.FONT_HERSHEY_SIMPLEX, font_scale, thickness)[0][1] + 8
    if text:
        lines = _wrap_text(str(text), img.shape[1] - 10, font_scale, thickness)
        band = min(img.shape[0], line_h * len(lines) + 6)
        img[:band] = (img[:band] * 0.35).astype(np.uint8)
        for i, line in enumerate(lines):
            cv2.putText(img, line, (5, line_h * (i + 1)), cv2.FONT_HERSHEY_SIMPLEX, font_scale,
                        (255, 255, 255), thickness, cv2.LINE_AA)
    legend = 'GT' if gt_bbox is not None else ''
    footer = ' '.join(s for s in (f'#{frame_id}' if frame_id is not None else '', legend) if s)
    y = img.shape[0] - 8
    cv2.putText(img, footer, (5, y), cv2.FONT_HERSHEY_SIMPLEX, font_scale, GT_COLOR, thickness,
                cv2.LINE_AA)
    x = 5 + cv2.getTextSize(footer + ' ', cv2.FONT_HERSHEY_SIMPLEX, font_scale,
                            thickness)[0][0]
    if pred_bbox is not None:
        cv2.putText(img, 'pred', (x, y), cv2.FONT_HERSHEY_SIMPLEX, font_scale, PRED_COLOR,
                    thickness, cv2.LINE_AA)
    return img


@HOOKS.register_module()
class VLTrackVisualizationHook(Hook):
    """Save every ``interval``-th frame of the first ``max_videos`` videos during val / test.

    Each saved frame shows the GT box (green), the predicted box (red), the sentence (metainfo
    ``text``) and, when the data sample carries ``dm_score_map`` ((H_up, W_up) float in
    [0, 1] over the search crop) and ``search_crop_bbox`` ((4,) ``x1, y1, x2, y2`` in
    original-image pixels), the dense-matching score map as a heat-map over the crop region.

    Images go through MMEngine's visualiser backends (``runner.visualizer.add_image``, e.g.
    ``LocalVisBackend`` -> ``<work_dir>/<timestamp>/vis_data/vis_image/<name>_<frame>.png`` with
    ``name = '<mode>_<video>'``; rank 0 only, as MMEngine's visualiser is master-only) and/or,
    with ``out_dir``, as files ``<work_dir>/<out_dir>/<mode>/<video>/<frame:06d>.jpg`` on every
    rank. ``<mode>`` is ``test`` or ``val_epoch<N>``. When the runner has no visualiser backend
    and ``out_dir`` is None, files go to ``<work_dir>/vl_vis``.

    Example::

        custom_hooks = [dict(type='VLTrackVisualizationHook', interval=10, max_videos=3)]

    Args:
        interval (int): Save frames whose ``frame_id % interval == 0``. Defaults to 10.
        max_videos (int): Number of videos (per rank) to draw. Defaults to 3.
        draw_val (bool): Draw during validation. Defaults to True.
        draw_test (bool): Draw during testing. Defaults to True.
        out_dir (str, optional): Folder (relative to ``runner.work_dir`` unless absolute) for
            direct image files. Defaults to None.
        use_backends (bool): Send the images to ``runner.visualizer``. Defaults to True.
        alpha (float): Heat-map weight. Defaults to 0.5.
        line_width (int): Box line width. Defaults to 2.
        font_scale (float): Text size. Defaults to 0.6.
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
                 font_scale: float = 0.6) -> None:
        if interval < 1:
            raise ValueError(f'interval must be >= 1, got {interval}')
        self.interval = interval
        self.max_videos = max_videos
        self.draw_val = draw_val
        self.draw_test = draw_test
        self.out_dir = out_dir
        self.use_backends = use_backends
        self.alpha = alpha
        self.line_width = line_width
        self.font_scale = font_scale
        self._videos: list = []
        self.saved_files: list = []

    def before_val_epoch(self, runner) -> None:
        self._videos = []

    def before_test_epoch(self, runner) -> None:
        self._videos = []

    def after_val_iter(self, runner, batch_idx: int, data_batch=None, outputs=None) -> None:
        if self.draw_val:
            self._draw(runner, data_batch, outputs, f'val_epoch{getattr(runner, "epoch", 0)}')

    def after_test_iter(self, runner, batch_idx: int, data_batch=None, outputs=None) -> None:
        if self.draw_test:
            self._draw(runner, data_batch, outputs, 'test')

    # ------------------------------------------------------------------ drawing
    def _wants(self, sample) -> Optional[str]:
        """The video name if this frame is to be drawn, else None."""
        img_path = _field(sample, 'img_path')
        if isinstance(img_path, (list, tuple)):
            img_path = img_path[0]
        frame_id = _field(sample, 'frame_id')
        if img_path is None or frame_id is None:
            return None
        name = video_name_from_path(img_path)
        video_id = _field(sample, 'video_id')
        key = (video_id, name)
        if key not in self._videos:
            if len(self._videos) >= self.max_videos:
                return None
            self._videos.append(key)
        if int(frame_id) % self.interval != 0:
            return None
        return name

    @staticmethod
    def _load_image(sample, data_batch, index: int) -> Optional[np.ndarray]:
        img_path = _field(sample, 'img_path')
        if isinstance(img_path, (list, tuple)):
            img_path = img_path[0]
        image = cv2.imread(img_path, cv2.IMREAD_COLOR) if img_path else None
        if image is not None:
            return image
        # fall back to the network input (SOT test inputs are the unresized frame, BGR)
        try:
            inputs = data_batch['inputs']
            img = inputs['img'] if isinstance(inputs, dict) else inputs
            img = _to_numpy(img[index])
        except (KeyError, IndexError, TypeError):
            return None
        while img.ndim > 3:
            img = img[0]
        if img.ndim == 3 and img.shape[0] in (1, 3) and img.shape[-1] not in (1, 3):
            img = img.transpose(1, 2, 0)
        if img.shape[-1] == 1:
            img = np.repeat(img, 3, axis=-1)
        return np.ascontiguousarray(np.clip(img, 0, 255).astype(np.uint8))

    def _draw(self, runner, data_batch, outputs, mode: str) -> None:
        if not outputs:
            return
        for index, sample in enumerate(outputs):
            video = self._wants(sample)
            if video is None:
                continue
            image = self._load_image(sample, data_batch, index)
            if image is None:
                continue
            gt_bbox = _first_box(_field(sample, 'gt_instances'))
            if gt_bbox is None:
                instances = _field(sample, 'instances') or []
                if len(instances) and 'bbox' in instances[0]:
                    gt_bbox = _to_numpy(instances[0]['bbox']).astype(np.float64).reshape(4)
            pred_bbox = _first_box(_field(sample, 'pred_track_instances'))
            text = _field(sample, 'text')
            if isinstance(text, (list, tuple)):
                text = ' '.join(str(t) for t in text)
            score_map = _to_numpy(_field(sample, 'dm_score_map'))
            crop = _to_numpy(_field(sample, 'search_crop_bbox'))
            frame_id = int(_field(sample, 'frame_id'))
            drawn = draw_vl_frame(image, gt_bbox, pred_bbox, text, score_map, crop, frame_id,
                                  self.alpha, self.line_width, self.font_scale)
            self._save(runner, drawn, mode, video, frame_id)

    def _save(self, runner, image: np.ndarray, mode: str, video: str, frame_id: int) -> None:
        sent = False
        visualizer = getattr(runner, 'visualizer', None)
        if self.use_backends and visualizer is not None and \
                getattr(visualizer, '_vis_backends', None):
            visualizer.add_image(f'{mode}_{video}', image[..., ::-1].copy(), step=frame_id)
            sent = get_dist_info()[0] == 0
        out_dir = self.out_dir if (self.out_dir is not None or sent) else 'vl_vis'
        if out_dir is None:
            return
        folder = osp.join(runner.work_dir, out_dir, mode, video)
        os.makedirs(folder, exist_ok=True)
        path = osp.join(folder, f'{frame_id:06d}.jpg')
        if not cv2.imwrite(path, image):
            raise IOError(f'could not write {path}')
        self.saved_files.append(path)
