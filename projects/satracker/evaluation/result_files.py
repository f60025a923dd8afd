# Copyright (c) SATracker authors. Licensed under the Apache License 2.0.
"""The result files of a tracker run: how they are named, written and read back.

:class:`~satracker.evaluation.metrics.VLSOTMetric` writes a result folder with the writers of
this module; ``tools/analysis_tools/compare_trackers.py`` and the demo read it back with
:func:`load_tracker_result`. A result folder (``VLSOTMetric(out_dir=...)``) holds:

- ``<video>.txt``: the raw predictions, one ``x,y,w,h`` line per frame (4 decimals), the
  format of pytracking and of the LaSOT / TNL2K toolkits (:func:`write_boxes_txt`); with
  GOT-10k's server layout, ``<video>/<video>_001.txt`` and ``<video>/<video>_time.txt``;
- ``vl_sot_eval.json`` (:data:`RESULTS_JSON`): ``tracker_name``, ``protocol``,
  ``use_visibility``, ``success``, ``norm_precision``, ``precision``, ``num_videos``,
  ``num_frames``, ``ms_per_frame`` (or ``null``), ``thresholds`` and mean ``curves`` (dicts
  with keys ``success``, ``precision``, ``norm_precision``; curves in %), and ``videos``: a
  list of ``{name, num_frames, success, precision, norm_precision}``;
- ``vl_sot_curves.npz`` (:data:`CURVES_NPZ`): ``video_names`` (V,), ``video_success``
  (V, 21), ``video_precision`` (V, 51), ``video_norm_precision`` (V, 51) (fractions in
  [0, 1]), the three ``*_thresholds`` and ``protocol``.

A *tracker result*, what :func:`load_tracker_result` returns, is a dict with ``name``,
``success``, ``norm_precision``, ``precision`` (%), ``ms_per_frame`` (float or None),
``protocol``, ``num_videos``, ``video_names``, ``curves`` and ``thresholds`` (dicts with
keys ``success``, ``precision``, ``norm_precision``; curves in %).

The scores themselves come from :mod:`satracker.evaluation.functional`; this module only
stores and reads them (numpy and json, no mmtrack).
"""
import glob
import json
import os
import os.path as osp
import re
from typing import Dict, List, Optional, Sequence

import numpy as np

from .functional.vl_sot_eval import PROTOCOLS, video_scores, vl_sot_eval

#: File names of the summary and of the per-video curves, next to the ``<video>.txt`` files.
RESULTS_JSON = 'vl_sot_eval.json'
CURVES_NPZ = 'vl_sot_curves.npz'
#: The three curves of a result, in the order of the JSON's dicts.
CURVE_KEYS = ('success', 'precision', 'norm_precision')

#: Image folders that sit between the video folder and the frames (OTB/LaSOT ``img``,
#: TNL2K ``imgs``, VOT ``color``): the video name is the folder above them.
IMAGE_DIR_NAMES = ('img', 'imgs', 'color')


# ---------------------------------------------------------------------- video names
def video_name_from_dir(video_dir: str) -> str:
    """The name of a video from its folder: the folder's name, or the one above it when it
    is an image folder (``img``, ``imgs``, ``color``).

    The one naming rule of the project: the datasets name their videos with it and
    :func:`video_name_from_path` applies it to a frame's folder.

    Args:
        video_dir (str): A video folder, e.g. ``LaSOT/airplane/airplane-1/img``.

    Returns:
        str: The video name (``airplane-1``); ``''`` for an empty path.
    """
    parts = [p for p in osp.normpath(video_dir).replace('\\', '/').split('/') if p not in ('', '.')]
    if len(parts) >= 2 and parts[-1] in IMAGE_DIR_NAMES:
        return parts[-2]
    return parts[-1] if parts else ''


def video_name_from_path(img_path: str) -> str:
    """The video name of a frame, derived as mmtrack's ``SOTMetric`` does (plus ``imgs``).

    Args:
        img_path (str): Path of a frame, e.g. ``data/TNL2K/test/car_1/imgs/00001.jpg``.

    Returns:
        str: :func:`video_name_from_dir` of the frame's folder (``car_1``); the file name
        without extension for a bare file name.
    """
    video_dir = osp.dirname(osp.normpath(img_path).replace('\\', '/'))
    return video_name_from_dir(video_dir) or osp.splitext(osp.basename(img_path))[0]


def unique_video_names(names: Sequence[str]) -> List[str]:
    """Make the video names unique by numbering repeated ones in order: ``name-1``, ``name-2``.

    Two videos can share a name when it is derived from the image folder (MMTracking's OTB100
    keeps Jogging-1 and Jogging-2 in one folder ``Jogging``): each gets its own result file.
    Names that are already unique are kept; a numbered name never takes one that exists.

    Args:
        names (Sequence[str]): One name per video, in the order of the videos.

    Returns:
        list[str]: The names, repeated ones numbered from 1 in order.
    """
    counts: Dict[str, int] = {}
    for name in names:
        counts[name] = counts.get(name, 0) + 1
    taken = set(names)
    out, next_index = [], {}
    for name in names:
        if counts[name] == 1:
            out.append(name)
            continue
        k = next_index.get(name, 1)
        while f'{name}-{k}' in taken:
            k += 1
        next_index[name] = k + 1
        taken.add(f'{name}-{k}')
        out.append(f'{name}-{k}')
    return out


# ---------------------------------------------------------------------- writing
def write_boxes_txt(path: str, boxes: np.ndarray) -> None:
    """Write (N, 4) ``x, y, w, h`` boxes, one comma-separated line per frame (4 decimals)."""
    with open(path, 'w') as f:
        for b in np.asarray(boxes, dtype=np.float64).reshape(-1, 4):
            f.write(','.join(f'{v:.4f}' for v in b) + '\n')


def write_track_results(folder: str,
                        video_names: Sequence[str],
                        boxes: Sequence[np.ndarray],
                        got10k: bool = False) -> None:
    """Write the predictions of each video: ``<video>.txt`` or GOT-10k's server layout.

    Args:
        folder (str): Output folder (created).
        video_names (Sequence[str]): One unique name per video.
        boxes (Sequence[np.ndarray]): One (N_v, 4) ``x, y, w, h`` array per video.
        got10k (bool): ``<video>/<video>_001.txt`` plus ``<video>/<video>_time.txt`` (no
            per-frame time is recorded, as in MMTracking's ``SOTMetric``) instead of
            ``<video>.txt``.
    """
    os.makedirs(folder, exist_ok=True)
    for name, video_boxes in zip(video_names, boxes):
        if got10k:
            os.makedirs(osp.join(folder, name), exist_ok=True)
            write_boxes_txt(osp.join(folder, name, f'{name}_001.txt'), video_boxes)
            with open(osp.join(folder, name, f'{name}_time.txt'), 'w') as f:
                f.write('0.0001\n' * len(video_boxes))
        else:
            write_boxes_txt(osp.join(folder, f'{name}.txt'), video_boxes)


def write_eval_files(out_dir: str, ev: dict, video_names: Sequence[str],
                     video_num_frames: Sequence[int], tracker_name: str, use_visibility: bool,
                     ms_per_frame: Optional[float]) -> None:
    """Write ``vl_sot_eval.json`` and ``vl_sot_curves.npz`` (see the module docstring).

    Args:
        out_dir (str): The result folder (exists).
        ev (dict): The output of :func:`~satracker.evaluation.functional.vl_sot_eval`.
        video_names (Sequence[str]): The V video names, in the order of ``ev``'s videos.
        video_num_frames (Sequence[int]): Annotated frames of each video.
        tracker_name (str): Stored as ``tracker_name`` (the default legend name).
        use_visibility (bool): Whether not-visible frames were scored as misses.
        ms_per_frame (float, optional): Mean tracking time per frame.
    """
    success, norm_precision, precision = video_scores(ev)
    videos = [
        dict(
            name=n,
            num_frames=int(f),
            success=float(success[i]),
            precision=float(precision[i]),
            norm_precision=float(norm_precision[i]))
        for i, (n, f) in enumerate(zip(video_names, video_num_frames))
    ]
    summary = dict(
        tracker_name=tracker_name,
        protocol=ev['protocol'],
        use_visibility=use_visibility,
        success=ev['success'],
        norm_precision=ev['norm_precision'],
        precision=ev['precision'],
        num_videos=len(video_names),
        num_frames=int(sum(video_num_frames)),
        ms_per_frame=ms_per_frame,
        thresholds={k: ev[f'{k}_thresholds'].tolist()
                    for k in CURVE_KEYS},
        curves={k: ev[f'{k}_curve'].tolist()
                for k in CURVE_KEYS},
        videos=videos)
    with open(osp.join(out_dir, RESULTS_JSON), 'w') as f:
        json.dump(summary, f, indent=1)
    np.savez(
        osp.join(out_dir, CURVES_NPZ),
        video_names=np.array(list(video_names)),
        **{f'video_{k}': ev[f'video_{k}']
           for k in CURVE_KEYS},
        **{f'{k}_thresholds': ev[f'{k}_thresholds']
           for k in CURVE_KEYS},
        protocol=np.array(ev['protocol']))


def write_sot_eval_res_file(path: str, tracker_name: str, ev: dict) -> None:
    """MMTracking ``SOTMetric``'s ``saved_eval_res_file``: the mean curves (%) per tracker.

    Args:
        path (str): ``.json``, ``.yml``/``.yaml`` or ``.pkl`` file (its folder is created).
        tracker_name (str): The key of the file's only entry.
        ev (dict): The output of :func:`~satracker.evaluation.functional.vl_sot_eval`.
    """
    import mmengine
    if osp.dirname(path):
        os.makedirs(osp.dirname(path), exist_ok=True)
    mmengine.dump(
        {
            tracker_name:
            dict(
                success=ev['success_curve'],
                norm_precision=ev['norm_precision_curve'],
                precision=ev['precision_curve'])
        }, path)


# ---------------------------------------------------------------------- reading
def load_boxes_txt(path: str) -> np.ndarray:
    """Read boxes, one frame per line, numbers separated by commas, tabs or spaces.

    Args:
        path (str): A ``<video>.txt`` file (``x,y,w,h`` per line; ``NaN`` allowed).

    Returns:
        np.ndarray: (N, 4) float64.
    """
    rows = []
    with open(path) as f:
        for line in f:
            line = line.strip()
            if not line:
                continue
            rows.append([float(v) for v in re.split(r'[,\t ]+', line)][:4])
    return np.asarray(rows, dtype=np.float64).reshape(-1, 4)


def load_flags_txt(path: str) -> np.ndarray:
    """Read 0/1 flags (one per frame, separated by newlines or commas) as a bool array."""
    with open(path) as f:
        values = [v for v in re.split(r'[,\s]+', f.read().strip()) if v]
    return np.asarray([float(v) != 0 for v in values], dtype=bool)


def _result_from_eval(name: str, ev: dict, video_names: List[str],
                      ms_per_frame: Optional[float]) -> dict:
    return dict(
        name=name,
        success=float(ev['success']),
        norm_precision=float(ev['norm_precision']),
        precision=float(ev['precision']),
        ms_per_frame=ms_per_frame,
        protocol=ev['protocol'],
        num_videos=len(video_names),
        video_names=list(video_names),
        curves={k: np.asarray(ev[f'{k}_curve'], dtype=np.float64)
                for k in CURVE_KEYS},
        thresholds={k: np.asarray(ev[f'{k}_thresholds'], dtype=np.float64)
                    for k in CURVE_KEYS})


def load_tracker_result(result_dir: str,
                        name: Optional[str] = None,
                        gt_dir: Optional[str] = None,
                        absent_dir: Optional[str] = None,
                        protocol: Optional[str] = None) -> dict:
    """Load (or compute) the scores and mean curves of one tracker.

    Without ``gt_dir`` the numbers and curves come from the ``vl_sot_eval.json`` that
    :class:`VLSOTMetric` wrote in ``result_dir`` (no ground truth needed). With ``gt_dir``
    they are computed from ``<result_dir>/<video>.txt`` against ``<gt_dir>/<video>.txt`` for
    every ``.txt`` in ``gt_dir`` (boxes ``x, y, w, h``), with
    :func:`~satracker.evaluation.functional.vl_sot_eval`.

    Args:
        result_dir (str): A folder written by ``VLSOTMetric`` (or any folder of
            ``<video>.txt`` predictions when ``gt_dir`` is given).
        name (str, optional): Display name; defaults to the JSON's ``tracker_name``, else the
            folder name.
        gt_dir (str, optional): Folder of ``<video>.txt`` ground-truth files.
        absent_dir (str, optional): Folder of ``<video>.txt`` 0/1 flags, 1 = target absent
            (the LaSOT/TNL2K toolkits' ``absent`` files); absent frames are misses. Only with
            ``gt_dir``.
        protocol (str, optional): Protocol for ``gt_dir`` scoring (default ``'pytracking'``);
            with the JSON it must match the stored one if given.

    Returns:
        dict: A tracker result (see the module docstring).
    """
    json_path = osp.join(result_dir, RESULTS_JSON)
    stored = None
    if osp.isfile(json_path):
        with open(json_path) as f:
            stored = json.load(f)
    default_name = (stored or {}).get('tracker_name') or osp.basename(osp.normpath(result_dir))
    name = name or default_name
    if gt_dir is None:
        if stored is None:
            raise FileNotFoundError(
                f'{json_path} not found: point to a folder written by VLSOTMetric(out_dir=...) '
                'or pass --gt-dir with <video>.txt ground-truth files')
        if protocol is not None and protocol != stored['protocol']:
            raise ValueError(f'{json_path} was scored with protocol {stored["protocol"]!r}, '
                             f'not {protocol!r}; pass --gt-dir to rescore')
        ev = dict(
            success=stored['success'],
            norm_precision=stored['norm_precision'],
            precision=stored['precision'],
            protocol=stored['protocol'])
        for k in CURVE_KEYS:
            ev[f'{k}_curve'] = stored['curves'][k]
            ev[f'{k}_thresholds'] = stored['thresholds'][k]
        video_names = [v['name'] for v in stored.get('videos', [])]
        return _result_from_eval(name, ev, video_names, stored.get('ms_per_frame'))

    protocol = protocol or 'pytracking'
    if protocol not in PROTOCOLS:
        raise ValueError(f'protocol must be one of {PROTOCOLS}, got {protocol!r}')
    gt_files = sorted(glob.glob(osp.join(gt_dir, '*.txt')))
    if not gt_files:
        raise FileNotFoundError(f'no <video>.txt ground-truth files in {gt_dir}')
    video_names = [osp.splitext(osp.basename(p))[0] for p in gt_files]
    missing = [v for v in video_names if not osp.isfile(osp.join(result_dir, f'{v}.txt'))]
    if missing:
        raise FileNotFoundError(f'{len(missing)} videos of {gt_dir} have no result in '
                                f'{result_dir}: {missing[:5]}')
    preds = [load_boxes_txt(osp.join(result_dir, f'{v}.txt')) for v in video_names]
    gts = [load_boxes_txt(p) for p in gt_files]
    visible = None
    if absent_dir is not None:
        visible = [~load_flags_txt(osp.join(absent_dir, f'{v}.txt')) for v in video_names]
    ev = vl_sot_eval(preds, gts, visible, protocol=protocol, video_names=video_names)
    return _result_from_eval(name, ev, video_names, (stored or {}).get('ms_per_frame'))
