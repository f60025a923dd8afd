# Copyright (c) SATracker authors. Licensed under the Apache License 2.0.
"""``VLSOTMetric``: success / norm. precision / precision with the pytracking protocol."""
import os.path as osp
import time
import warnings
from typing import Dict, List, Optional, Sequence, Union

import numpy as np
from mmengine.logging import MMLogger, print_log
from mmtrack.evaluation.metrics.base_video_metrics import BaseVideoMetric
from mmtrack.registry import METRICS

from ..functional.vl_sot_eval import PROTOCOLS, video_scores, vl_sot_eval
# The result-file names and writers; also importable from here, as before.
# yapf: disable  (isort wraps this import; yapf would move the noqa comment)
from ..result_files import (CURVES_NPZ, IMAGE_DIR_NAMES, RESULTS_JSON,  # noqa: F401
                            unique_video_names, video_name_from_path, write_boxes_txt,
                            write_eval_files, write_sot_eval_res_file, write_track_results)

# yapf: enable


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


#: ``metric_options`` keys of MMTracking's ``SOTMetric``; both are honoured (see VLSOTMetric).
SOT_METRIC_OPTIONS = ('only_eval_visible', 'dataset_type')
#: ``options_after_eval`` keys of MMTracking's ``SOTMetric``; all are honoured.
SOT_AFTER_EVAL_OPTIONS = ('saved_eval_res_file', 'tracker_name', 'eval_show_video_indices')


@METRICS.register_module()
class VLSOTMetric(BaseVideoMetric):
    """One-pass evaluation of (vision-language) single-object tracking.

    Scores with :func:`satracker.evaluation.functional.vl_sot_eval` (pytracking protocol by
    default: see docs/evaluation.md), in O(frames) memory. It consumes the data samples the
    way mmtrack's ``SOTMetric`` does (test batch size 1, frames of a video in order on one
    rank): each sample is a ``to_dict()``-ed ``TrackDataSample`` with
    ``pred_track_instances['bboxes']`` (1, 4) xyxy in original-image pixels and the metainfo
    ``instances[0]['bbox']`` (GT xyxy, possibly invalid, kept raw),
    ``instances[0]['visible']``, ``frame_id``, ``video_length``, ``video_id``, ``img_path``
    and, from SATracker's datasets, ``video_name``. A video is complete at
    ``frame_id == video_length - 1``; the per-video results are gathered across ranks by
    ``BaseVideoMetric`` and scored on rank 0, sorted by ``video_id`` so that any sharding
    gives the same numbers.

    Reported keys (prefix ``vlsot``): ``vlsot/success`` (AUC, %), ``vlsot/norm_precision``
    (%), ``vlsot/precision`` (% at 20 px). The prefix differs from ``SOTMetric``'s ``sot``
    on purpose: the protocols differ (valid-frame rule, invalid ground truth, ...), so the
    two metrics can run side by side in one evaluator and a ``save_best='vlsot/success'``
    never picks up ``SOTMetric``'s number. ``prefix='sot'`` restores the old keys.

    A drop-in for ``SOTMetric`` in MMTracking's SOT configs: its constructor options are
    accepted (only one-pass evaluation, ``metric='OPE'``, is implemented):

    - ``metric_options=dict(only_eval_visible=...)`` is ``use_visibility``;
      ``dataset_type`` is only used, as in ``SOTMetric``, with ``format_only``:
      ``'got10k'`` writes the GOT-10k server layout
      (``<video>/<video>_001.txt`` + ``<video>_time.txt``), anything else the flat
      ``<video>.txt`` layout (TrackingNet, LaSOT, TNL2K toolkits); unlike ``SOTMetric``
      the folder is not zipped;
    - ``saved_track_res_path``: also write the ``<video>.txt`` files there;
    - ``options_after_eval``: ``tracker_name``; ``saved_eval_res_file`` (``.json``,
      ``.yml``/``.yaml`` or ``.pkl``: ``{tracker_name: {success, norm_precision,
      precision}}``, the mean curves in % as ``SOTMetric`` writes them, this metric's
      protocol); ``eval_show_video_indices`` (log a per-video table, best first).

    Files written when ``out_dir`` (or ``outfile_prefix``) is set, all in that folder (their
    format: :mod:`satracker.evaluation.result_files`, which also reads them back):

    - ``<video>.txt``: the raw predictions, one ``x,y,w,h`` line per frame. ``<video>`` is the
      dataset's ``video_name`` when the samples carry it (SATracker's datasets: ``Jogging-1``
      and ``Jogging-2`` of OTB share a folder), else derived from the image path as
      ``SOTMetric`` does; videos that still share a name are numbered ``name-1``,
      ``name-2`` in dataset order (with a warning), so every video gets its own file;
    - ``vl_sot_eval.json``: the scores, mean curves and per-video scores; its
      ``ms_per_frame`` is the wall-clock time between consecutive samples of a video, data
      loading included (the first frame of each video, the initialisation, is not counted;
      ``null`` if unknown);
    - ``vl_sot_curves.npz``: the per-video curves.

    Args:
        use_visibility (bool, optional): Score not-visible frames as misses (LaSOT's rule,
            ``SOTMetric``'s ``only_eval_visible``). Defaults to None: the
            ``metric_options`` value, else False.
        protocol (str): ``'pytracking'`` or ``'tnl2k_official'``. Defaults to 'pytracking'.
        out_dir (str, optional): Folder for the files above. Defaults to None (nothing saved).
        outfile_prefix (str, optional): ``SOTMetric``'s name for ``out_dir``; give one of them.
        tracker_name (str, optional): Stored in the JSON (``compare_trackers.py`` uses it as
            the default legend name). Defaults to the folder name of ``out_dir``.
        format_only (bool): Only write the result files (no GT needed, no scores).
            Defaults to False.
        metric (str | list[str]): ``SOTMetric``'s; only ``'OPE'``. Defaults to 'OPE'.
        metric_options (dict, optional): ``SOTMetric``'s (see above).
        saved_track_res_path (str, optional): ``SOTMetric``'s (see above).
        options_after_eval (dict, optional): ``SOTMetric``'s (see above).
        collect_device (str): Device to collect results across ranks ('cpu').
        prefix (str, optional): Metric-name prefix; defaults to ``'vlsot'``.
    """
    default_prefix: Optional[str] = 'vlsot'

    def __init__(self,
                 use_visibility: Optional[bool] = None,
                 protocol: str = 'pytracking',
                 out_dir: Optional[str] = None,
                 outfile_prefix: Optional[str] = None,
                 tracker_name: Optional[str] = None,
                 format_only: bool = False,
                 metric: Union[str, Sequence[str]] = 'OPE',
                 metric_options: Optional[dict] = None,
                 saved_track_res_path: Optional[str] = None,
                 options_after_eval: Optional[dict] = None,
                 collect_device: str = 'cpu',
                 prefix: Optional[str] = None) -> None:
        super().__init__(collect_device=collect_device, prefix=prefix)
        if protocol not in PROTOCOLS:
            raise ValueError(f'protocol must be one of {PROTOCOLS}, got {protocol!r}')
        metrics = [metric] if isinstance(metric, str) else list(metric)
        if metrics != ['OPE']:
            raise ValueError(f"VLSOTMetric: metric={metric!r}: only one-pass evaluation ('OPE') is "
                             "implemented; use MMTracking's SOTMetric for VOT's EAO / accuracy / "
                             'robustness')
        metric_options = dict(metric_options or {})
        unknown = sorted(set(metric_options) - set(SOT_METRIC_OPTIONS))
        if unknown:
            raise ValueError(f'VLSOTMetric: unknown metric_options {unknown}; SOTMetric\'s '
                             f'options are {list(SOT_METRIC_OPTIONS)}')
        options_after_eval = dict(options_after_eval or {})
        unknown = sorted(set(options_after_eval) - set(SOT_AFTER_EVAL_OPTIONS))
        if unknown:
            raise ValueError(f'VLSOTMetric: unknown options_after_eval {unknown}; '
                             f'SOTMetric\'s options are {list(SOT_AFTER_EVAL_OPTIONS)}')
        if 'only_eval_visible' in metric_options:
            visible = bool(metric_options['only_eval_visible'])
            if use_visibility is not None and bool(use_visibility) != visible:
                raise ValueError(f'VLSOTMetric: use_visibility={use_visibility} contradicts '
                                 f'metric_options.only_eval_visible={visible}; give one of them')
            use_visibility = visible
        if 'tracker_name' in options_after_eval:
            name = options_after_eval['tracker_name']
            if tracker_name is not None and tracker_name != name:
                raise ValueError(f'VLSOTMetric: tracker_name={tracker_name!r} contradicts '
                                 f'options_after_eval.tracker_name={name!r}; give one of them')
            tracker_name = name
        saved_eval_res_file = options_after_eval.get('saved_eval_res_file')
        suffixes = ('.json', '.yml', '.yaml', '.pkl')
        if saved_eval_res_file is not None and not str(saved_eval_res_file).endswith(suffixes):
            raise ValueError(f'VLSOTMetric: options_after_eval.saved_eval_res_file='
                             f'{saved_eval_res_file!r} must end in .json, .yml, .yaml or .pkl')
        if out_dir is not None and outfile_prefix is not None and \
                osp.normpath(out_dir) != osp.normpath(outfile_prefix):
            raise ValueError('give either out_dir or outfile_prefix, not two different ones')
        self.use_visibility = bool(use_visibility)
        self.protocol = protocol
        self.out_dir = out_dir if out_dir is not None else outfile_prefix
        if format_only and self.out_dir is None:
            raise ValueError('format_only=True needs out_dir (or outfile_prefix) to write the '
                             'results to')
        self.format_only = format_only
        self.tracker_name = tracker_name
        self.dataset_type = metric_options.get('dataset_type')
        self.saved_track_res_path = saved_track_res_path
        self.saved_eval_res_file = saved_eval_res_file
        self.eval_show_video_indices = options_after_eval.get('eval_show_video_indices')
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
            # SATracker's datasets name each video (OTB's Jogging-1/-2 share a folder);
            # MMTracking's give only the image path, from which SOTMetric derives the name.
            video_name = data_sample.get('video_name') or video_name_from_path(img_path)
            key = video_id if video_id is not None else video_name
            video = self._videos.setdefault(
                key,
                dict(
                    video_name=video_name, video_id=video_id, frames={}, time_s=0.0,
                    timed_frames=0))
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
            dict: The metrics with the prefix (``vlsot/`` by default).
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
        names = unique_video_names([r['video_name'] for r in results])
        renamed = [
            f'{r["video_name"]} -> {n}' for r, n in zip(results, names) if n != r['video_name']
        ]
        if renamed:
            warnings.warn('several videos share a name (derived from their image folder); '
                          'numbered in dataset order so that each gets its own result file: ' +
                          ', '.join(renamed))
        for r, name in zip(results, names):
            r['video_name'] = name
        if self.out_dir is not None:
            got10k = self.format_only and self.dataset_type == 'got10k'
            self._write_results(results, self.out_dir, got10k=got10k)
        if self.saved_track_res_path is not None:
            self._write_results(results, self.saved_track_res_path)
        if self.format_only:
            return dict()

        missing = [r['video_name'] for r in results if r['gt_bboxes'] is None]
        if missing:
            raise ValueError(f'no ground truth for videos {missing[:5]}...; use '
                             'format_only=True to only write the results')
        ev = vl_sot_eval([r['pred_bboxes'] for r in results], [r['gt_bboxes'] for r in results],
                         [r['visible'] for r in results] if self.use_visibility else None,
                         protocol=self.protocol,
                         video_names=names)
        timed = sum(r.get('timed_frames', 0) for r in results)
        ms_per_frame = (1000.0 * sum(r.get('time_s', 0.0)
                                     for r in results) / timed if timed else None)
        metrics = dict(
            success=ev['success'], norm_precision=ev['norm_precision'], precision=ev['precision'])
        print_log(
            f'VLSOTMetric ({self.protocol}, {len(results)} videos, '
            f'{sum(len(r["pred_bboxes"]) for r in results)} frames): ' +
            ', '.join(f'{k} {v:.2f}' for k, v in metrics.items()) +
            (f', {ms_per_frame:.1f} ms/frame' if ms_per_frame is not None else ''),
            logger=logger)
        if self.out_dir is not None:
            self._dump(results, ev, ms_per_frame)
        if self.saved_eval_res_file is not None:
            self._save_eval_res_file(ev)
        if self.eval_show_video_indices is not None:
            self._log_videos(results, ev)
        return metrics

    @staticmethod
    def _write_results(results: List[dict], folder: str, got10k: bool = False) -> None:
        """Write each video's predictions: ``<video>.txt`` or GOT-10k's server layout."""
        write_track_results(
            folder, [r['video_name'] for r in results], [r['pred_bboxes'] for r in results],
            got10k=got10k)
        print_log(
            f'wrote {len(results)} result files to {folder}',
            logger=MMLogger.get_current_instance())

    def _save_eval_res_file(self, ev: dict) -> None:
        """``SOTMetric``'s ``saved_eval_res_file``: the mean curves (%) per tracker name."""
        name = self.tracker_name or 'anonymous_tracker'
        write_sot_eval_res_file(self.saved_eval_res_file, name, ev)
        print_log(
            f'saved the mean curves of {name} to {self.saved_eval_res_file}',
            logger=MMLogger.get_current_instance())

    def _log_videos(self, results: List[dict], ev: dict) -> None:
        """``SOTMetric``'s ``eval_show_video_indices``: a per-video table, best first."""
        from mmtrack.utils import format_video_level_show
        from tabulate import tabulate
        rows = format_video_level_show([r['video_name'] for r in results],
                                       list(video_scores(ev)),
                                       sort_by_first_metric=True,
                                       show_indices=self.eval_show_video_indices)
        print_log(
            '\n' + tabulate(rows, headers=['video_name', 'success', 'norm_precision', 'precision']),
            logger=MMLogger.get_current_instance())

    def _dump(self, results: List[dict], ev: dict, ms_per_frame: Optional[float]) -> None:
        """``vl_sot_eval.json`` and ``vl_sot_curves.npz`` in ``out_dir``."""
        write_eval_files(
            self.out_dir,
            ev, [r['video_name'] for r in results], [len(r['gt_bboxes']) for r in results],
            tracker_name=self.tracker_name or osp.basename(osp.normpath(self.out_dir)),
            use_visibility=self.use_visibility,
            ms_per_frame=ms_per_frame)
