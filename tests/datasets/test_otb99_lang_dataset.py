# Copyright (c) SATracker authors. Licensed under the Apache License 2.0.
"""OTB99-Lang: MMTracking's OTB100 frame ranges, shared folders, query-file splits."""
import copy
import os.path as osp
import warnings

import numpy as np
import pytest
from vl_data_fixtures import info_dataset

from satracker.datasets import DatasetDefectWarning, OTB99LangDataset
from satracker_data.converters import gen_otb99_lang_infos


def _convert(root):
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter('always')
        summary = gen_otb99_lang_infos(root, osp.join(root, 'annotations'), progress=False)
    return summary, [str(w.message) for w in caught if issubclass(w.category, DatasetDefectWarning)]


def _rows(path):
    with open(path) as f:
        return {r.split(',')[4]: r.split(',') for r in f.read().split('\n')[1:]}


def test_converter_ranges_shared_folders_and_defects(otb99_tree):
    summary, msgs = _convert(otb99_tree)
    assert summary['train']['num_videos'] == 3
    assert summary['test']['num_videos'] == 3
    assert summary['test']['skipped'] == ['Ghost']
    assert len([m for m in msgs if 'Ghost' in m and 'skipped' in m]) == 1
    assert len([m for m in msgs if 'Human4.txt' in m and 'empty' in m]) == 1
    assert len(msgs) == 2, msgs

    train = _rows(summary['train']['info_file'])
    assert train['OTB_query_train/Board.txt'] == [
        'OTB_videos/Board/img', 'OTB_videos/Board/groundtruth_rect.txt', '1', '6',
        'OTB_query_train/Board.txt', '%05d.jpg'
    ]
    # Tiger1 starts at frame 6 (MMTracking / OTB initOmit).
    assert train['OTB_query_train/Tiger1.txt'][2:4] == ['6', '12']
    # Jogging-1 lives in the shared Jogging folder with groundtruth_rect.1.txt.
    assert train['OTB_query_train/Jogging-1.txt'][:2] == [
        'OTB_videos/Jogging/img', 'OTB_videos/Jogging/groundtruth_rect.1.txt'
    ]
    test = _rows(summary['test']['info_file'])
    assert test['OTB_query_test/Jogging-2.txt'][1] == \
        'OTB_videos/Jogging/groundtruth_rect.2.txt'
    # BlurCar3 is evaluated from frame 3 (MMTracking's otb100 ranges).
    assert test['OTB_query_test/BlurCar3.txt'][2:4] == ['3', '10']
    # Human4: the empty groundtruth_rect.1.txt is passed over for .2.
    assert test['OTB_query_test/Human4.txt'][1].endswith('groundtruth_rect.2.txt')


def test_dataset_train_and_test(otb99_tree, vl_configs):
    _convert(otb99_tree)
    ds = info_dataset(OTB99LangDataset, otb99_tree, 'otb99_lang_train_infos.txt')
    assert len(ds) == 3
    names = [ds.get_video_name(i) for i in range(3)]
    assert names == ['Board', 'Jogging-1', 'Tiger1']
    board = ds.get_img_infos_from_video(0)
    assert board['img_paths'][0].endswith(osp.join('Board', 'img', '00001.jpg'))
    assert board['text'] == 'the board held by the man'
    tiger = dict(**ds.get_img_infos_from_video(2), **ds.get_ann_infos_from_video(2))
    assert tiger['img_paths'][0].endswith('0006.jpg') and tiger['video_length'] == 7
    # Tab-separated GT; the first 5 rows are skipped like MMTracking does.
    np.testing.assert_allclose(tiger['bboxes'][0], [15, 10, 35, 30])

    pipeline = copy.deepcopy(vl_configs['otb99_lang'].test_pipeline)
    with pytest.warns(DatasetDefectWarning, match='Human4.txt'):
        test = OTB99LangDataset(
            data_root=otb99_tree,
            ann_file='annotations/otb99_lang_test_infos.txt',
            data_prefix=dict(img_path=''),
            pipeline=pipeline,
            test_mode=True)
    assert len(test) == 8 + 8 + 7
    jog2 = [i for i in range(3) if test.get_video_name(i) == 'Jogging-2'][0]
    out = test.prepare_data((jog2, 0))
    meta = out['data_samples'].metainfo
    assert meta['text'] == 'the man in white' and meta['video_name'] == 'Jogging-2'
    np.testing.assert_allclose(meta['instances'][0]['bbox'], [5, 5, 15, 35])
    assert out['data_samples'].text_ids.shape == (30, )
    human = [i for i in range(3) if test.get_video_name(i) == 'Human4'][0]
    meta = test.prepare_data((human, 0))['data_samples'].metainfo
    assert meta['text'] == '' and meta['text_valid'] is False
