# Copyright (c) SATracker authors. Licensed under the Apache License 2.0.
"""Phase-1 sets through MMTracking's classes, with the sentence rules of docs/training.md."""
import copy
import os.path as osp
import warnings

import pytest
from mmtrack.registry import DATASETS
from vl_data_fixtures import info_dataset, make_coco_tree, make_got10k_tree, make_trackingnet_tree

from satracker.datasets import (DatasetDefectWarning, GOT10kLangDataset, SOTCocoLangDataset,
                                TrackingNetLangDataset)


def test_got10k_class_names(tmp_path, vl_configs, seeded):
    root = str(tmp_path / 'GOT10k')
    make_got10k_tree(root)
    ds = info_dataset(GOT10kLangDataset, root, 'got10k_train_vot_infos.txt')
    assert ds.get_text(0) == 'an ant'
    with pytest.warns(DatasetDefectWarning, match='meta_info.ini'):
        assert ds.get_text(1) == ''
    assert ds.get_img_infos_from_video(0)['text'] == 'an ant'
    templ = info_dataset(
        GOT10kLangDataset, root, 'got10k_train_vot_infos.txt', text_template='the {}')
    assert templ.get_text(0) == 'the ant'


def test_trackingnet_empty_and_coco_category(tmp_path):
    root = str(tmp_path / 'TrackingNet')
    make_trackingnet_tree(root)
    tn = info_dataset(TrackingNetLangDataset, root, 'trackingnet_train_infos.txt')
    assert len(tn) == 1 and tn.get_img_infos_from_video(0)['text'] == ''
    coco_root = str(tmp_path / 'coco')
    make_coco_tree(coco_root)
    coco = info_dataset(
        SOTCocoLangDataset, coco_root, 'instances_train2017.json', img_path='train2017')
    assert len(coco) == 1  # the crowd annotation is left out
    assert coco.get_img_infos_from_video(0)['text'] == 'a car'


def test_phase1_mixture_config_builds_and_samples(tmp_path, vl_configs, lasot_tree, seeded):
    make_got10k_tree(str(tmp_path / 'GOT10k'))
    make_trackingnet_tree(str(tmp_path / 'TrackingNet'))
    make_coco_tree(str(tmp_path / 'coco'))
    from satracker_data.converters import gen_lasot_lang_infos
    with pytest.warns(DatasetDefectWarning):
        gen_lasot_lang_infos(
            osp.join(lasot_tree, 'LaSOTBenchmark'),
            osp.join(lasot_tree, 'annotations'),
            progress=False)
    cfg = copy.deepcopy(vl_configs['stark_phase1_vl'].train_dataloader.dataset)
    roots = [str(tmp_path / n) for n in ('GOT10k', 'LaSOT', 'TrackingNet', 'coco')]
    for sub, root in zip(cfg.datasets, roots):
        sub.data_root = root
    mix = DATASETS.build(cfg)
    texts = set()
    with warnings.catch_warnings():
        warnings.simplefilter('ignore', DatasetDefectWarning)  # LaSOT cat-2's rows
        for i in range(24):
            sample = mix[i]['data_samples']
            texts.add(sample.metainfo['search_text'])
            assert sample.metainfo['text_valid'] == bool(sample.metainfo['search_text'])
            assert sample.text_ids.shape == (30, )
    assert 'a car' in texts and '' in texts
