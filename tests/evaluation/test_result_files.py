# Copyright (c) SATracker authors. Licensed under the Apache License 2.0.
"""The result-file format: a folder written before the format moved to ``result_files`` reads
back and is written again byte for byte; one video-name rule for datasets and the metric."""
import json
import os.path as osp
import sys

import numpy as np
import pytest

from satracker.evaluation import plots
from satracker.evaluation.metrics import VLSOTMetric
from satracker.evaluation.result_files import (CURVES_NPZ, RESULTS_JSON, load_boxes_txt,
                                               load_tracker_result, video_name_from_dir,
                                               video_name_from_path, write_boxes_txt)

sys.path.insert(0, osp.dirname(osp.abspath(__file__)))
from test_vl_sot_metric import GT_A, GT_B, PRED_A, PRED_B, _run, _video  # noqa: E402

#: Written by VLSOTMetric at aee9bf8, before this module existed (tracker 'Fake', 2 videos).
OLD = osp.join(
    osp.dirname(osp.dirname(osp.abspath(__file__))), 'data', 'vl_sot_results_pre_redesign')


def test_folder_written_before_reads_back(tmp_path):
    result = load_tracker_result(OLD)
    assert result['name'] == 'Fake' and result['protocol'] == 'pytracking'
    assert result['video_names'] == ['car_1', 'dog_2']
    # the numbers of test_vl_sot_metric.test_two_videos_end_to_end, worked out by hand
    assert result['success'] == pytest.approx(100 * (12.8 / 21 + 0.75 * 20 / 21) / 2)
    assert result['precision'] == pytest.approx(100 * (1 + 0.75) / 2)
    assert result['curves']['success'].shape == (21, )
    assert result['thresholds']['precision'].shape == (51, )
    np.testing.assert_allclose(load_boxes_txt(osp.join(OLD, 'car_1.txt')), PRED_A)
    # rescoring the old <video>.txt files against the ground truth gives the stored numbers
    gt_dir = tmp_path / 'gt'
    gt_dir.mkdir()
    write_boxes_txt(str(gt_dir / 'car_1.txt'), GT_A)
    write_boxes_txt(str(gt_dir / 'dog_2.txt'), GT_B)
    rescored = load_tracker_result(OLD, gt_dir=str(gt_dir))
    for key in ('success', 'precision', 'norm_precision'):
        assert rescored[key] == pytest.approx(result[key])
        np.testing.assert_allclose(rescored['curves'][key], result['curves'][key])
    assert plots.load_tracker_result is load_tracker_result  # the name run_demo.py imports


def test_same_files_on_disk_as_before(tmp_path):
    out = tmp_path / 'results'
    _run(
        VLSOTMetric(out_dir=str(out), tracker_name='Fake'),
        [_video('car_1', 0, GT_A, PRED_A),
         _video('dog_2', 1, GT_B, PRED_B)])
    for name in ('car_1.txt', 'dog_2.txt'):
        assert (out / name).read_bytes() == open(osp.join(OLD, name), 'rb').read()
    new = json.loads((out / RESULTS_JSON).read_text())
    old = json.load(open(osp.join(OLD, RESULTS_JSON)))
    new.pop('ms_per_frame'), old.pop('ms_per_frame')  # wall-clock time
    assert list(new) == list(old) and new == old
    new_npz, old_npz = np.load(out / CURVES_NPZ), np.load(osp.join(OLD, CURVES_NPZ))
    assert new_npz.files == old_npz.files
    for key in old_npz.files:
        np.testing.assert_array_equal(new_npz[key], old_npz[key])


@pytest.mark.parametrize('video_dir,name', [
    ('data/TNL2K/test/car_1/imgs', 'car_1'),
    ('data/OTB100/Biker/img/', 'Biker'),
    ('airplane/airplane-1/img', 'airplane-1'),
    ('data/LaSOT/airplane/airplane-1/img', 'airplane-1'),
    ('VOT/ants1/color', 'ants1'),
    ('data/VOT/ants1/color', 'ants1'),
    ('video_0003', 'video_0003'),
    ('data/synthetic/video_0003', 'video_0003'),
    ('img', 'img'),
    ('', ''),
])
def test_one_video_name_rule(video_dir, name):
    assert video_name_from_dir(video_dir) == name
    if video_dir:  # a frame of that folder gets the same name
        assert video_name_from_path(osp.join(video_dir, '00001.jpg')) == name


def test_datasets_name_videos_by_the_same_rule():
    from satracker.datasets.base_vl_sot_dataset import VLSOTDatasetMixin

    class Fake(VLSOTDatasetMixin):

        def __init__(self, infos):
            self.infos = infos

        def get_data_info(self, idx):
            return self.infos[idx]

    ds = Fake([
        dict(video_path='LaSOT/airplane/airplane-1/img'),
        dict(video_path=''),
        dict(video_path='OTB/Jogging/img', video_name='Jogging-2')
    ])
    assert [ds.get_video_name(i) for i in range(3)] == ['airplane-1', '1', 'Jogging-2']
