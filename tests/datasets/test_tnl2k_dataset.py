# Copyright (c) SATracker authors. Licensed under the Apache License 2.0.
"""TNL2K: converter + dataset on a tiny release with every defect of docs/dataset_prepare.md."""
import copy
import json
import os.path as osp
import warnings

import numpy as np
import pytest
import torch
from mmtrack.registry import DATASETS

from satracker.datasets import DatasetDefectWarning, TNL2KDataset
from satracker.datasets.transforms import swap_left_right
from satracker_data.converters import gen_tnl2k_infos


def _convert(root, split='all', check_images=False):
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter('always')
        summary = gen_tnl2k_infos(
            root,
            osp.join(root, 'annotations'),
            split=split,
            check_images=check_images,
            progress=False)
    msgs = [str(w.message) for w in caught if issubclass(w.category, DatasetDefectWarning)]
    return summary, msgs


def _one(msgs, *needles):
    hits = [m for m in msgs if all(n in m for n in needles)]
    assert len(hits) == 1, (needles, msgs)
    return hits[0]


def _dataset(root, split, pipeline, test_mode=False):
    return TNL2KDataset(
        data_root=root,
        ann_file=f'annotations/tnl2k_{split}_infos.txt',
        data_prefix=dict(img_path=''),
        pipeline=pipeline,
        test_mode=test_mode)


def test_converter_rules_each_warn_once_naming_the_file(tnl2k_tree):
    root = tnl2k_tree['root']
    summary, msgs = _convert(root, 'train')
    s = summary['train']
    # Extra GT rows dropped; too few rows -> trailing frames unused.
    _one(msgs, osp.join('Extra_rows', 'groundtruth.txt'), 'rows are dropped')
    _one(msgs, osp.join('Few_rows', 'groundtruth.txt'), 'frames are not used')
    # Empty / missing language -> empty sentence.
    _one(msgs, osp.join('Empty_lang', 'language.txt'), 'empty')
    _one(msgs, osp.join('No_lang', 'language.txt'), 'not found')
    # Non-UTF-8 language read with a fallback; stray non-image file ignored.
    _one(msgs, osp.join('Non_utf8', 'language.txt'), 'not valid UTF-8')
    _one(msgs, '00009.pn_error')
    # Folder without images -> skipped.
    _one(msgs, 'Empty_folder', 'no images', 'skipped')
    assert len(msgs) == 7, msgs
    assert s['num_videos'] == 7
    assert [osp.basename(p) for p in s['skipped']] == ['Empty_folder']

    with open(s['info_file']) as f:
        lines = f.read().split('\n')
    assert lines[0].startswith('The format of each line')
    rows = [line.split(',') for line in lines[1:]]
    by_name = {r[0].split('/')[1]: r for r in rows}
    assert set(by_name) == set(tnl2k_tree['train_videos'])
    assert by_name['Extra_rows'][2:4] == ['0', '5']  # 6 frames, 8 rows
    assert by_name['Few_rows'][2:4] == ['0', '5']  # 8 frames, 6 rows
    assert by_name['Good_video'] == [
        'train/Good_video/imgs', 'train/Good_video/groundtruth.txt', '0', '7',
        'train/Good_video/language.txt'
    ]
    with open(s['frames_file']) as f:
        frames = json.load(f)
    # The converter stores each video's own frame names (never one template).
    assert frames['train/Extra_rows/imgs'] == [f'img_{i}.jpg' for i in range(1, 7)]
    assert frames['train/Good_video/imgs'][0] == '00001.png'
    assert frames['train/Few_rows/imgs'][0] == '0000.jpg'


def test_check_images_lists_unreadable_up_front(tnl2k_tree):
    root = tnl2k_tree['root']
    summary, msgs = _convert(root, 'test', check_images=True)
    assert summary['test']['unreadable'] == [tnl2k_tree['unreadable']]
    listing = osp.join(root, 'annotations', 'tnl2k_test_unreadable.txt')
    with open(listing) as f:
        assert f.read().split() == [tnl2k_tree['unreadable']]
    _one(msgs, '1 unreadable image', tnl2k_tree['unreadable'])


def test_unparsable_gt_line_is_an_error_naming_file_and_line(tnl2k_tree):
    root = tnl2k_tree['root']
    gt = osp.join(root, 'train', 'Good_video', 'groundtruth.txt')
    with open(gt, 'a') as f:
        f.write('1,2,three,4\n')
    with pytest.raises(ValueError, match=r'Good_video.groundtruth\.txt, line 9'):
        _convert(root, 'train')


def test_dataset_loads_counts_sentences_and_row_rule(tnl2k_tree):
    root = tnl2k_tree['root']
    _convert(root)
    with pytest.warns(DatasetDefectWarning) as record:
        ds = _dataset(root, 'train', [])
    msgs = [str(w.message) for w in record]
    # Sentences are read at load: the three language defects warn again.
    _one(msgs, osp.join('Empty_lang', 'language.txt'))
    _one(msgs, osp.join('No_lang', 'language.txt'))
    _one(msgs, osp.join('Non_utf8', 'language.txt'))
    assert len(ds) == 7
    assert [ds.get_len_per_video(i) for i in range(7)] == tnl2k_tree['train_lengths']
    idx = {name: i for i, name in enumerate(tnl2k_tree['train_videos'])}
    texts = [ds.get_text(i) for i in range(7)]
    assert texts[idx['Good_video']] == 'the red car on the left'
    assert texts[idx['Empty_lang']] == '' and texts[idx['No_lang']] == ''
    assert texts[idx['Non_utf8']] == 'the caf\xe9 sign on the right'

    # More GT rows than frames: extra rows dropped at load, one warning per video.
    with pytest.warns(DatasetDefectWarning, match='rows are dropped') as record:
        for _ in range(3):
            infos = ds.get_ann_infos_from_video(idx['Extra_rows'])
    assert len(record) == 1
    assert infos['bboxes'].shape == (6, 4)
    img_infos = ds.get_img_infos_from_video(idx['Extra_rows'])
    assert img_infos['img_paths'][-1].endswith(osp.join('Extra_rows', 'imgs', 'img_6.jpg'))
    assert img_infos['text'] == 'a man in black'

    # Invalid boxes (w <= 0, h <= 0, NaN) are marked invalid and not visible.
    ann = ds.get_ann_infos_from_video(idx['Invalid_boxes'])
    assert ann['bboxes_isvalid'].tolist() == [True, False, False, False, True, True, True, True]
    assert not ann['visible'][1:4].any()
    assert np.isnan(ann['bboxes'][2]).all()  # kept raw (scoring uses raw GT)


def _train_pipeline(vl_configs):
    return copy.deepcopy(vl_configs['vl_sot_train'].train_pipeline)


def _converted_train_set(tnl2k_tree, vl_configs):
    """The tree's train split, converted, through the shared training pipeline (the tree's
    defect warnings silenced)."""
    root = tnl2k_tree['root']
    _convert(root)
    with warnings.catch_warnings():
        warnings.simplefilter('ignore')
        return _dataset(root, 'train', _train_pipeline(vl_configs))


def test_train_sample_through_the_full_pipeline(tnl2k_tree, vl_configs, seeded):
    ds = _converted_train_set(tnl2k_tree, vl_configs)
    with warnings.catch_warnings():
        warnings.simplefilter('ignore')
        sentences = {
            osp.basename(osp.dirname(ds.get_data_info(i)['video_path'])): ds.get_text(i)
            for i in range(len(ds))
        }
        for _ in range(12):
            out = ds[0]
            inputs, sample = out['inputs'], out['data_samples']
            assert inputs['img'].shape == (1, 3, 128, 128)
            assert inputs['search_img'].shape == (1, 3, 320, 320)
            assert sample.gt_instances.bboxes.shape == (1, 4)
            assert sample.search_gt_instances.bboxes.shape == (1, 4)
            assert sample.gt_instances.bboxes.dtype == torch.float32
            assert sample.padding_mask.shape == (1, 128, 128)
            assert sample.search_padding_mask.shape == (1, 320, 320)
            assert sample.text_ids.shape == (30, ) and sample.text_ids.dtype == torch.long
            assert sample.text_mask.shape == (30, ) and sample.text_mask.dtype == torch.long
            # The sentence is the one of the sampled video (left/right swapped if
            # the pair was flipped).
            video = sample.metainfo['img_path'].split(osp.sep)[-3]
            expected = sentences[video]
            if sample.metainfo['flip']:
                expected = swap_left_right(expected)
            assert sample.metainfo['text'] == [expected]
            assert sample.metainfo['search_text'] == expected
            assert sample.metainfo['text_valid'] == bool(expected)
            assert int(
                sample.text_mask.sum()) == (2 if not expected else int(sample.text_mask.sum()))
            # Search box in search-crop pixels.
            x1, y1, x2, y2 = sample.search_gt_instances.bboxes[0].tolist()
            assert 0 < x2 - x1 < 320 and 0 < y2 - y1 < 320


def test_invalid_or_outside_boxes_are_never_training_targets(tnl2k_tree, vl_configs, seeded):
    ds = _converted_train_set(tnl2k_tree, vl_configs)
    i = tnl2k_tree['train_videos'].index('Invalid_boxes')
    infos = dict(**ds.get_img_infos_from_video(i), **ds.get_ann_infos_from_video(i))
    sampler = ds.pipeline.transforms[0]
    for _ in range(300):
        t, s = sampler.sample_indices(infos)
        assert t not in (1, 2, 3) and s not in (1, 2, 3)
        assert t != s
    # Frame 4 has a valid size but lies mostly outside the image: the sample is
    # rejected after loading (the dataset then draws another one).
    seen = set()
    for _ in range(60):
        out = ds.pipeline([infos, infos])
        if out is not None:
            seen.update([
                out['data_samples'].metainfo['frame_id'],
                out['data_samples'].metainfo['search_frame_id']
            ])
    assert seen and not seen & {1, 2, 3, 4}


def test_test_samples_carry_text_and_raw_gt(tnl2k_tree, vl_configs):
    root = tnl2k_tree['root']
    _convert(root)
    pipeline = copy.deepcopy(vl_configs['tnl2k'].test_pipeline)
    ds = _dataset(root, 'test', pipeline, test_mode=True)
    assert len(ds) == sum(tnl2k_tree['test_lengths'])
    out = ds.prepare_data((1, 2))
    sample = out['data_samples']
    assert out['inputs']['img'].shape == (1, 3, 48, 64)
    meta = sample.metainfo
    assert meta['text'] == 'the 红色 ball near the café'
    assert meta['video_name'] == 'Test_video_2'
    assert meta['frame_id'] == 2 and meta['video_length'] == 5
    assert meta['ori_shape'] == (48, 64)
    assert meta['instances'][0]['visible']
    np.testing.assert_allclose(meta['instances'][0]['bbox'], [22, 10, 42, 30])
    assert sample.gt_instances.bboxes.shape == (1, 4)
    assert sample.text_ids.shape == (30, ) and sample.text_mask.shape == (30, )
    assert meta['text_valid'] is True

    # Tokenised once per video, not per frame.
    tok = ds.pipeline.transforms[2]
    calls = []
    real = tok._tokenizer

    class Counting:

        def __call__(self, *a, **k):
            calls.append(a[0])
            return real(*a, **k)

    tok._tokenizer = Counting()
    tok._cache.clear()
    for f in range(5):
        ds.prepare_data((1, f))
    assert len(calls) == 1


def test_unreadable_image_raises_naming_the_path(tnl2k_tree, vl_configs):
    root = tnl2k_tree['root']
    _convert(root)
    ds = _dataset(root, 'test', copy.deepcopy(vl_configs['tnl2k'].test_pipeline), test_mode=True)
    ds.prepare_data((0, 1))
    with pytest.raises(OSError, match='Cannot read image.*00003.jpg.*--check-images'):
        ds.prepare_data((0, 2))


def test_dataset_is_built_from_the_registry(tnl2k_tree, vl_configs):
    root = tnl2k_tree['root']
    _convert(root)
    cfg = copy.deepcopy(vl_configs['tnl2k'].test_dataloader.dataset)
    cfg.data_root = root
    ds = DATASETS.build(cfg)
    assert isinstance(ds, TNL2KDataset) and len(ds) == 11


def test_stale_info_with_fewer_rows_pads_invalid_boxes(tnl2k_tree):
    """An info file from another tool that claims more frames than GT rows: the frames
    without a row get NaN boxes (never training targets), with one warning."""
    root = tnl2k_tree['root']
    _convert(root, 'train')
    info = osp.join(root, 'annotations', 'tnl2k_train_infos.txt')
    with open(info) as f:
        text = f.read()
    text = text.replace('train/Few_rows/groundtruth.txt,0,5', 'train/Few_rows/groundtruth.txt,0,7')
    with open(info, 'w') as f:
        f.write(text)
    with warnings.catch_warnings():
        warnings.simplefilter('ignore')
        ds = _dataset(root, 'train', [])
    i = tnl2k_tree['train_videos'].index('Few_rows')
    with pytest.warns(DatasetDefectWarning, match='last 2 frames have no box'):
        ann = ds.get_ann_infos_from_video(i)
    assert ann['bboxes'].shape == (8, 4) and np.isnan(ann['bboxes'][6:]).all()
    assert not ann['bboxes_isvalid'][6:].any() and ann['bboxes_isvalid'][:6].all()


def test_language_file_option_reads_another_sentence_file(tnl2k_tree, tmp_path):
    """language_file='x.txt' reads each video's sentence from <video>/x.txt instead."""
    import shutil
    root = str(tmp_path / 'tnl2k')
    shutil.copytree(tnl2k_tree['root'], root)
    _convert(root)
    with warnings.catch_warnings():
        warnings.simplefilter('ignore', DatasetDefectWarning)
        base = _dataset(root, 'train', [])
    for i in range(len(base)):
        video_dir = osp.dirname(osp.join(root, base.get_data_info(i)['video_path']))
        with open(osp.join(video_dir, 'other.txt'), 'w') as f:
            f.write(f'sentence number {i}\n')
    with warnings.catch_warnings():
        warnings.simplefilter('ignore', DatasetDefectWarning)
        other = TNL2KDataset(
            data_root=root,
            ann_file='annotations/tnl2k_train_infos.txt',
            data_prefix=dict(img_path=''),
            pipeline=[],
            language_file='other.txt')
    assert [other.get_text(i)
            for i in range(len(other))] == [f'sentence number {i}' for i in range(len(base))]
    assert [other.get_len_per_video(i)
            for i in range(len(other))] == [base.get_len_per_video(i) for i in range(len(base))]
