# Copyright (c) SATracker authors. Licensed under the Apache License 2.0.
"""LaSOT with language: official split, nlp.txt, visibility, MMTracking's info files."""
import copy
import os.path as osp
import warnings

import numpy as np
import pytest

from satracker.datasets import DatasetDefectWarning, LaSOTLangDataset
from satracker_data.converters import gen_lasot_lang_infos
from satracker_data.vl_sot_io import write_info_file


def _convert(root):
    bench = osp.join(root, 'LaSOTBenchmark')
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter('always')
        summary = gen_lasot_lang_infos(bench, osp.join(root, 'annotations'), progress=False)
    return summary, [str(w.message) for w in caught if issubclass(w.category, DatasetDefectWarning)]


def test_converter_official_split_and_defects(lasot_tree):
    root = lasot_tree
    summary, msgs = _convert(root)
    assert summary['train']['num_videos'] == 2  # airplane-2, cat-2 (dog-3 empty)
    assert summary['test']['num_videos'] == 2  # airplane-1, cat-1 (official)
    assert len([m for m in msgs if '278 LaSOT test video(s) not found' in m]) == 1
    assert len([m for m in msgs if osp.join('dog-3', 'img') in m and 'skipped' in m]) == 1
    assert len([m for m in msgs
                if osp.join('cat-2', 'groundtruth.txt') in m and 'dropped' in m]) == 1
    assert len(msgs) == 3, msgs
    with open(summary['test']['info_file']) as f:
        lines = f.read().split('\n')
    assert lines[1] == ('airplane/airplane-1/img,airplane/airplane-1/groundtruth.txt,1,8,'
                        'airplane/airplane-1/nlp.txt')


def test_dataset_visibility_text_and_pipeline(lasot_tree, vl_configs):
    root = lasot_tree
    _convert(root)
    with pytest.warns(DatasetDefectWarning) as record:
        ds = LaSOTLangDataset(
            data_root=root,
            ann_file='annotations/lasot_train_infos.txt',
            data_prefix=dict(img_path='LaSOTBenchmark'),
            pipeline=[])
        infos = ds.get_ann_infos_from_video(1)  # cat-2: 9 rows, 6 frames
    msgs = sorted(str(w.message) for w in record)
    assert len(msgs) == 2
    assert osp.join('cat-2', 'full_occlusion.txt') + ' has 9 entries for 6' in msgs[0]
    assert osp.join('cat-2', 'groundtruth.txt') in msgs[1] and 'dropped' in msgs[1]
    assert infos['bboxes'].shape == (6, 4)
    # Occlusion and out-of-view files (9 entries) fitted to the 6 frames.
    assert infos['visible'].tolist() == [True, True, False, False, True, True]
    assert ds.get_text(0) == 'the plane on the ground'

    test = LaSOTLangDataset(
        data_root=root,
        ann_file='annotations/lasot_test_infos.txt',
        data_prefix=dict(img_path='LaSOTBenchmark'),
        pipeline=copy.deepcopy(vl_configs['lasot_lang'].test_pipeline),
        test_mode=True)
    assert len(test) == 14
    meta = test.prepare_data((1, 2))['data_samples'].metainfo
    assert meta['text'] == 'black cat on the sofa' and meta['video_name'] == 'cat-1'
    assert not meta['instances'][0]['visible']  # fully occluded frame


def test_reads_mmtracking_four_column_infos(lasot_tree):
    root = lasot_tree
    ann = osp.join(root, 'annotations', 'mmtrack_infos.txt')
    write_info_file(
        ann, [('airplane/airplane-2/img', 'airplane/airplane-2/groundtruth.txt', 1, 8)],
        header='The format of each line in this txt is (video_path,'
        'annotation_path,start_frame_id,end_frame_id)')
    ds = LaSOTLangDataset(
        data_root=root, ann_file=ann, data_prefix=dict(img_path='LaSOTBenchmark'), pipeline=[])
    assert ds.get_text(0) == 'the plane on the ground'
    infos = ds.get_img_infos_from_video(0)
    assert infos['img_paths'][0].endswith(osp.join('airplane-2', 'img', '00000001.jpg'))
    np.testing.assert_array_equal(
        ds.get_ann_infos_from_video(0)['visible'][:4], [True, True, False, False])
