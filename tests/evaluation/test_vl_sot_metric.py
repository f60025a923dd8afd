# Copyright (c) SATracker authors. Licensed under the Apache License 2.0.
"""VLSOTMetric end to end with fake (to_dict()-ed) data samples."""
import json

import numpy as np
import pytest
import torch
from mmengine.registry import DefaultScope
from mmtrack.registry import METRICS

from satracker.evaluation.functional import vl_sot_eval
from satracker.evaluation.metrics import VLSOTMetric
from satracker.evaluation.result_files import load_boxes_txt


def _xyxy(xywh):
    x, y, w, h = xywh
    return [x, y, x + w, y + h]


def _video(name, video_id, gts, preds, visible=None, img_dir='imgs'):
    """Data samples of one video as the Evaluator hands them to process()."""
    n = len(gts)
    visible = [True] * n if visible is None else visible
    samples = []
    for i in range(n):
        samples.append(
            dict(
                pred_track_instances=dict(
                    bboxes=torch.tensor([_xyxy(preds[i])], dtype=torch.float32),
                    scores=torch.tensor([1.0])),
                instances=[
                    dict(
                        bbox=np.array(_xyxy(gts[i]), dtype=np.float32),
                        visible=visible[i],
                        bbox_label=np.array(0))
                ],
                frame_id=i,
                video_id=video_id,
                video_length=n,
                img_path=f'data/TNL2K/test/{name}/{img_dir}/{i + 1:05d}.jpg',
                ori_shape=(240, 320),
                text='the red car'))
    return samples


def _run(metric, videos):
    for samples in videos:
        for s in samples:
            metric.process({}, [s])
    return metric.evaluate(size=sum(len(v) for v in videos))


GT_A = [[10., 10, 20, 20]] * 5
PRED_A = [[13., 14, 20, 20]] * 5  # offset (3, 4): see test_vl_sot_eval
GT_B = [[50., 60, 40, 30], [52, 60, 40, 30], [54, 60, 40, 30], [56, 60, 40, 30]]
PRED_B = [[0., 0, 5, 5], [52, 60, 40, 30], [200, 200, 40, 30], [56, 60, 40, 30]]


def test_registered_with_its_own_prefix():
    with DefaultScope.overwrite_default_scope('mmtrack'):
        metric = METRICS.build(dict(type='VLSOTMetric'))
        sot_metric = METRICS.build(dict(type='SOTMetric'))
    assert isinstance(metric, VLSOTMetric)
    # never SOTMetric's keys: the protocols differ
    assert metric.prefix == 'vlsot' and sot_metric.prefix == 'sot'
    # the old keys on request
    res = _run(VLSOTMetric(prefix='sot'), [_video('car_1', 0, GT_A, PRED_A)])
    assert set(res) == {'sot/success', 'sot/norm_precision', 'sot/precision'}


def test_two_videos_end_to_end(tmp_path):
    out_dir = tmp_path / 'results'
    metric = VLSOTMetric(out_dir=str(out_dir), tracker_name='Fake')
    res = _run(metric, [_video('car_1', 0, GT_A, PRED_A), _video('dog_2', 1, GT_B, PRED_B)])
    assert set(res) == {'vlsot/success', 'vlsot/norm_precision', 'vlsot/precision'}
    # by hand: video A AUC 12.8/21, PRE 1, NPRE 0.2 (test_vl_sot_eval.test_constant_offset);
    # video B: frame 0 GT, frames 1 and 3 exact, frame 2 far: 3/4 everywhere, AUC 0.75*20/21
    assert res['vlsot/success'] == pytest.approx(100 * (12.8 / 21 + 0.75 * 20 / 21) / 2)
    assert res['vlsot/precision'] == pytest.approx(100 * (1 + 0.75) / 2)
    assert res['vlsot/norm_precision'] == pytest.approx(100 * (0.2 + 0.75) / 2)
    ref = vl_sot_eval([PRED_A, PRED_B], [GT_A, GT_B])
    assert res['vlsot/success'] == pytest.approx(ref['success'])

    # <video>.txt per sequence with the raw x,y,w,h predictions
    np.testing.assert_allclose(load_boxes_txt(out_dir / 'car_1.txt'), PRED_A)
    np.testing.assert_allclose(load_boxes_txt(out_dir / 'dog_2.txt'), PRED_B)
    assert (out_dir / 'car_1.txt').read_text().splitlines()[0] == \
        '13.0000,14.0000,20.0000,20.0000'
    summary = json.loads((out_dir / 'vl_sot_eval.json').read_text())
    assert summary['tracker_name'] == 'Fake' and summary['protocol'] == 'pytracking'
    assert summary['success'] == pytest.approx(res['vlsot/success'])
    assert summary['num_videos'] == 2 and summary['num_frames'] == 9
    assert [v['name'] for v in summary['videos']] == ['car_1', 'dog_2']
    assert summary['videos'][0]['norm_precision'] == pytest.approx(20.0)
    assert len(summary['curves']['success']) == 21
    assert len(summary['curves']['precision']) == 51
    assert summary['ms_per_frame'] is not None and summary['ms_per_frame'] >= 0
    curves = np.load(out_dir / 'vl_sot_curves.npz')
    assert curves['video_success'].shape == (2, 21)
    assert curves['video_norm_precision'].shape == (2, 51)
    assert list(curves['video_names']) == ['car_1', 'dog_2']


def test_order_of_videos_does_not_matter():
    va, vb = _video('car_1', 0, GT_A, PRED_A), _video('dog_2', 1, GT_B, PRED_B)
    r1 = _run(VLSOTMetric(), [va, vb])
    r2 = _run(VLSOTMetric(), [vb, va])
    assert r1 == r2


def test_visibility_option():
    gt = [[10., 10, 20, 20]] * 4
    samples = _video('v', 0, gt, gt, visible=[True, True, False, False], img_dir='img')
    assert _run(VLSOTMetric(), [samples])['vlsot/precision'] == pytest.approx(100.0)
    res = _run(VLSOTMetric(use_visibility=True), [samples])
    assert res['vlsot/precision'] == pytest.approx(50.0)
    assert res['vlsot/success'] == pytest.approx(50 * 20 / 21)


def test_invalid_gt_kept_raw():
    # an empty GT box stays (0,0,0,0) -> w = h = 0 -> invalid frame (NPRE hit, PRE miss)
    gt = [[10., 10, 20, 20], [10, 10, 20, 20], [0, 0, 0, 0], [10, 10, 20, 20]]
    res = _run(VLSOTMetric(), [_video('v', 0, gt, [[10., 10, 20, 20]] * 4)])
    assert res['vlsot/precision'] == pytest.approx(75.0)
    assert res['vlsot/norm_precision'] == pytest.approx(100.0)


def test_tnl2k_official_protocol_option(tmp_path):
    gt = [[10., 10, 40, 40]] * 5
    pred = [[15., 10, 40, 40]] * 5
    res = _run(
        VLSOTMetric(protocol='tnl2k_official', out_dir=str(tmp_path)), [_video('v', 0, gt, pred)])
    assert res['vlsot/norm_precision'] == pytest.approx(100 * 40.6 / 51)
    assert json.loads((tmp_path / 'vl_sot_eval.json').read_text())['protocol'] == \
        'tnl2k_official'


def test_format_only_writes_results_without_gt(tmp_path):
    metric = VLSOTMetric(format_only=True, outfile_prefix=str(tmp_path))
    samples = _video('v', 0, GT_A, PRED_A)
    for s in samples[1:]:
        s['instances'] = []
    assert _run(metric, [samples]) == {}
    assert len(load_boxes_txt(tmp_path / 'v.txt')) == 5
    with pytest.raises(ValueError, match='ground truth'):
        _run(VLSOTMetric(), [samples])


def test_bad_options():
    with pytest.raises(ValueError, match='protocol'):
        VLSOTMetric(protocol='otb')
    with pytest.raises(ValueError, match='out_dir'):
        VLSOTMetric(format_only=True)
    with pytest.raises(ValueError):
        VLSOTMetric(out_dir='a', outfile_prefix='b')


def test_through_mmengine_evaluator_with_track_data_samples(tmp_path):
    """Real TrackDataSamples, to_dict()-ed by mmengine's Evaluator as in the test loop."""
    from frame_samples import frame_sample
    from mmengine.evaluator import Evaluator
    from mmengine.structures import InstanceData

    evaluator = Evaluator(VLSOTMetric(out_dir=str(tmp_path)))
    for vid, (name, gts, preds) in enumerate([('car_1', GT_A, PRED_A), ('dog_2', GT_B, PRED_B)]):
        for i, (gt, pred) in enumerate(zip(gts, preds)):
            path = f'data/TNL2K/test/{name}/imgs/{i + 1:05d}.jpg'
            sample = frame_sample(path, vid, i, len(gts), gt, pred, text='the red car')
            sample.gt_instances = InstanceData(bboxes=torch.tensor([_xyxy(gt)]))
            evaluator.process([sample], dict(inputs=None))
    res = evaluator.evaluate(9)
    assert res['vlsot/precision'] == pytest.approx(100 * (1 + 0.75) / 2)
    assert sorted(p.name for p in tmp_path.iterdir()) == [
        'car_1.txt', 'dog_2.txt', 'vl_sot_curves.npz', 'vl_sot_eval.json'
    ]
