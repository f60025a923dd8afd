# Copyright (c) SATracker authors. Licensed under the Apache License 2.0.
"""Phase-1 sets through MMTracking's classes, with the sentence rules of docs/training.md."""
import copy
import os.path as osp
import warnings

import pytest
from mmtrack.registry import DATASETS
from vl_data_fixtures import dump_json, gt_lines, write_img, write_text

from satracker.datasets import (DatasetDefectWarning, GOT10kLangDataset,
                                SOTCocoLangDataset, TrackingNetLangDataset)
from satracker.datasets.vl_sot_io import write_info_file

HEADER = ('The format of each line in this txt is '
          '(video_path,annotation_path,start_frame_id,end_frame_id)')


def _got10k(root):
    for k, cls in ((1, 'ant'), (2, None)):
        v = osp.join(root, 'train', f'GOT-10k_Train_00000{k}')
        for i in range(1, 9):
            write_img(osp.join(v, f'{i:08d}.jpg'))
        write_text(osp.join(v, 'groundtruth.txt'), gt_lines(8))
        write_text(osp.join(v, 'absence.label'), '0\n' * 8)
        write_text(osp.join(v, 'cover.label'), '8\n' * 8)
        if cls:
            write_text(osp.join(v, 'meta_info.ini'),
                       f'[METAINFO]\nurl: x\nobject_class: {cls}\nmotion_class: walking\n')
    write_info_file(osp.join(root, 'annotations', 'got10k_train_vot_infos.txt'), [
        (f'train/GOT-10k_Train_00000{k}', f'train/GOT-10k_Train_00000{k}/groundtruth.txt',
         1, 8) for k in (1, 2)
    ], header=HEADER)


def _trackingnet(root):
    v = osp.join(root, 'TRAIN_0', 'frames', 'vid_a')
    for i in range(8):
        write_img(osp.join(v, f'{i}.jpg'))
    write_text(osp.join(root, 'TRAIN_0', 'anno', 'vid_a.txt'), gt_lines(8))
    write_info_file(osp.join(root, 'annotations', 'trackingnet_train_infos.txt'),
                    [('TRAIN_0/frames/vid_a', 'TRAIN_0/anno/vid_a.txt', 0, 7)],
                    header=HEADER)


def _coco(root):
    write_img(osp.join(root, 'train2017', '000001.jpg'))
    dump_json(osp.join(root, 'annotations', 'instances_train2017.json'), dict(
        images=[dict(id=1, file_name='000001.jpg', height=48, width=64)],
        annotations=[dict(id=1, image_id=1, category_id=3, bbox=[20, 10, 20, 20],
                          area=400, iscrowd=0),
                     dict(id=2, image_id=1, category_id=5, bbox=[1, 1, 10, 10],
                          area=100, iscrowd=1)],
        categories=[dict(id=3, name='car'), dict(id=5, name='person')]))


def test_got10k_class_names(tmp_path, vl_configs, seeded):
    root = str(tmp_path / 'GOT10k')
    _got10k(root)
    ds = GOT10kLangDataset(data_root=root,
                           ann_file='annotations/got10k_train_vot_infos.txt',
                           data_prefix=dict(img_path=''), pipeline=[])
    assert ds.get_text(0) == 'an ant'
    with pytest.warns(DatasetDefectWarning, match='meta_info.ini'):
        assert ds.get_text(1) == ''
    assert ds.get_img_infos_from_video(0)['text'] == 'an ant'
    templ = GOT10kLangDataset(data_root=root, text_template='the {}',
                              ann_file='annotations/got10k_train_vot_infos.txt',
                              data_prefix=dict(img_path=''), pipeline=[])
    assert templ.get_text(0) == 'the ant'


def test_trackingnet_empty_and_coco_category(tmp_path):
    root = str(tmp_path / 'TrackingNet')
    _trackingnet(root)
    tn = TrackingNetLangDataset(data_root=root,
                                ann_file='annotations/trackingnet_train_infos.txt',
                                data_prefix=dict(img_path=''), pipeline=[])
    assert len(tn) == 1 and tn.get_img_infos_from_video(0)['text'] == ''
    coco_root = str(tmp_path / 'coco')
    _coco(coco_root)
    coco = SOTCocoLangDataset(data_root=coco_root,
                              ann_file='annotations/instances_train2017.json',
                              data_prefix=dict(img_path='train2017'), pipeline=[])
    assert len(coco) == 1  # the crowd annotation is left out
    assert coco.get_img_infos_from_video(0)['text'] == 'a car'


def test_phase1_mixture_config_builds_and_samples(tmp_path, vl_configs, lasot_tree,
                                                  seeded):
    _got10k(str(tmp_path / 'GOT10k'))
    _trackingnet(str(tmp_path / 'TrackingNet'))
    _coco(str(tmp_path / 'coco'))
    from satracker.datasets.converters import gen_lasot_lang_infos
    with pytest.warns(DatasetDefectWarning):
        gen_lasot_lang_infos(osp.join(lasot_tree, 'LaSOTBenchmark'),
                             osp.join(lasot_tree, 'annotations'), progress=False)
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
