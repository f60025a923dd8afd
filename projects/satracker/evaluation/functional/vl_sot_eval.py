# Copyright (c) SATracker authors. Licensed under the Apache License 2.0.
"""One-pass evaluation (OPE) of single-object tracking: success, precision, norm. precision.

Two protocols are implemented (own code, written from reading the reference tools):

``'pytracking'`` (default) reproduces the analysis code that the STARK / OSTrack / MixFormer line
of trackers (and the SATracker paper) report with, i.e. pytracking's
``pytracking/analysis/extract_results.py`` (``calc_seq_err_robust``, ``calc_err_center``,
``calc_iou_overlap``, ``extract_results``) and ``plot_results.py`` (``get_auc_curve``,
``get_prec_curve``), with OSTrack's valid-frame rule (docs/evaluation.md):

1. boxes are ``x, y, w, h``; a prediction with zero width or height takes the previous frame's
   prediction (after that replacement, so a run of them chains back to the last good one); this
   is skipped on frames whose GT row holds a NaN; it is done *before* the length check and
   *before* the first-frame rule, so a zero-size prediction on frame 1 copies the tracker's raw
   frame-0 output, not the GT;
2. predictions longer than the GT are cut, shorter ones padded with zero boxes;
3. the first prediction is replaced by the first GT box;
4. a GT frame is valid when ``w > 0 and h > 0`` (OSTrack's rule; pytracking's own HEAD uses "all
   four numbers > 0"), and, when visibility is given (LaSOT), the target is visible; GT rows with
   NaN are invalid (pytracking raises, we warn);
5. centres are ``x + (w - 1) / 2``; the IoU uses the same inclusive-pixel convention
   (``x2 = x + w - 1``, intersection side ``x2 - x1 + 1`` clamped at 0, areas ``w * h``); the
   normalised centre error divides both centres by the GT ``(w, h)``;
6. every frame counts in the denominator (``exclude_invalid_frames=False``); an invalid frame
   scores IoU -1 (a miss), centre error +inf (a miss) and normalised centre error -1 (**a hit**:
   pytracking's quirk); with visibility given, not-visible frames get +inf for both errors;
7. success curve: thresholds ``0:0.05:1`` (21), ``IoU > t``; precision: ``0..50`` px,
   ``error <= t``; normalised precision: ``0..0.50`` in steps of 0.01, ``error <= t``;
   each curve is averaged over the frames of a video, then over the videos;
8. ``success`` = mean of the success curve (AUC), ``precision`` = the curve at 20 px,
   ``norm_precision`` = the curve at 0.20, all in %.

Deviation: pytracking refuses (raises) predictions with NaN or negative width/height; we warn
and treat such a frame as a zero-size prediction (it takes the previous prediction), which is
what the TNL2K toolkit does. A score that still comes out NaN (a NaN first output copied to
frame 1 before the first-frame rule) counts as a miss, as NaN comparisons do in both tools.

``'tnl2k_official'`` reproduces the official TNL2K MATLAB toolkit
(github.com/wangxiao5791509/TNL2K_evaluation_toolkit: ``evaluate_TNL2K_dataset.m``,
``utils/eval_tracker.m``, ``utils/calc_seq_err_robust.m``, ``utils/calc_rect_int.m``,
``utils/plot_draw_save.m``; itself derived from the LaSOT toolkit). Where it differs from the
above:

a. **normalised precision is the mean of its 51-point curve**: the toolkit as shipped
   (``norm_dst = true``, ``ranking_type = 'AUC'``) scores the normalised-distance plot by the
   mean of the curve, not by the 0.20 point. ``precision`` is reported at 20 px: the pixel plot
   needs ``norm_dst = false``, and the toolkit's comments switch ``ranking_type`` to
   ``'threshold'`` (``rank_idx = 21``, i.e. 20 px) for distance plots (with ``'AUC'`` it would
   be the mean of the 0..50 px curve, which no paper reports as PRE);
b. a GT frame is valid only when **all four** numbers are > 0 (``sum(rect_anno > 0, 2) == 4``),
   so boxes touching ``x = 0`` or ``y = 0`` are invalid;
c. an invalid frame scores centre error -1, i.e. **a hit for the pixel precision too** (and for
   the normalised one), and IoU -1 (a miss);
d. a prediction with NaN (or complex) values or with ``w <= 0`` or ``h <= 0`` takes the previous
   prediction (unless the GT row holds a NaN); pytracking only replaces zero sizes;
e. longer predictions are cut; **shorter ones are an error** (MATLAB indexing fails; we raise
   ``ValueError``), there is no padding;
f. absent (not-visible) frames are removed before scoring while the denominator stays the full
   length, so they are misses for every curve (the same outcome as pytracking's LaSOT rule);
   the valid rule (b) then applies to the remaining frames;
g. per-video counts are divided by ``len + eps`` (MATLAB's ``eps``);
h. when averaging over videos, a video whose curve sums to ``<= eps`` (all zeros) is
   **dropped** from that curve's mean (``aa(sum(aa, 2) > eps, :)`` in ``plot_draw_save.m``);
   such videos cannot occur for IoU / pixel curves with a valid first GT box (frame 0 always
   hits), so this matters only in corner cases (when every video is dropped MATLAB's mean
   is NaN; we report 0);
i. the IoU (``calc_rect_int.m``) uses MATLAB's ``max`` / ``min``, which ignore NaN: a NaN
   ``x`` or ``y`` left in a prediction (a NaN first output copied to frame 1 before the
   first-frame rule) gives a finite IoU over the GT's extent on that axis, where pytracking's
   gives NaN (a miss).

Verified (outside the test suite): on 1,800 random sets of 1-3
videos (invalid / NaN GT, absent frames, NaN, zero and negative sizes, longer results) this
protocol gives the same SUC / PRE / NPRE as the toolkit's own ``calc_seq_err_robust.m`` and
``calc_rect_int.m`` run in GNU Octave 7.3 with the counting of ``eval_tracker.m`` and the
averaging of ``plot_draw_save.m`` (differences <= 1e-15); and ``'pytracking'`` gives the same
per-video curves as pytracking's own ``calc_seq_err_robust`` (with OSTrack's valid rule) on
3,000 random videos with integer boxes (zero sizes, empty GT boxes, length mismatches,
visibility).

Thresholds: ``k * 0.05`` equals ``arange(0, 1.05, 0.05)`` (pytracking) and, checked in
Octave 7.3, ``0:0.05:1``; MATLAB's colon operator is not documented bit for bit, so an IoU
lying exactly on a threshold could in principle score differently there.

Everything is vectorised per video and linear in the number of frames (no n x n matrices).
"""
import warnings
from typing import Dict, List, Optional, Sequence, Tuple

import numpy as np

PROTOCOLS = ('pytracking', 'tnl2k_official')

#: Overlap thresholds 0, 0.05, ..., 1.0 (21), exactly as ``arange(0, 1.05, 0.05)``.
SUCCESS_THRESHOLDS = np.arange(21, dtype=np.float64) * 0.05
#: Centre-error thresholds 0, 1, ..., 50 pixels (51).
PRECISION_THRESHOLDS = np.arange(51, dtype=np.float64)
#: Normalised centre-error thresholds 0, 0.01, ..., 0.50 (51).
NORM_PRECISION_THRESHOLDS = np.arange(51, dtype=np.float64) / 100.0
#: Index of the reported point on the precision curves (20 px and 0.20).
REPORT_INDEX = 20

_MATLAB_EPS = float(np.finfo(np.float64).eps)


def _as_boxes(boxes, name: str) -> np.ndarray:
    """Convert a list / array of boxes to a float64 array of shape (N, 4)."""
    arr = np.asarray(boxes, dtype=np.float64)
    if arr.size == 0:
        return np.zeros((0, 4), dtype=np.float64)
    if arr.ndim != 2 or arr.shape[1] != 4:
        raise ValueError(f'{name} must have shape (N, 4) (x, y, w, h), got {arr.shape}')
    return arr


def calc_iou_xywh(pred: np.ndarray, gt: np.ndarray) -> np.ndarray:
    """IoU of paired boxes with the inclusive-pixel convention of the tracking toolkits.

    A box ``(x, y, w, h)`` covers the pixels ``x .. x + w - 1``; the intersection side is
    ``min(x2) - max(x1) + 1`` clamped at 0 and the areas are ``w * h``.

    Args:
        pred (np.ndarray): (N, 4) predicted boxes, x, y, w, h.
        gt (np.ndarray): (N, 4) ground-truth boxes, x, y, w, h.

    Returns:
        np.ndarray: (N,) IoU (NaN where the union is 0).
    """
    tl = np.maximum(pred[:, :2], gt[:, :2])
    br = np.minimum(pred[:, :2] + pred[:, 2:] - 1.0, gt[:, :2] + gt[:, 2:] - 1.0)
    side = np.clip(br - tl + 1.0, 0.0, None)
    inter = side[:, 0] * side[:, 1]
    union = pred[:, 2] * pred[:, 3] + gt[:, 2] * gt[:, 3] - inter
    with np.errstate(divide='ignore', invalid='ignore'):
        return inter / union


def _calc_iou_xywh_matlab(pred: np.ndarray, gt: np.ndarray) -> np.ndarray:
    """:func:`calc_iou_xywh` with MATLAB's ``max`` / ``min``, which ignore NaN operands.

    As ``calc_rect_int.m`` computes it: a NaN ``x`` (or ``y``) in a prediction leaves the GT's
    extent on that axis as the intersection instead of making the IoU NaN.
    """
    tl = np.fmax(pred[:, :2], gt[:, :2])
    br = np.fmin(pred[:, :2] + pred[:, 2:] - 1.0, gt[:, :2] + gt[:, 2:] - 1.0)
    side = np.fmax(0.0, br - tl + 1.0)
    inter = side[:, 0] * side[:, 1]
    union = pred[:, 2] * pred[:, 3] + gt[:, 2] * gt[:, 3] - inter
    with np.errstate(divide='ignore', invalid='ignore'):
        return inter / union


def calc_center_error(pred: np.ndarray, gt: np.ndarray, normalized: bool = False) -> np.ndarray:
    """Euclidean distance between box centres ``x + (w - 1) / 2``, ``y + (h - 1) / 2``.

    Args:
        pred (np.ndarray): (N, 4) predicted boxes, x, y, w, h.
        gt (np.ndarray): (N, 4) ground-truth boxes, x, y, w, h.
        normalized (bool): Divide both centres by the GT ``(w, h)`` first.

    Returns:
        np.ndarray: (N,) centre errors (pixels, or GT-size units if ``normalized``).
    """
    pred_c = pred[:, :2] + 0.5 * (pred[:, 2:] - 1.0)
    gt_c = gt[:, :2] + 0.5 * (gt[:, 2:] - 1.0)
    with np.errstate(divide='ignore', invalid='ignore'):
        if normalized:
            pred_c = pred_c / gt[:, 2:]
            gt_c = gt_c / gt[:, 2:]
        return np.sqrt(((pred_c - gt_c)**2).sum(axis=1))


def _fill_invalid_predictions(pred: np.ndarray, replace: np.ndarray) -> np.ndarray:
    """Give every flagged frame (index >= 1) the prediction of the frame before it, chained.

    Equivalent to ``for i in 1..N-1: if replace[i]: pred[i] = pred[i - 1]`` in O(N).
    """
    replace = replace.copy()
    if replace.size:
        replace[0] = False
    idx = np.where(replace, 0, np.arange(len(pred)))
    src = np.maximum.accumulate(idx) if len(idx) else idx
    return pred[src]


def _curve(values: np.ndarray, thresholds: np.ndarray, greater: bool,
           denominator: float) -> np.ndarray:
    """Fraction of frames with ``values > t`` (or ``<= t``) for each threshold; O(N log N)."""
    v = np.sort(values)
    if greater:
        counts = len(v) - np.searchsorted(v, thresholds, side='right')
    else:
        counts = np.searchsorted(v, thresholds, side='right')
    return counts.astype(np.float64) / denominator


def eval_video_errors(pred: np.ndarray,
                      gt: np.ndarray,
                      visible: Optional[np.ndarray] = None,
                      protocol: str = 'pytracking',
                      video_name: Optional[str] = None) -> Tuple[np.ndarray, ...]:
    """Per-frame IoU, centre error and normalised centre error of one video.

    Args:
        pred (np.ndarray): (M, 4) predictions x, y, w, h (M may differ from N).
        gt (np.ndarray): (N, 4) ground truth x, y, w, h (may hold invalid rows).
        visible (np.ndarray, optional): (N,) bool, the target is visible.
        protocol (str): ``'pytracking'`` or ``'tnl2k_official'``.
        video_name (str, optional): Used in warnings and errors.

    Returns:
        tuple: ``(iou, center_error, norm_center_error, num_frames)``: three (K,) arrays with the
        scores of the frames that take part (K = N, or the present frames for
        ``tnl2k_official`` with visibility) and the denominator N.
    """
    if protocol not in PROTOCOLS:
        raise ValueError(f'protocol must be one of {PROTOCOLS}, got {protocol!r}')
    tag = f' (video {video_name})' if video_name is not None else ''
    pred = _as_boxes(pred, 'pred').copy()
    gt = _as_boxes(gt, 'gt')
    n = len(gt)
    if n == 0:
        raise ValueError(f'empty ground truth{tag}')
    if visible is not None:
        visible = np.asarray(visible).astype(bool).reshape(-1)
        if len(visible) != n:
            raise ValueError(f'visibility has {len(visible)} frames but the ground truth has '
                             f'{n}{tag}')
    gt_nan = np.isnan(gt).any(axis=1)
    if gt_nan.any():
        warnings.warn(f'{int(gt_nan.sum())} ground-truth rows hold NaN{tag}; they are scored '
                      'as invalid frames')

    m = len(pred)
    # GT-NaN flag aligned with the predictions (frames beyond the GT count as non-NaN)
    gt_nan_p = np.zeros(m, dtype=bool)
    gt_nan_p[:min(m, n)] = gt_nan[:min(m, n)]
    bad = np.isnan(pred).any(axis=1)
    if protocol == 'pytracking':
        negative = (pred[:, 2:] < 0).any(axis=1)
        if (bad | negative).any():
            warnings.warn(f'{int((bad | negative).sum())} predictions are NaN or have a '
                          f'negative size{tag}; pytracking would refuse them, they take the '
                          'previous prediction like zero-size ones')
        replace = (bad | (pred[:, 2:] <= 0).any(axis=1)) & ~gt_nan_p
        pred = _fill_invalid_predictions(pred, replace)
        if m > n:
            pred = pred[:n]
        elif m < n:
            pred = np.concatenate([pred, np.zeros((n - m, 4))], axis=0)
    else:
        if m < n:
            raise ValueError(f'{m} predictions for {n} ground-truth frames{tag}: the TNL2K '
                             'toolkit cannot score shorter results')
        pred = pred[:n]
        gt_nan_p = gt_nan_p[:n]
        bad = bad[:n]
        replace = (bad | (pred[:, 2:] <= 0).any(axis=1)) & ~gt_nan_p
        pred = _fill_invalid_predictions(pred, replace)
    pred[0] = gt[0]

    with np.errstate(invalid='ignore'):
        if protocol == 'pytracking':
            valid = (gt[:, 2] > 0) & (gt[:, 3] > 0)
            if visible is not None:
                valid &= visible
            iou = calc_iou_xywh(pred, gt)
            err = calc_center_error(pred, gt)
            nerr = calc_center_error(pred, gt, normalized=True)
            iou[~valid] = -1.0
            err[~valid] = np.inf
            nerr[~valid] = -1.0
            if visible is not None:
                err[~visible] = np.inf
                nerr[~visible] = np.inf
        else:
            if visible is not None:
                pred, gt = pred[visible], gt[visible]
            valid = (gt > 0).all(axis=1)
            iou = _calc_iou_xywh_matlab(pred, gt)
            err = calc_center_error(pred, gt)
            nerr = calc_center_error(pred, gt, normalized=True)
            iou[~valid] = -1.0
            err[~valid] = -1.0
            nerr[~valid] = -1.0
        # NaN scores (a NaN prediction chained from a NaN first output) compare false in
        # every test of the reference tools: a miss for each curve
        iou[np.isnan(iou)] = -1.0
        err[np.isnan(err)] = np.inf
        nerr[np.isnan(nerr)] = np.inf
    return iou, err, nerr, n


def eval_video_curves(pred: np.ndarray,
                      gt: np.ndarray,
                      visible: Optional[np.ndarray] = None,
                      protocol: str = 'pytracking',
                      video_name: Optional[str] = None) -> Dict[str, np.ndarray]:
    """Success / precision / normalised-precision curves of one video (fractions in [0, 1]).

    Args:
        pred (np.ndarray): (M, 4) predictions x, y, w, h.
        gt (np.ndarray): (N, 4) ground truth x, y, w, h.
        visible (np.ndarray, optional): (N,) bool visibility.
        protocol (str): ``'pytracking'`` or ``'tnl2k_official'``.
        video_name (str, optional): Used in warnings and errors.

    Returns:
        dict: ``success`` (21,), ``precision`` (51,), ``norm_precision`` (51,).
    """
    iou, err, nerr, n = eval_video_errors(pred, gt, visible, protocol, video_name)
    den = float(n) + (_MATLAB_EPS if protocol == 'tnl2k_official' else 0.0)
    return dict(
        success=_curve(iou, SUCCESS_THRESHOLDS, True, den),
        precision=_curve(err, PRECISION_THRESHOLDS, False, den),
        norm_precision=_curve(nerr, NORM_PRECISION_THRESHOLDS, False, den))


def summarize_curves(video_success: np.ndarray,
                     video_precision: np.ndarray,
                     video_norm_precision: np.ndarray,
                     protocol: str = 'pytracking') -> Dict[str, object]:
    """Average per-video curves over videos and read off the reported scores.

    Args:
        video_success (np.ndarray): (V, 21) per-video success curves in [0, 1].
        video_precision (np.ndarray): (V, 51) per-video precision curves in [0, 1].
        video_norm_precision (np.ndarray): (V, 51) per-video normalised-precision curves.
        protocol (str): ``'pytracking'`` or ``'tnl2k_official'``.

    Returns:
        dict: ``success``, ``precision``, ``norm_precision`` (floats, %) and the mean curves
        ``success_curve`` (21,), ``precision_curve`` (51,), ``norm_precision_curve`` (51,) in %.
    """
    if protocol not in PROTOCOLS:
        raise ValueError(f'protocol must be one of {PROTOCOLS}, got {protocol!r}')

    def mean_curve(curves, length):
        curves = np.asarray(curves, dtype=np.float64).reshape(-1, length)
        if protocol == 'tnl2k_official':
            curves = curves[curves.sum(axis=1) > _MATLAB_EPS]
        if len(curves) == 0:
            return np.zeros(length)
        return curves.mean(axis=0) * 100.0

    suc = mean_curve(video_success, len(SUCCESS_THRESHOLDS))
    pre = mean_curve(video_precision, len(PRECISION_THRESHOLDS))
    npre = mean_curve(video_norm_precision, len(NORM_PRECISION_THRESHOLDS))
    norm_precision = npre.mean() if protocol == 'tnl2k_official' else npre[REPORT_INDEX]
    return dict(
        success=float(suc.mean()),
        precision=float(pre[REPORT_INDEX]),
        norm_precision=float(norm_precision),
        success_curve=suc,
        precision_curve=pre,
        norm_precision_curve=npre)


def video_scores(ev: dict) -> Tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Per-video success, normalised precision and precision of a :func:`vl_sot_eval` output.

    Each video's numbers follow the protocol's rule for the mean ones (see
    :func:`summarize_curves`): AUC of the success curve, precision at 20 px, normalised
    precision at 0.2 (``'pytracking'``) or the mean of its curve (``'tnl2k_official'``).

    Args:
        ev (dict): The output of :func:`vl_sot_eval`.

    Returns:
        tuple[np.ndarray]: ``success``, ``norm_precision``, ``precision``, each (V,), in %.
    """
    if ev['protocol'] == 'tnl2k_official':
        npre = ev['video_norm_precision'].mean(axis=1)
    else:
        npre = ev['video_norm_precision'][:, REPORT_INDEX]
    return (ev['video_success'].mean(axis=1) * 100, npre * 100,
            ev['video_precision'][:, REPORT_INDEX] * 100)


def vl_sot_eval(results: Sequence,
                annotations: Sequence,
                visible_infos: Optional[Sequence] = None,
                protocol: str = 'pytracking',
                video_names: Optional[List[str]] = None) -> Dict[str, object]:
    """Evaluate one-pass tracking results: success (AUC), precision and normalised precision.

    See the module docstring for every rule of both protocols.

    Args:
        results (Sequence): One (M_v, 4) array of predicted boxes ``x, y, w, h`` per video.
        annotations (Sequence): One (N_v, 4) array of GT boxes ``x, y, w, h`` per video.
        visible_infos (Sequence, optional): One (N_v,) bool array per video (LaSOT's absent /
            occlusion flags inverted). When given, not-visible frames are misses.
        protocol (str): ``'pytracking'`` (default) or ``'tnl2k_official'``.
        video_names (list[str], optional): Names used in warnings and errors.

    Returns:
        dict: ``success``, ``precision``, ``norm_precision`` (floats, in %), the mean curves
        ``success_curve`` (21,), ``precision_curve`` (51,), ``norm_precision_curve`` (51,) in %,
        the per-video curves ``video_success`` (V, 21), ``video_precision`` (V, 51),
        ``video_norm_precision`` (V, 51) as fractions in [0, 1], the thresholds
        ``success_thresholds``, ``precision_thresholds``, ``norm_precision_thresholds`` and
        ``protocol``.
    """
    if protocol not in PROTOCOLS:
        raise ValueError(f'protocol must be one of {PROTOCOLS}, got {protocol!r}')
    if len(results) != len(annotations):
        raise ValueError(f'{len(results)} result videos but {len(annotations)} annotated ones')
    if visible_infos is not None and len(visible_infos) != len(annotations):
        raise ValueError(f'{len(visible_infos)} visibility arrays for {len(annotations)} videos')
    if len(annotations) == 0:
        raise ValueError('no videos to evaluate')
    suc, pre, npre = [], [], []
    for i, (pred, gt) in enumerate(zip(results, annotations)):
        vis = None if visible_infos is None else visible_infos[i]
        name = video_names[i] if video_names is not None else str(i)
        curves = eval_video_curves(pred, gt, vis, protocol, name)
        suc.append(curves['success'])
        pre.append(curves['precision'])
        npre.append(curves['norm_precision'])
    video_success, video_precision = np.stack(suc), np.stack(pre)
    video_norm_precision = np.stack(npre)
    out = summarize_curves(video_success, video_precision, video_norm_precision, protocol)
    out.update(
        video_success=video_success,
        video_precision=video_precision,
        video_norm_precision=video_norm_precision,
        success_thresholds=SUCCESS_THRESHOLDS.copy(),
        precision_thresholds=PRECISION_THRESHOLDS.copy(),
        norm_precision_thresholds=NORM_PRECISION_THRESHOLDS.copy(),
        protocol=protocol)
    return out
