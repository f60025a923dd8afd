# Copyright (c) SATracker authors. Licensed under the Apache License 2.0.
"""``VLTrackLocalVisualizer``: GT box, prediction, sentence and dense-matching map of a frame.

The drawing is done with OpenCV on BGR arrays (:func:`draw_vl_frame`); the visualiser wraps it
in MMEngine's ``Visualizer`` interface (RGB images, ``add_datasample``, storage backends).

The sentence and the legend are written on a band added below (or above) the frame, so the
drawn image is taller than the input and no image pixel is covered by text: the caption can
never hide the target.
"""
from typing import Dict, List, Optional, Sequence

import cv2
import mmcv
import numpy as np
from mmengine.dist import master_only
from mmtrack.registry import VISUALIZERS
from mmtrack.visualization import TrackLocalVisualizer

GT_COLOR = (0, 200, 0)  # BGR green
PRED_COLOR = (0, 0, 255)  # BGR red
CROP_COLOR = (255, 255, 255)
TEXT_COLOR = (255, 255, 255)
BAND_COLOR = (32, 32, 32)
CAPTION_POSITIONS = ('bottom', 'top')
_FONT = cv2.FONT_HERSHEY_SIMPLEX


def to_numpy(x, dtype=None) -> Optional[np.ndarray]:
    """A tensor, array or sequence as a NumPy array (``None`` stays ``None``).

    Tensors are detached and moved to the CPU; bfloat16 / float16 tensors become float32
    first (NumPy has no bfloat16).

    Args:
        x (Tensor | np.ndarray | Sequence | None): The value.
        dtype (np.dtype, optional): Cast to this dtype. Defaults to None (keep).

    Returns:
        np.ndarray | None: The array.
    """
    if x is None:
        return None
    if hasattr(x, 'detach'):
        x = x.detach()
        if x.is_floating_point() and x.element_size() < 4:
            x = x.float()
        x = x.cpu().numpy()
    return np.asarray(x, dtype=dtype)


def wrap_text(text: str, max_width: int, font_scale: float, thickness: int = 1) -> List[str]:
    """Split ``text`` into lines no wider than ``max_width`` pixels (OpenCV's simplex font).

    A single word wider than ``max_width`` gets a line of its own.

    Args:
        text (str): The text.
        max_width (int): Width limit in pixels.
        font_scale (float): OpenCV font scale.
        thickness (int): Stroke thickness. Defaults to 1.

    Returns:
        list[str]: The lines (empty for an empty text).
    """
    lines, current = [], ''
    for word in text.split():
        candidate = f'{current} {word}'.strip()
        width = cv2.getTextSize(candidate, _FONT, font_scale, thickness)[0][0]
        if width <= max_width or not current:
            current = candidate
        else:
            lines.append(current)
            current = word
    if current:
        lines.append(current)
    return lines


def overlay_heatmap(image: np.ndarray,
                    score_map: np.ndarray,
                    crop_bbox: Sequence[float],
                    alpha: float = 0.5) -> np.ndarray:
    """Blend a score map, resized to its crop region, as a JET heat-map onto the image.

    Args:
        image (np.ndarray): (H, W, 3) uint8 BGR image (modified in place and returned).
        score_map (np.ndarray): (H_up, W_up) float scores in [0, 1] over the search crop.
        crop_bbox (Sequence[float]): (4,) ``x1, y1, x2, y2`` of the crop in image pixels; it
            may extend beyond the image (only the inside part is drawn).
        alpha (float): Weight of the heat-map. Defaults to 0.5.

    Returns:
        np.ndarray: The image.

    Raises:
        ValueError: When ``score_map`` is not 2-D (after squeezing).
    """
    h, w = image.shape[:2]
    x1, y1, x2, y2 = np.asarray(crop_bbox, dtype=np.float64).reshape(4).tolist()
    cx1, cy1 = int(round(x1)), int(round(y1))
    cw, ch = max(1, int(round(x2 - x1))), max(1, int(round(y2 - y1)))
    ix1, iy1 = max(cx1, 0), max(cy1, 0)
    ix2, iy2 = min(cx1 + cw, w), min(cy1 + ch, h)
    if ix2 <= ix1 or iy2 <= iy1:
        return image
    score = np.squeeze(np.clip(np.nan_to_num(np.asarray(score_map, np.float32)), 0.0, 1.0))
    if score.ndim != 2:
        raise ValueError(f'dm_score_map must be (H, W), got shape {score.shape}')
    heat = cv2.resize((score * 255).astype(np.uint8), (cw, ch), interpolation=cv2.INTER_LINEAR)
    heat = cv2.applyColorMap(heat, cv2.COLORMAP_JET)[iy1 - cy1:iy2 - cy1, ix1 - cx1:ix2 - cx1]
    region = image[iy1:iy2, ix1:ix2]
    image[iy1:iy2, ix1:ix2] = cv2.addWeighted(region, 1.0 - alpha, heat, alpha, 0.0)
    cv2.rectangle(image, (ix1, iy1), (ix2 - 1, iy2 - 1), CROP_COLOR, 1)
    return image


def caption_band(width: int,
                 text: Optional[str] = None,
                 frame_id: Optional[int] = None,
                 legend: Sequence[str] = (),
                 font_scale: float = 0.6) -> Optional[np.ndarray]:
    """The band that carries the sentence (wrapped, white) and a legend line.

    The legend line holds ``#<frame_id>`` (white), then ``GT`` (green) and ``pred`` (red) for
    the names in ``legend``.

    Args:
        width (int): Width of the frame in pixels.
        text (str, optional): The sentence.
        frame_id (int, optional): The frame index.
        legend (Sequence[str]): Any of ``'GT'``, ``'pred'``.
        font_scale (float): OpenCV font scale. Defaults to 0.6.

    Returns:
        np.ndarray | None: (H_band, width, 3) uint8 BGR band, or None when there is nothing
        to write.
    """
    colors = {'GT': GT_COLOR, 'pred': PRED_COLOR}
    items = ([(f'#{frame_id}', TEXT_COLOR)] if frame_id is not None else []) + \
        [(name, colors[name]) for name in legend]
    lines = wrap_text(str(text), width - 10, font_scale) if text else []
    if not lines and not items:
        return None
    (_, text_h), baseline = cv2.getTextSize('Ag', _FONT, font_scale, 1)
    line_h = text_h + baseline + 6
    band = np.empty((line_h * (len(lines) + bool(items)) + 4, width, 3), np.uint8)
    band[:] = BAND_COLOR
    for i, line in enumerate(lines):
        cv2.putText(band, line, (5, line_h * (i + 1) - baseline), _FONT, font_scale, TEXT_COLOR, 1,
                    cv2.LINE_AA)
    x, y = 5, line_h * (len(lines) + 1) - baseline
    for label, color in items:
        cv2.putText(band, label, (x, y), _FONT, font_scale, color, 1, cv2.LINE_AA)
        x += cv2.getTextSize(label + ' ', _FONT, font_scale, 1)[0][0]
    return band


def draw_vl_frame(image: np.ndarray,
                  gt_bbox: Optional[np.ndarray] = None,
                  pred_bbox: Optional[np.ndarray] = None,
                  text: Optional[str] = None,
                  score_map: Optional[np.ndarray] = None,
                  crop_bbox: Optional[Sequence[float]] = None,
                  frame_id: Optional[int] = None,
                  alpha: float = 0.5,
                  line_width: int = 2,
                  font_scale: float = 0.6,
                  caption: str = 'bottom') -> np.ndarray:
    """Draw heat-map, GT box (green) and predicted box (red); add the sentence on a band.

    Args:
        image (np.ndarray): (H, W, 3) uint8 BGR frame (not modified).
        gt_bbox (np.ndarray, optional): (4,) GT ``x1, y1, x2, y2``.
        pred_bbox (np.ndarray, optional): (4,) predicted ``x1, y1, x2, y2``.
        text (str, optional): The sentence, written on the band (wrapped).
        score_map (np.ndarray, optional): (H_up, W_up) scores in [0, 1] over ``crop_bbox``.
        crop_bbox (Sequence[float], optional): (4,) search crop ``x1, y1, x2, y2``.
        frame_id (int, optional): Written on the band's legend line.
        alpha (float): Heat-map weight. Defaults to 0.5.
        line_width (int): Box line width. Defaults to 2.
        font_scale (float): OpenCV font scale of the band. Defaults to 0.6.
        caption (str): ``'bottom'`` (the frame keeps its pixel coordinates) or ``'top'``.

    Returns:
        np.ndarray: (H + H_band, W, 3) uint8 BGR: the drawn frame and the band (H_band = 0
        when there is neither text, frame id nor box).
    """
    if caption not in CAPTION_POSITIONS:
        raise ValueError(f'caption must be one of {CAPTION_POSITIONS}, got {caption!r}')
    img = np.ascontiguousarray(image, dtype=np.uint8).copy()
    if score_map is not None and crop_bbox is not None:
        overlay_heatmap(img, score_map, crop_bbox, alpha)
    legend = []
    for name, box, color in (('GT', gt_bbox, GT_COLOR), ('pred', pred_bbox, PRED_COLOR)):
        if box is None or not np.all(np.isfinite(box)):
            continue
        legend.append(name)
        x1, y1, x2, y2 = [int(round(v)) for v in np.asarray(box, np.float64).reshape(4)]
        if x2 > x1 and y2 > y1:
            cv2.rectangle(img, (x1, y1), (x2, y2), color, line_width)
    band = caption_band(img.shape[1], text, frame_id, legend, font_scale)
    if band is None:
        return img
    return np.concatenate([band, img] if caption == 'top' else [img, band], axis=0)


def vl_sample_fields(data_sample) -> Dict[str, object]:
    """What :func:`draw_vl_frame` draws, read from a ``TrackDataSample``.

    The one place that knows the layouts: ``gt_instances.bboxes`` and
    ``pred_track_instances.bboxes`` (N, 4) ``x1, y1, x2, y2`` (the first row is drawn),
    the data fields ``dm_score_map`` (H_up, W_up) and ``search_crop_bbox`` (4,) that SATracker
    adds with ``test_cfg.with_score_map``, and the metainfo ``text`` (a string at test time,
    a list of strings in training) and ``frame_id``.

    Args:
        data_sample (TrackDataSample): A tracker's output (or a packed input).

    Returns:
        dict: ``gt_bbox``, ``pred_bbox`` ((4,) float64 or None), ``text`` (str or None),
        ``score_map`` ((H_up, W_up) float32 or None), ``crop_bbox`` ((4,) float64 or None),
        ``frame_id`` (int or None).
    """

    def first_box(name):
        instances = data_sample.get(name, None)
        if instances is None or 'bboxes' not in instances or len(instances.bboxes) == 0:
            return None
        return to_numpy(instances.bboxes, np.float64).reshape(-1, 4)[0]

    text = data_sample.get('text', None)
    if text is not None and not isinstance(text, str):
        text = ' '.join(str(t) for t in text)
    crop = to_numpy(data_sample.get('search_crop_bbox', None), np.float64)
    frame_id = data_sample.get('frame_id', None)
    return dict(
        gt_bbox=first_box('gt_instances'),
        pred_bbox=first_box('pred_track_instances'),
        text=text,
        score_map=to_numpy(data_sample.get('dm_score_map', None), np.float32),
        crop_bbox=None if crop is None else crop.reshape(4),
        frame_id=None if frame_id is None else int(frame_id))


@VISUALIZERS.register_module()
class VLTrackLocalVisualizer(TrackLocalVisualizer):
    """MMTracking's ``TrackLocalVisualizer`` for vision-language single-object tracking.

    Draws, on one frame (not GT and prediction side by side as the parent does): the GT box
    (green), the predicted box (red), the dense-matching score map as a JET heat-map over the
    search crop when the sample carries ``dm_score_map`` and ``search_crop_bbox``, and, on a
    band added below (or above) the frame, the sentence (metainfo ``text``) and a legend with
    the frame index. The band never covers image pixels.

    Example::

        visualizer = dict(type='VLTrackLocalVisualizer',
                          vis_backends=[dict(type='LocalVisBackend')], name='visualizer')

    Args:
        name (str): Name of the instance. Defaults to 'visualizer'.
        image (np.ndarray, optional): An RGB image to start with. Defaults to None.
        vis_backends (list[dict], optional): Storage backends. Defaults to None.
        save_dir (str, optional): Folder of the backends' files. Defaults to None.
        line_width (int): Box line width in pixels. Defaults to 2.
        alpha (float): Weight of the heat-map (boxes are opaque). Defaults to 0.5.
        font_scale (float): OpenCV font scale of the band. Defaults to 0.6.
        caption (str): Where the band goes: ``'bottom'`` (the frame keeps its pixel
            coordinates) or ``'top'``. Defaults to ``'bottom'``.
    """

    def __init__(self,
                 name: str = 'visualizer',
                 image: Optional[np.ndarray] = None,
                 vis_backends: Optional[List[dict]] = None,
                 save_dir: Optional[str] = None,
                 line_width: int = 2,
                 alpha: float = 0.5,
                 font_scale: float = 0.6,
                 caption: str = 'bottom') -> None:
        if caption not in CAPTION_POSITIONS:
            raise ValueError(f'caption must be one of {CAPTION_POSITIONS}, got {caption!r}')
        super().__init__(name, image, vis_backends, save_dir, line_width, alpha)
        self.font_scale = font_scale
        self.caption = caption

    def draw_vl_datasample(self,
                           image: np.ndarray,
                           data_sample=None,
                           draw_gt: bool = True,
                           draw_pred: bool = True,
                           max_width: Optional[int] = None) -> np.ndarray:
        """Draw a frame and its sample (see the class docstring).

        Args:
            image (np.ndarray): (H, W, 3) uint8 RGB frame.
            data_sample (TrackDataSample, optional): GT, prediction, sentence, matching map
                (read by :func:`vl_sample_fields`). Defaults to None (nothing drawn).
            draw_gt (bool): Draw the GT box. Defaults to True.
            draw_pred (bool): Draw the predicted box. Defaults to True.
            max_width (int, optional): Shrink wider frames to this width first (the boxes
                follow; text keeps its size, so it stays readable in small clips).

        Returns:
            np.ndarray: (H' + H_band, W', 3) uint8 RGB, ``(H', W')`` the (shrunk) frame size.
        """
        fields = vl_sample_fields(data_sample) if data_sample is not None else {}
        if not draw_gt:
            fields.pop('gt_bbox', None)
        if not draw_pred:
            fields.pop('pred_bbox', None)
        bgr = np.ascontiguousarray(image[..., ::-1])
        height, width = bgr.shape[:2]
        if max_width is not None and width > max_width:
            scale = max_width / width
            bgr = mmcv.imresize(
                bgr, (max_width, max(1, int(round(height * scale)))), interpolation='area')
            for key in ('gt_bbox', 'pred_bbox', 'crop_bbox'):
                if fields.get(key) is not None:
                    fields[key] = fields[key] * scale
        drawn = draw_vl_frame(
            bgr,
            **fields,
            alpha=self.alpha,
            line_width=self.line_width,
            font_scale=self.font_scale,
            caption=self.caption)
        return drawn[..., ::-1]

    @master_only
    def add_datasample(self,
                       name: str,
                       image: np.ndarray,
                       data_sample=None,
                       draw_gt: bool = True,
                       draw_pred: bool = True,
                       show: bool = False,
                       wait_time: int = 0,
                       out_file: Optional[str] = None,
                       pred_score_thr: float = 0.3,
                       step: int = 0) -> None:
        """Draw a frame and send it to the backends (or show it, or write it).

        The parent's interface; ``pred_score_thr`` is accepted for it but not used: a
        single-object tracker's one box is always drawn (SATracker has no score head).

        Args:
            name (str): The image identifier.
            image (np.ndarray): (H, W, 3) uint8 RGB frame.
            data_sample (TrackDataSample, optional): See :meth:`draw_vl_datasample`.
            draw_gt (bool): Draw the GT box. Defaults to True.
            draw_pred (bool): Draw the predicted box. Defaults to True.
            show (bool): Display the image instead of storing it. Defaults to False.
            wait_time (int): Seconds the shown image stays. Defaults to 0.
            out_file (str, optional): Also write the image to this file. Defaults to None.
            pred_score_thr (float): Unused (see above).
            step (int): Global step of the image. Defaults to 0.
        """
        drawn = self.draw_vl_datasample(image, data_sample, draw_gt, draw_pred)
        if show:
            self.show(drawn, win_name=name, wait_time=wait_time)
        else:
            self.add_image(name, drawn, step)
        if out_file is not None:
            mmcv.imwrite(drawn[..., ::-1], out_file)
