# Copyright (c) SATracker authors. Licensed under the Apache License 2.0.
"""``VLSOTMetric``: success / norm. precision / precision with the pytracking protocol."""
import json
import os
import os.path as osp
import time
import warnings
from typing import Dict, List, Optional, Sequence

import numpy as np
from mmengine.logging import MMLogger, print_log
from mmtrack.evaluation.metrics.base_video_metrics import BaseVideoMetric
from mmtrack.registry import METRICS

from ..functional.vl_sot_eval import PROTOCOLS, REPORT_INDEX, vl_sot_eval
from ..plots import CURVES_NPZ, RESULTS_JSON

#: Image folders that sit between the video folder and the frames (OTB/LaSOT ``img``,
#: TNL2K ``imgs``, VOT ``color``): the video name is the folder above them.
IMAGE_DIR_NAMES = ('img', 'imgs', 'color')


def video_name_from_path(img_path: str) -> str:
    """The video name of a frame, derived as mmtrack's ``SOTMetric`` does (plus ``imgs``).

    Args:
        img_path (str): Path of a frame, e.g. ``data/TNL2K/test/car_1/imgs/00001.jpg``.

    Returns:
        str: The frame's parent directory, or the one above it when the parent is one of
        ``img``, ``imgs``, ``color``.
    """
    parts = osp.normpath(img_path).replace('\\', '/').split('/')
    if len(parts) < 2:
        return osp.splitext(parts[-1])[0]
    if parts[-2] in IMAGE_DIR_NAMES and len(parts) >= 3:
        return parts[-3]
    return parts[-2]


def xyxy_to_xywh(box: np.ndarray) -> np.ndarray:
    """Convert (..., 4) ``x1, y1, x2, y2`` to ``x, y, w, h`` with ``w = x2 - x1``.

    mmtrack's datasets build ``x2 = x + w`` (no -1), so this recovers the original annotation.
    """
    box = np.asarray(box, dtype=np.float64)
    out = box.copy()
    out[..., 2:] = box[..., 2:] - box[..., :2]
    return out


def _to_numpy(x) -> np.ndarray:
    if hasattr(x, 'detach'):
        x = x.detach().cpu().numpy()
    return np.asarray(x, dtype=np.float64)


def write_boxes_txt(path: str, boxes: np.ndarray) -> None:
    """Write (N, 4) ``x, y, w, h`` boxes, one comma-separated line per frame (4 decimals)."""
    with open(path, 'w') as f:
        for b in np.asarray(boxes, dtype=np.float64).reshape(-1, 4):
            f.write(','.join(f'{v:.4f}' for v in b) + '\n')


@METRICS.register_module()
class VLSOTMetric(BaseVideoMetric):
    """One-pass evaluation of (vision-language) single-object tracking.

    Scores with :func:`satracker.evaluation.functional.vl_sot_eval` (pytracking protocol by
    default: DESIGN §7), in O(frames) memory. It consumes the data samples the way mmtrack's
    ``SOTMetric`` does (test batch size 1, frames of a video in order on one rank): each sample
    is a ``to_dict()``-ed ``TrackDataSample`` with ``pred_track_instances['bboxes']`` (1, 4)
    xyxy in original-image pixels and the metainfo ``instances[0]['bbox']`` (GT xyxy, possibly
    invalid, kept raw), ``instances[0]['visible']``, ``frame_id``, ``video_length``,
    ``video_id`` and ``img_path``. A video is complete at ``frame_id == video_length - 1``;
    the per-video results are gathered across ranks by ``BaseVideoMetric`` and scored on rank
    0, sorted by ``video_id`` so that any sharding gives the same numbers.

    Reported keys (prefix ``sot``): ``success`` (AUC, %), ``norm_precision`` (%),
    ``precision`` (% at 20 px).

    Files written when ``out_dir`` (or ``outfile_prefix``) is set, all in that folder:

    - ``<video>.txt``: the raw predictions, one ``x,y,w,h`` line per frame (4 decimals), the
      format of pytracking / the LaSOT and TNL2K toolkits;
    - ``vl_sot_eval.json``: ``tracker_name``, ``protocol``, ``use_visibility``, ``success``,
      ``norm_precision``, ``precision``, ``num_videos``, ``num_frames``, ``ms_per_frame``
      (wall-clock time between consecutive samples of a video, data loading included; the
      first frame of each video, the initialisation, is not counted; ``null`` if unknown),
      ``thresholds`` and mean ``curves`` (dicts with keys ``success``, ``precision``,
      ``norm_precision``; curves in %), and ``videos``: a list of
      ``{name, num_frames, success, precision, norm_precision}`` per video;
    - ``vl_sot_curves.npz``: ``video_names`` (V,), ``video_success`` (V, 21),
      ``video_precision`` (V, 51), ``video_norm_precision`` (V, 51) (fractions in [0, 1]),
      ``success_thresholds``, ``precision_thresholds``, ``norm_precision_thresholds`` and
      ``protocol``.

    Args:
        use_visibility (bool): Score not-visible frames as misses (LaSOT's rule, the
            ``only_eval_visible`` of ``SOTMetric``). Defaults to False.
        protocol (str): ``'pytracking'`` or ``'tnl2k_official'``. Defaults to 'pytracking'.
        out_dir (str, optional): Folder for the files above. Defaults to None (nothing saved).
        outfile_prefix (str, optional): ``SOTMetric``'s name for ``out_dir``; give one of them.
        tracker_name (str, optional): Stored in the JSON (``compare_trackers.py`` uses it as
            the default legend name). Defaults to the folder name of ``out_dir``.
        format_only (bool): Only write ``<video>.txt`` (no GT needed, no scores).
            Defaults to False.
        collect_device (str): Device to collect results across ranks ('cpu').
        prefix (str, optional): Metric-name prefix; defaults to ``'sot'``.
    """
    default_prefix: Optional[str] = 'sot'

    def __init__(self,
                 use_visibility: bool = False,
                 protocol: str = 'pytracking',
                 out_dir: Optional[str] = None,
                 outfile_prefix: Optional[str] = None,
                 tracker_name: Optional[str] = None,
                 format_only: bool = False,
                 collect_device: str = 'cpu',
                 prefix: Optional[str] = None) -> None:
        super().__init__(collect_device=collect_device, prefix=prefix)
        if protocol not in PROTOCOLS:
            raise ValueError(f'protocol must be one of {PROTOCOLS}, got {protocol!r}')
        if out_dir is not None and outfile_prefix is not None and \
                osp.normpath(out_dir) != osp.normpath(outfile_prefix):
            raise ValueError('give either out_dir or outfile_prefix, not two different ones')
        self.use_visibility = use_visibility
        self.protocol = protocol
        self.out_dir = out_dir if out_dir is not None else outfile_prefix
        if format_only and self.out_dir is None:
            raise ValueError('format_only=True needs out_dir to write the results to')
        self.format_only = format_only
        self.tracker_name = tracker_name
        self._videos: Dict = {}
        self._last_time: Optional[float] = None

    # ------------------------------------------------------------------ collection
    def process(self, data_batch: dict, data_samples: Sequence[dict]) -> None:
        """Store the prediction and GT of each frame; emit a result when a video ends.

        Args:
            data_batch (dict): A batch from the dataloader (unused).
            data_samples (Sequence[dict]): ``to_dict()``-ed ``TrackDataSample`` s.
        """
        now = time.perf_counter()
        elapsed = None if self._last_time is None else now - self._last_time
        self._last_time = now
        for data_sample in data_samples:
            video_id = data_sample.get('video_id', None)
            img_path = data_sample['img_path']
            if isinstance(img_path, (list, tuple)):
                img_path = img_path[0]
            key = video_id if video_id is not None else video_name_from_path(img_path)
            video = self._videos.setdefault(
                key,
                dict(video_name=video_name_from_path(img_path), video_id=video_id, frames={},
                     time_s=0.0, timed_frames=0))
            frame_id = int(data_sample['frame_id'])

            pred = data_sample['pred_track_instances']['bboxes']
            pred = _to_numpy(pred).reshape(-1, 4)
            pred_xywh = xyxy_to_xywh(pred[0]) if len(pred) else np.zeros(4)

            instances = data_sample.get('instances', None) or []
            gt_xywh, visible = None, True
            if len(instances) and 'bbox' in instances[0]:
                gt_xywh = xyxy_to_xywh(_to_numpy(instances[0]['bbox']).reshape(4))
                visible = bool(instances[0].get('visible', True))
            video['frames'][frame_id] = (pred_xywh, gt_xywh, visible)
            if elapsed is not None and frame_id > 0 and len(data_samples) == 1:
                video['time_s'] += elapsed
                video['timed_frames'] += 1

            if frame_id == int(data_sample['video_length']) - 1:
                self.results.append(self._finish_video(key))

    def _finish_video(self, key) -> dict:
        video = self._videos.pop(key)
        frame_ids = sorted(video['frames'])
        preds = np.stack([video['frames'][i][0] for i in frame_ids])
        gts = [video['frames'][i][1] for i in frame_ids]
        has_gt = all(g is not None for g in gts)
        return dict(
            video_name=video['video_name'],
            video_id=video['video_id'],
            frame_ids=np.asarray(frame_ids),
            pred_bboxes=preds,
            gt_bboxes=np.stack(gts) if has_gt else None,
            visible=np.array([video['frames'][i][2] for i in frame_ids], dtype=bool),
            time_s=video['time_s'],
            timed_frames=video['timed_frames'])

    # ------------------------------------------------------------------ scoring
    def evaluate(self, size: int) -> dict:
        """Gather the videos of all ranks, score them on rank 0 and broadcast the metrics.

        Args:
            size (int): Length of the dataset (unused by video metrics).

        Returns:
            dict: The metrics with the ``sot/`` prefix.
        """
        if self._videos:
            warnings.warn(f'{len(self._videos)} videos did not reach their last frame and are '
                          'not scored')
            self._videos.clear()
        self._last_time = None
        return super().evaluate(size)

    @staticmethod
    def _sorted_unique(results: List[dict]) -> List[dict]:
        """Sort videos by id (then name) and drop duplicates (e.g. sampler padding)."""

        def sort_key(r):
            vid = r.get('video_id')
            return (0, vid, r['video_name']) if vid is not None else (1, 0, r['video_name'])

        out, seen = [], set()
        for r in sorted(results, key=sort_key):
            key = (r.get('video_id'), r['video_name'])
            if key in seen:
                warnings.warn(f'video {r["video_name"]} was evaluated twice; keeping one')
                continue
            seen.add(key)
            out.append(r)
        return out

    def compute_metrics(self, results: List[dict]) -> Dict[str, float]:
        """Score the collected videos and write the result files.

        Args:
            results (list[dict]): One dict per video (from all ranks).

        Returns:
            dict: ``success``, ``norm_precision``, ``precision`` (%), or ``{}`` when
            ``format_only``.
        """
        logger: MMLogger = MMLogger.get_current_instance()
        results = self._sorted_unique(results)
        names = [r['video_name'] for r in results]
        if len(set(names)) != len(names):
            warnings.warn('several videos share a name; their <video>.txt files overwrite '
                          'each other')
        if self.out_dir is not None:
            os.makedirs(self.out_dir, exist_ok=True)
            for r in results:
                write_boxes_txt(osp.join(self.out_dir, f'{r["video_name"]}.txt'),
                                r['pred_bboxes'])
            print_log(f'wrote {len(results)} result files to {self.out_dir}', logger=logger)
        if self.format_only:
            return dict()

        missing = [r['video_name'] for r in results if r['gt_bboxes'] is None]
        if missing:
            raise ValueError(f'no ground truth for videos {missing[:5]}...; use '
                             'format_only=True to only write the results')
        ev = vl_sot_eval([r['pred_bboxes'] for r in results],
                         [r['gt_bboxes'] for r in results],
                         [r['visible'] for r in results] if self.use_visibility else None,
                         protocol=self.protocol,
                         video_names=names)
        timed = sum(r.get('timed_frames', 0) for r in results)
        ms_per_frame = (1000.0 * sum(r.get('time_s', 0.0) for r in results) / timed
                        if timed else None)
        metrics = dict(
            success=ev['success'],
            norm_precision=ev['norm_precision'],
            precision=ev['precision'])
        print_log(
            f'VLSOTMetric ({self.protocol}, {len(results)} videos, '
            f'{sum(len(r["pred_bboxes"]) for r in results)} frames): '
            + ', '.join(f'{k} {v:.2f}' for k, v in metrics.items())
            + (f', {ms_per_frame:.1f} ms/frame' if ms_per_frame is not None else ''),
            logger=logger)
        if self.out_dir is not None:
            self._dump(results, ev, ms_per_frame)
        return metrics

    def _dump(self, results: List[dict], ev: dict, ms_per_frame: Optional[float]) -> None:
        names = [r['video_name'] for r in results]
        if self.protocol == 'tnl2k_official':
            video_npre = ev['video_norm_precision'].mean(axis=1)
        else:
            video_npre = ev['video_norm_precision'][:, REPORT_INDEX]
        videos = [
            dict(name=n, num_frames=int(len(r['gt_bboxes'])),
                 success=float(ev['video_success'][i].mean() * 100),
                 precision=float(ev['video_precision'][i, REPORT_INDEX] * 100),
                 norm_precision=float(video_npre[i] * 100))
            for i, (n, r) in enumerate(zip(names, results))
        ]
        summary = dict(
            tracker_name=self.tracker_name or osp.basename(osp.normpath(self.out_dir)),
            protocol=self.protocol,
            use_visibility=self.use_visibility,
            success=ev['success'],
            norm_precision=ev['norm_precision'],
            precision=ev['precision'],
            num_videos=len(results),
            num_frames=int(sum(len(r['gt_bboxes']) for r in results)),
            ms_per_frame=ms_per_frame,
            thresholds=dict(
                success=ev['success_thresholds'].tolist(),
                precision=ev['precision_thresholds'].tolist(),
                norm_precision=ev['norm_precision_thresholds'].tolist()),
            curves=dict(
                success=ev['success_curve'].tolist(),
                precision=ev['precision_curve'].tolist(),
                norm_precision=ev['norm_precision_curve'].tolist()),
            videos=videos)
        with open(osp.join(self.out_dir, RESULTS_JSON), 'w') as f:
            json.dump(summary, f, indent=1)
        np.savez(
            osp.join(self.out_dir, CURVES_NPZ),
            video_names=np.array(names),
            video_success=ev['video_success'],
            video_precision=ev['video_precision'],
            video_norm_precision=ev['video_norm_precision'],
            success_thresholds=ev['success_thresholds'],
            precision_thresholds=ev['precision_thresholds'],
            norm_precision_thresholds=ev['norm_precision_thresholds'],
            protocol=np.array(self.protocol))
