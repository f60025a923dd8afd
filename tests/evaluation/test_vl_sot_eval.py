# Copyright (c) SATracker authors. Licensed under the Apache License 2.0.
"""vl_sot_eval on hand-made videos; every expected number is worked out by hand below.

Conventions used in the hand computations (docs/evaluation.md, pytracking protocol):
- success thresholds t_k = 0.05 k, k = 0..20, a frame hits when IoU > t_k, so an IoU of 1
  hits 20 of the 21 thresholds (IoU > 1.0 is false): a perfect track scores 100 * 20/21;
- precision: centre error <= 20 px; normalised precision: error / GT size <= 0.20;
- the first frame always takes the GT box (IoU 1, errors 0).
"""
import numpy as np
import pytest

from satracker.evaluation.functional import (calc_center_error, calc_iou_xywh, eval_video_curves,
                                             vl_sot_eval)

PERFECT_AUC = 100.0 * 20 / 21  # 95.238...
BOX = [10.0, 10.0, 20.0, 20.0]


def _scores(preds, gts, vis=None, protocol='pytracking'):
    out = vl_sot_eval(preds, gts, vis, protocol=protocol)
    return out['success'], out['precision'], out['norm_precision']


def _const(box, n):
    return np.array([box] * n, dtype=np.float64)


def test_iou_and_centre_use_the_inclusive_pixel_convention():
    # (10,10,20,20) covers pixels 10..29; shifted by 4: 14..33 -> overlap 16 x 20 = 320,
    # union 400 + 400 - 320 = 480
    iou = calc_iou_xywh(np.array([[14., 10, 20, 20]]), np.array([BOX]))
    assert iou[0] == pytest.approx(320 / 480)
    # touching boxes: 10..29 and 30..49 do not overlap; 29..48 overlaps by one column
    assert calc_iou_xywh(np.array([[30., 10, 20, 20]]), np.array([BOX]))[0] == 0
    assert calc_iou_xywh(np.array([[29., 10, 20, 20]]), np.array([BOX]))[0] == \
        pytest.approx(20 / 780)
    # centres x + (w - 1) / 2: (10,10,20,20) -> 19.5; (0,0,1,1) -> 0
    err = calc_center_error(np.array([[0., 0, 1, 1]]), np.array([BOX]))
    assert err[0] == pytest.approx(np.hypot(19.5, 19.5))
    nerr = calc_center_error(np.array([[13., 14, 20, 20]]), np.array([BOX]), normalized=True)
    assert nerr[0] == pytest.approx(5 / 20)


def test_perfect_track():
    gt = np.array([[10 + i, 20 - i, 30, 40] for i in range(10)], dtype=np.float64)
    suc, pre, npre = _scores([gt.copy()], [gt])
    assert suc == pytest.approx(PERFECT_AUC)
    assert pre == 100.0 and npre == 100.0


def test_constant_offset():
    # dx=3, dy=4 on 20x20: overlap 17 x 16 = 272, union 800 - 272 = 528, IoU 0.515
    # -> hits t = 0 .. 0.50 (k = 0..10, 11 thresholds); frame 0 (GT) hits k = 0..19.
    # 5 frames: curve = 1 for k <= 10, 1/5 for k = 11..19, 0 for k = 20
    # AUC = (11 + 9 * 0.2) / 21 = 12.8 / 21
    # centre error 5 px -> precision 100; normalised 5/20 = 0.25 > 0.2 -> only frame 0: 20
    gt = _const(BOX, 5)
    pred = gt + [3, 4, 0, 0]
    out = vl_sot_eval([pred], [gt])
    assert out['success'] == pytest.approx(100 * 12.8 / 21)
    assert out['precision'] == pytest.approx(100.0)
    assert out['norm_precision'] == pytest.approx(20.0)
    np.testing.assert_allclose(out['video_success'][0], [1.0] * 11 + [0.2] * 9 + [0.0])
    # precision curve: error 5 <= t from t = 5 px on
    np.testing.assert_allclose(out['video_precision'][0], [0.2] * 5 + [1.0] * 46)
    # normalised: 0.25 <= t from t = 0.25 on (k = 25; 0.25 is no float boundary issue here
    # as long as k = 24 misses and k = 26 hits)
    assert out['video_norm_precision'][0][24] == pytest.approx(0.2)
    assert out['video_norm_precision'][0][26] == pytest.approx(1.0)


def test_lost_target():
    # frames 1..3 far away: IoU 0 is not > 0, error >> 50: only frame 0 hits (1/4)
    gt = _const(BOX, 4)
    pred = _const([500, 500, 20, 20], 4)
    suc, pre, npre = _scores([pred], [gt])
    assert suc == pytest.approx(25.0 * 20 / 21)
    assert pre == pytest.approx(25.0) and npre == pytest.approx(25.0)


def test_invalid_gt_frames_quirk():
    # frame 2 GT (0,0,0,0), frame 3 GT NaN: IoU -1 (miss), centre error inf (miss),
    # normalised error -1 (a hit at every threshold: pytracking's quirk)
    gt = _const(BOX, 4)
    gt[2] = 0
    gt[3] = np.nan
    pred = _const(BOX, 4)
    with pytest.warns(UserWarning, match='NaN'):
        out = vl_sot_eval([pred], [gt])
    assert out['success'] == pytest.approx(50.0 * 20 / 21)
    assert out['precision'] == pytest.approx(50.0)
    assert out['norm_precision'] == pytest.approx(100.0)
    np.testing.assert_allclose(out['video_norm_precision'][0], np.ones(51))


def test_valid_rule_is_width_and_height_only():
    # OSTrack's rule: a GT box at x = 0 is valid (pytracking HEAD would drop it)
    gt = np.array([BOX, [0, 10, 20, 20], BOX, BOX], dtype=np.float64)
    pred = gt.copy()
    pred[1] = [500, 500, 20, 20]
    suc, pre, npre = _scores([pred], [gt])
    assert suc == pytest.approx(75.0 * 20 / 21)
    assert pre == pytest.approx(75.0) and npre == pytest.approx(75.0)


def test_first_frame_takes_the_gt():
    gt = _const(BOX, 5)
    pred = gt.copy()
    pred[0] = [400, 400, 3, 3]
    suc, pre, npre = _scores([pred], [gt])
    assert suc == pytest.approx(PERFECT_AUC)
    assert pre == 100.0 and npre == 100.0


def test_zero_size_prediction_takes_the_previous_raw_one():
    # the fill runs before the first-frame rule: frame 1 (0 size) copies the tracker's raw
    # frame-0 box (far away), frame 2 (h = 0) copies frame 1's (now far) box -> both miss;
    # frames 0 (GT) and 3 (exact) hit: 2 / 4
    gt = _const(BOX, 4)
    pred = np.array([[500, 500, 20, 20], [0, 0, 0, 0], [10, 10, 20, 0], BOX], dtype=np.float64)
    suc, pre, npre = _scores([pred], [gt])
    assert suc == pytest.approx(50.0 * 20 / 21)
    assert pre == pytest.approx(50.0) and npre == pytest.approx(50.0)
    # a zero-size box after a good one takes the good one: all hit
    pred = np.array([BOX, BOX, [5, 5, 0, 0], [1, 1, 7, 0]], dtype=np.float64)
    suc, pre, npre = _scores([pred], [gt])
    assert suc == pytest.approx(PERFECT_AUC) and pre == 100 and npre == 100


def test_zero_size_is_kept_on_nan_gt_frames():
    # frame 1 has NaN GT: its zero box is not replaced, so frame 2 copies a zero box:
    # IoU 0 (miss), centre (-0.5, -0.5) vs (19.5, 19.5) -> 28.3 px (miss), normalised 1.41
    # (miss). Frame 1 itself is invalid (normalised error -1: hit).
    gt = np.array([BOX, [np.nan] * 4, BOX], dtype=np.float64)
    pred = np.array([BOX, [0, 0, 0, 0], [0, 0, 0, 0]], dtype=np.float64)
    with pytest.warns(UserWarning):
        suc, pre, npre = _scores([pred], [gt])
    assert suc == pytest.approx(100 / 3 * 20 / 21)
    assert pre == pytest.approx(100 / 3)
    assert npre == pytest.approx(200 / 3)


def test_shorter_predictions_are_padded_with_zero_boxes():
    # 2 exact predictions for 4 frames: frames 2, 3 get (0,0,0,0) -> misses (they are not
    # filled with the previous prediction: the fill runs before the length check)
    gt = _const(BOX, 4)
    suc, pre, npre = _scores([gt[:2].copy()], [gt])
    assert suc == pytest.approx(50.0 * 20 / 21)
    assert pre == pytest.approx(50.0) and npre == pytest.approx(50.0)


def test_longer_predictions_are_cut():
    gt = _const(BOX, 4)
    pred = np.concatenate([gt, _const([600, 600, 1, 1], 3)])
    suc, pre, npre = _scores([pred], [gt])
    assert suc == pytest.approx(PERFECT_AUC) and pre == 100 and npre == 100


def test_visibility_rule():
    # exact predictions; frames 2, 3 not visible: IoU -1 and both errors +inf -> misses
    gt = _const(BOX, 4)
    vis = np.array([True, True, False, False])
    suc, pre, npre = _scores([gt.copy()], [gt], [vis])
    assert suc == pytest.approx(50.0 * 20 / 21)
    assert pre == pytest.approx(50.0) and npre == pytest.approx(50.0)
    # an invalid GT frame that is not visible: normalised error +inf (a miss), not -1
    gt[3] = 0
    _, _, npre_vis = _scores([gt.copy()], [gt], [np.array([True, True, True, False])])
    _, _, npre_none = _scores([gt.copy()], [gt])
    assert npre_vis == pytest.approx(75.0)
    assert npre_none == pytest.approx(100.0)


def test_averaged_over_frames_then_videos():
    # video A (2 frames, both hit) and video B (4 frames, 1 hit): mean(1, 0.25) at 20 px
    gt_a, gt_b = _const(BOX, 2), _const(BOX, 4)
    pred_b = _const([500, 500, 20, 20], 4)
    out = vl_sot_eval([gt_a.copy(), pred_b], [gt_a, gt_b])
    assert out['precision'] == pytest.approx(100 * (1 + 0.25) / 2)
    assert out['video_success'].shape == (2, 21)
    assert out['video_precision'].shape == (2, 51)
    assert out['video_norm_precision'].shape == (2, 51)
    assert len(out['success_thresholds']) == 21
    assert out['success_thresholds'][-1] == 1.0
    assert out['norm_precision_thresholds'][20] == 0.2


def test_nan_or_negative_predictions_warn_and_take_the_previous():
    gt = _const(BOX, 3)
    pred = np.array([BOX, [np.nan] * 4, [10, 10, -3, 20]], dtype=np.float64)
    with pytest.warns(UserWarning, match='NaN or have a negative size'):
        suc, pre, npre = _scores([pred], [gt])
    assert suc == pytest.approx(PERFECT_AUC) and pre == 100 and npre == 100


def test_linear_in_frames_on_a_long_video():
    rng = np.random.default_rng(0)
    n = 200_000
    gt = np.abs(rng.normal(100, 20, (n, 4))) + 1
    pred = gt + rng.normal(0, 3, (n, 4))
    out = vl_sot_eval([pred], [gt])  # an n x n matrix would need 320 GB
    assert 0 < out['success'] < 100


def test_bad_inputs_are_refused():
    with pytest.raises(ValueError, match='protocol'):
        vl_sot_eval([np.zeros((1, 4))], [np.ones((1, 4))], protocol='otb')
    with pytest.raises(ValueError, match='result videos'):
        vl_sot_eval([np.zeros((1, 4))], [])
    with pytest.raises(ValueError, match='visibility'):
        eval_video_curves(np.ones((2, 4)), np.ones((2, 4)), np.ones(3, bool))


# --------------------------------------------------------------------- tnl2k_official
def test_tnl2k_official_averages_the_normalised_precision_curve():
    # 40x40 box shifted by 5 px: IoU = (35*40) / (3200 - 1400) = 0.778 -> hits k = 0..15;
    # 5 frames: AUC = (16 + 4 * 0.2) / 21 = 16.8 / 21, same in both protocols.
    # normalised error 5/40 = 0.125: misses t <= 0.12 (k = 0..12, curve 1/5), hits k >= 13:
    # mean of the 51-point curve = (13 * 0.2 + 38) / 51 = 40.6 / 51; pytracking reads 0.20: 100
    gt = _const([10, 10, 40, 40], 5)
    pred = gt + [5, 0, 0, 0]
    py = vl_sot_eval([pred], [gt])
    tn = vl_sot_eval([pred], [gt], protocol='tnl2k_official')
    assert py['success'] == pytest.approx(100 * 16.8 / 21)
    assert tn['success'] == pytest.approx(100 * 16.8 / 21)
    assert py['precision'] == tn['precision'] == pytest.approx(100.0)
    assert py['norm_precision'] == pytest.approx(100.0)
    assert tn['norm_precision'] == pytest.approx(100 * 40.6 / 51)


def test_tnl2k_official_valid_rule_and_invalid_centre_error():
    # frame 1 GT touches x = 0 and the prediction is far: pytracking scores it (a miss in
    # every curve); the toolkit calls it invalid (all four > 0 fails): IoU -1 (miss) but
    # centre error -1, a hit for precision and normalised precision alike
    gt = np.array([BOX, [0, 10, 20, 20], BOX, BOX], dtype=np.float64)
    pred = gt.copy()
    pred[1] = [500, 500, 20, 20]
    py = vl_sot_eval([pred], [gt])
    tn = vl_sot_eval([pred], [gt], protocol='tnl2k_official')
    assert py['success'] == pytest.approx(75 * 20 / 21)
    assert tn['success'] == pytest.approx(75 * 20 / 21)
    assert py['precision'] == pytest.approx(75.0) and py['norm_precision'] == pytest.approx(75)
    assert tn['precision'] == pytest.approx(100.0)
    assert tn['norm_precision'] == pytest.approx(100.0)
    # an empty GT box: pytracking's pixel precision misses it, the toolkit's hits it
    gt = _const(BOX, 4)
    gt[3] = 0
    assert vl_sot_eval([gt.copy()], [gt])['precision'] == pytest.approx(75.0)
    tn = vl_sot_eval([gt.copy()], [gt], protocol='tnl2k_official')
    assert tn['precision'] == pytest.approx(100.0)


def test_tnl2k_official_same_as_pytracking_where_the_rules_agree():
    rng = np.random.default_rng(1)
    gts = [np.abs(rng.normal(100, 30, (n, 4))) + 5 for n in (30, 50, 70)]
    preds = [g + rng.normal(0, 4, g.shape) for g in gts]
    py = vl_sot_eval(preds, gts)
    tn = vl_sot_eval(preds, gts, protocol='tnl2k_official')
    assert tn['success'] == pytest.approx(py['success'], abs=1e-9)
    assert tn['precision'] == pytest.approx(py['precision'], abs=1e-9)
    np.testing.assert_allclose(tn['norm_precision_curve'], py['norm_precision_curve'])
    assert tn['norm_precision'] == pytest.approx(py['norm_precision_curve'].mean())


def test_tnl2k_official_absent_frames_and_lengths():
    # absent frames are removed but counted in the denominator: misses, as in pytracking
    gt = _const(BOX, 4)
    vis = np.array([True, True, False, False])
    tn = vl_sot_eval([gt.copy()], [gt], [vis], protocol='tnl2k_official')
    assert tn['success'] == pytest.approx(50 * 20 / 21)
    assert tn['precision'] == pytest.approx(50.0)
    assert tn['norm_precision'] == pytest.approx(50.0)  # flat curve at 0.5
    # shorter results cannot be scored by the toolkit; longer ones are cut
    with pytest.raises(ValueError, match='shorter'):
        vl_sot_eval([gt[:3].copy()], [gt], protocol='tnl2k_official')
    longer = np.concatenate([gt, gt])
    assert vl_sot_eval([longer], [gt], protocol='tnl2k_official')['precision'] == 100


def test_tnl2k_official_negative_size_takes_the_previous_without_warning():
    gt = _const(BOX, 3)
    pred = np.array([BOX, BOX, [10, 10, -3, 20]], dtype=np.float64)
    tn = vl_sot_eval([pred], [gt], protocol='tnl2k_official')
    assert tn['success'] == pytest.approx(PERFECT_AUC)


def test_tnl2k_official_drops_all_zero_curves_from_the_mean():
    # video B has only empty GT boxes: its success curve is all zeros (IoU -1 everywhere).
    # pytracking averages it in: (20/21 + 0) / 2; the toolkit drops it: 20/21.
    gt_a, gt_b = _const(BOX, 4), np.zeros((2, 4))
    py = vl_sot_eval([gt_a.copy(), gt_b.copy()], [gt_a, gt_b])
    tn = vl_sot_eval([gt_a.copy(), gt_b.copy()], [gt_a, gt_b], protocol='tnl2k_official')
    assert py['success'] == pytest.approx(PERFECT_AUC / 2)
    assert tn['success'] == pytest.approx(PERFECT_AUC)
    # its precision curve is all hits (-1 errors) in the toolkit, so it stays in that mean
    assert tn['precision'] == pytest.approx(100.0)
    assert py['precision'] == pytest.approx(50.0)


def test_nan_first_output_chained_to_frame_1():
    # frame 1 is NaN and takes the raw frame-0 output, NaN too (the fill runs before the
    # first-frame rule). pytracking: NaN IoU / error -> a miss. TNL2K toolkit: MATLAB's max /
    # min ignore NaN, so the x-overlap is the GT's own 20 px: IoU 400 / 400 = 1 (a hit at 20
    # thresholds), while the NaN centre error is still a miss.
    gt = _const(BOX, 3)
    pred = np.array([[np.nan, 10, 20, 20], [np.nan, 12, 20, 20], BOX])
    with pytest.warns(UserWarning):
        py = vl_sot_eval([pred], [gt])
    tn = vl_sot_eval([pred], [gt], protocol='tnl2k_official')
    assert py['success'] == pytest.approx(100 * 2 / 3 * 20 / 21)
    assert py['precision'] == pytest.approx(100 * 2 / 3)
    assert tn['success'] == pytest.approx(PERFECT_AUC)
    assert tn['precision'] == pytest.approx(100 * 2 / 3)
