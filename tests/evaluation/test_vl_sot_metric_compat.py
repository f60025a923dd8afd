# Copyright (c) SATracker authors. Licensed under the Apache License 2.0.
"""VLSOTMetric as a drop-in for MMTracking's SOTMetric: its options, distinct keys, and one
result file per video even where two videos share an image folder (OTB's Jogging-1/-2)."""
import json
import os.path as osp
import sys
import warnings

import mmengine
import numpy as np
import pytest
import torch
from frame_samples import frame_sample
from mmengine.config import Config
from mmengine.evaluator import Evaluator
from mmengine.registry import DefaultScope
from mmengine.structures import InstanceData
from mmengine.utils import get_installed_path
from mmtrack.registry import METRICS

from satracker.evaluation.metrics import VLSOTMetric, unique_video_names
from satracker.evaluation.result_files import load_boxes_txt

sys.path.insert(0, osp.join(osp.dirname(osp.dirname(osp.abspath(__file__))), 'datasets'))
from vl_data_fixtures import make_otb99_tree  # noqa: E402

GT = [[10., 10, 20, 20], [12, 10, 20, 20], [14, 10, 20, 20], [16, 10, 20, 20]]
PRED = [[10., 10, 20, 20], [13, 11, 20, 20], [40, 40, 20, 20], [16, 10, 20, 20]]
VISIBLE = [True, True, False, True]


def _sample(name, vid, i, gt, pred, visible=True, video_name=None, folder='imgs'):
    """A frame of video ``name`` (folder ``data/x/<name>/<folder>``) with its prediction."""
    meta = {} if video_name is None else dict(video_name=video_name)
    return frame_sample(f'data/x/{name}/{folder}/{i + 1:05d}.jpg', vid, i, len(GT), gt, pred,
                        visible, **meta)


def _evaluate(evaluator, videos):
    """videos: [(folder name, video_name or None, gts, preds)]."""
    for vid, (name, video_name, gts, preds) in enumerate(videos):
        for i, (gt, pred) in enumerate(zip(gts, preds)):
            evaluator.process([_sample(name, vid, i, gt, pred, VISIBLE[i], video_name)],
                              dict(inputs=None))
    return evaluator.evaluate(len(videos))


def test_sotmetric_options_map():
    """A perfect tracker: only_eval_visible makes the not-visible frame 2 a miss."""
    by_option = _evaluate(
        Evaluator(
            VLSOTMetric(
                metric='OPE', metric_options=dict(only_eval_visible=True, dataset_type='lasot'))),
        [('v', None, GT, GT)])
    by_name = _evaluate(Evaluator(VLSOTMetric(use_visibility=True)), [('v', None, GT, GT)])
    plain = _evaluate(Evaluator(VLSOTMetric(metric=['OPE'])), [('v', None, GT, GT)])
    assert by_option == by_name
    assert by_option['vlsot/precision'] == pytest.approx(75.0)
    assert plain['vlsot/precision'] == pytest.approx(100.0)


@pytest.mark.parametrize('kwargs,match', [
    (dict(metric='VOT'), "only one-pass evaluation \\('OPE'\\)"),
    (dict(metric_options=dict(interval=[100, 356])), r"unknown metric_options \['interval'\]"),
    (dict(use_visibility=False, metric_options=dict(only_eval_visible=True)), 'contradicts'),
    (dict(tracker_name='A', options_after_eval=dict(tracker_name='B')), 'contradicts'),
    (dict(options_after_eval=dict(saved_eval_res_file='x.txt')), r'\.json, \.yml'),
    (dict(options_after_eval=dict(plot=True)), r"unknown options_after_eval \['plot'\]"),
])
def test_bad_sotmetric_options_are_named(kwargs, match):
    with pytest.raises(ValueError, match=match):
        VLSOTMetric(**kwargs)


def test_mmtracking_lasot_evaluator_with_the_type_swapped():
    """What the issue reported: MMTracking's config evaluator + VLSOTMetric failed."""
    path = osp.join(
        get_installed_path('mmtrack'), '.mim', 'configs', '_base_', 'datasets', 'lasot.py')
    evaluator_cfg = Config.fromfile(path).test_evaluator
    assert evaluator_cfg.type == 'SOTMetric' and evaluator_cfg.metric_options
    evaluator_cfg.type = 'VLSOTMetric'
    with DefaultScope.overwrite_default_scope('mmtrack'):
        metric = METRICS.build(evaluator_cfg)
    assert isinstance(metric, VLSOTMetric) and metric.use_visibility is True


def test_beside_sotmetric_in_one_evaluator():
    """Distinct prefixes: both metrics report in one evaluator (mmengine refuses duplicate
    keys), and the numbers of each stay under their own name."""
    with DefaultScope.overwrite_default_scope('mmtrack'):
        sot = METRICS.build(dict(type='SOTMetric', metric_options=dict(only_eval_visible=False)))
    res = _evaluate(Evaluator([sot, VLSOTMetric()]), [('v', None, GT, PRED)])
    assert set(res) == {
        'sot/success', 'sot/norm_precision', 'sot/precision', 'vlsot/success',
        'vlsot/norm_precision', 'vlsot/precision'
    }
    assert res['vlsot/precision'] == pytest.approx(75.0)
    assert res['sot/precision'] == pytest.approx(75.0)


def test_after_eval_options_and_saved_track_res_path(tmp_path):
    track_dir, res_file = tmp_path / 'tracked', tmp_path / 'eval' / 'curves.json'
    metric = VLSOTMetric(
        saved_track_res_path=str(track_dir),
        options_after_eval=dict(
            saved_eval_res_file=str(res_file), tracker_name='T', eval_show_video_indices=-1))
    res = _evaluate(Evaluator(metric), [('car', None, GT, PRED), ('dog', None, GT, GT)])
    np.testing.assert_allclose(load_boxes_txt(track_dir / 'car.txt'), PRED)
    np.testing.assert_allclose(load_boxes_txt(track_dir / 'dog.txt'), GT)
    curves = mmengine.load(str(res_file))
    assert list(curves) == ['T']
    assert len(curves['T']['success']) == 21 and len(curves['T']['precision']) == 51
    # SOTMetric's file holds the mean curves in %: the reported precision is at 20 px
    assert curves['T']['precision'][20] == pytest.approx(res['vlsot/precision'])
    assert np.mean(curves['T']['success']) == pytest.approx(res['vlsot/success'])
    assert metric.tracker_name == 'T'


def test_format_only_got10k_layout(tmp_path):
    metric = VLSOTMetric(
        format_only=True,
        outfile_prefix=str(tmp_path / 'got'),
        metric_options=dict(dataset_type='got10k'))
    assert _evaluate(Evaluator(metric), [('GOT-10k_Test_000001', None, GT, PRED)]) == {}
    video = tmp_path / 'got' / 'GOT-10k_Test_000001'
    np.testing.assert_allclose(load_boxes_txt(video / 'GOT-10k_Test_000001_001.txt'), PRED)
    assert (video / 'GOT-10k_Test_000001_time.txt').read_text().split() == ['0.0001'] * 4


def test_unique_video_names():
    assert unique_video_names(['a', 'b']) == ['a', 'b']
    assert unique_video_names(['Jogging', 'x', 'Jogging']) == ['Jogging-1', 'x', 'Jogging-2']
    # a numbered name never takes an existing one
    assert unique_video_names(['J', 'J', 'J-1']) == ['J-2', 'J-3', 'J-1']


def test_videos_sharing_a_folder_without_names_get_numbered_files(tmp_path):
    """MMTracking's OTB100Dataset gives no name: Jogging-1/-2 both derive 'Jogging'."""
    other = [[5., 5, 10, 30]] * 4
    with pytest.warns(UserWarning, match='Jogging -> Jogging-1, Jogging -> Jogging-2'):
        _evaluate(
            Evaluator(VLSOTMetric(out_dir=str(tmp_path))), [
                ('Jogging', None, GT, GT),
                ('Jogging', None, other, other),
            ])
    np.testing.assert_allclose(load_boxes_txt(tmp_path / 'Jogging-1.txt'), GT)
    np.testing.assert_allclose(load_boxes_txt(tmp_path / 'Jogging-2.txt'), other)
    assert not (tmp_path / 'Jogging.txt').exists()


def test_otb99_lang_jogging_1_and_2_in_one_split_give_two_files(tmp_path):
    """The real data path: OTB99LangDataset names each video, the metric uses the name."""
    from satracker.datasets import OTB99LangDataset
    from satracker_data.converters import gen_otb99_lang_infos

    root = str(tmp_path / 'OTB99-Lang')
    make_otb99_tree(root)
    with pytest.warns(UserWarning):  # the fixture's defects (Ghost, an empty query)
        summary = gen_otb99_lang_infos(root, osp.join(root, 'annotations'), progress=False)
    rows = []
    for split in ('train', 'test'):
        with open(summary[split]['info_file']) as f:
            lines = f.read().split('\n')
        rows += [r for r in lines[1:] if '/Jogging-' in r]
    assert len(rows) == 2  # Jogging-1 (train) and Jogging-2 (test), one folder Jogging/
    info = osp.join(root, 'annotations', 'jogging_infos.txt')
    with open(info, 'w') as f:
        f.write('\n'.join([lines[0]] + rows))
    with DefaultScope.overwrite_default_scope('mmtrack'):
        ds = OTB99LangDataset(
            data_root=root,
            ann_file=info,
            data_prefix=dict(img_path=''),
            test_mode=True,
            pipeline=[
                dict(type='LoadTrackImageFromFile'),
                dict(type='LoadTrackAnnotations', with_instance_id=False),
                dict(type='PackVLTrackInputs', pack_single_img=True)
            ])
    out_dir = tmp_path / 'results'
    evaluator = Evaluator(VLSOTMetric(out_dir=str(out_dir)))
    gts = {}
    for video_idx in range(2):
        for frame_idx in range(ds.get_len_per_video(video_idx)):
            sample = ds.prepare_data((video_idx, frame_idx))['data_samples']
            gt = sample.metainfo['instances'][0]['bbox']
            sample.pred_track_instances = InstanceData(  # a perfect tracker
                bboxes=torch.tensor(np.asarray(gt)[None]),
                scores=torch.tensor([1.0]))
            gts.setdefault(sample.metainfo['video_name'],
                           []).append([gt[0], gt[1], gt[2] - gt[0], gt[3] - gt[1]])
            evaluator.process([sample], dict(inputs=None))
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter('always')
        res = evaluator.evaluate(len(ds))
    # the names come from the dataset, not from numbering folder names
    assert not [w for w in caught if 'share a name' in str(w.message)]
    assert res['vlsot/precision'] == pytest.approx(100.0)
    assert sorted(gts) == ['Jogging-1', 'Jogging-2']
    for name, boxes in gts.items():
        np.testing.assert_allclose(load_boxes_txt(out_dir / f'{name}.txt'), boxes, atol=1e-4)
    assert not np.allclose(gts['Jogging-1'], gts['Jogging-2'])
    summary = json.loads((out_dir / 'vl_sot_eval.json').read_text())
    assert [v['name'] for v in summary['videos']] == ['Jogging-1', 'Jogging-2']
