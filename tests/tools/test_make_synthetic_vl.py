# Copyright (c) SATracker authors. Licensed under the Apache License 2.0.
"""The synthetic VL generator: deterministic, boxes on the target, read by TNL2KDataset."""
import copy
import filecmp
import json
import os
import os.path as osp
import time

import cv2
import numpy as np
import pytest
from tool_loading import load_tool

REPO = osp.dirname(osp.dirname(osp.dirname(osp.abspath(__file__))))


def _tool():
    return load_tool(REPO, 'tools/dataset_converters/make_synthetic_vl.py')


def _files(root):
    out = []
    for d, _, names in os.walk(root):
        out += [osp.relpath(osp.join(d, n), root) for n in names]
    return sorted(out)


@pytest.fixture(scope='module')
def synthetic(tmp_path_factory):
    out = str(tmp_path_factory.mktemp('syn') / 'synthetic_vl')
    t0 = time.time()
    _tool().main([
        '--out', out, '--train-videos', '4', '--test-videos', '2', '--frames', '24', '--seed', '3'
    ])
    return out, time.time() - t0


def test_layout_and_speed(synthetic):
    out, seconds = synthetic
    assert seconds < 30, seconds  # a few seconds for a small set
    videos = sorted(os.listdir(osp.join(out, 'train')))
    assert videos == [f'syn_train_{i:04d}' for i in range(4)]
    v = osp.join(out, 'train', videos[0])
    assert len(os.listdir(osp.join(v, 'imgs'))) == 24
    img = cv2.imread(osp.join(v, 'imgs', '00001.jpg'))
    assert img.shape == (240, 320, 3)
    assert np.loadtxt(osp.join(v, 'groundtruth.txt'), delimiter=',').shape == (24, 4)
    for name in ('tnl2k_train_infos.txt', 'tnl2k_train_frames.json', 'tnl2k_test_infos.txt',
                 'tnl2k_test_frames.json'):
        assert osp.isfile(osp.join(out, 'annotations', name))


def test_same_seed_same_bytes(synthetic, tmp_path):
    out, _ = synthetic
    again = str(tmp_path / 'again')
    _tool().main([
        '--out', again, '--train-videos', '4', '--test-videos', '2', '--frames', '24', '--seed', '3'
    ])
    files = _files(out)
    assert files == _files(again)
    match, mismatch, errors = filecmp.cmpfiles(out, again, files, shallow=False)
    assert not mismatch and not errors
    other = str(tmp_path / 'other')
    _tool().main([
        '--out', other, '--train-videos', '1', '--test-videos', '0', '--frames', '24', '--seed', '4'
    ])
    a = osp.join('train', 'syn_train_0000', 'groundtruth.txt')
    assert not filecmp.cmp(osp.join(out, a), osp.join(other, a), shallow=False)


def test_boxes_lie_on_the_target_and_sentence_names_it(synthetic):
    out, _ = synthetic
    from satracker_data.synthetic_vl import COLOURS
    palette = {k: np.array(v, float) for k, v in COLOURS.items()}
    checked = 0
    for split in ('train', 'test'):
        for video in os.listdir(osp.join(out, split)):
            vdir = osp.join(out, split, video)
            with open(osp.join(vdir, 'meta.json')) as f:
                meta = json.load(f)
            with open(osp.join(vdir, 'language.txt')) as f:
                sentence = f.read().strip()
            assert meta['target_colour'] in sentence and meta['target_shape'] in sentence
            assert meta['num_distractors'] >= 1  # look-alikes of the target
            if meta['mode'] == 'position':
                assert any(w in sentence for w in ('left', 'right', 'top', 'bottom'))
            boxes = np.loadtxt(osp.join(vdir, 'groundtruth.txt'), delimiter=',')
            for t, (x, y, w, h) in enumerate(boxes):
                assert w > 0 and h > 0
                assert x >= 0 and y >= 0 and x + w <= 320 and y + h <= 240
                if meta['occluded'][t]:
                    continue
                img = cv2.imread(osp.join(vdir, 'imgs', f'{t + 1:05d}.jpg'))
                cx, cy = int(x + w // 2), int(y + h // 2)
                pix = img[cy - 1:cy + 2, cx - 1:cx + 2].reshape(-1, 3).mean(0)
                nearest = min(palette, key=lambda k: np.abs(palette[k] - pix).sum())
                assert nearest == meta['target_colour'], (video, t, pix)
                assert np.abs(palette[nearest] - pix).max() < 60, (video, t, pix)
                checked += 1
    assert checked > 100


def test_the_dataset_config_reads_the_generated_folder(synthetic):
    out, _ = synthetic
    import random

    from mmengine.config import Config
    from mmtrack.registry import DATASETS
    from mmtrack.utils import register_all_modules

    import satracker  # noqa: F401
    register_all_modules(init_default_scope=True)
    random.seed(0)
    np.random.seed(0)
    cfg = Config.fromfile(osp.join(REPO, 'configs', '_base_', 'datasets', 'synthetic_vl.py'))
    from satracker.utils import resolve_tokenizer_paths
    resolve_tokenizer_paths(cfg)  # as the tools do
    train_cfg = copy.deepcopy(cfg.train_dataloader.dataset)
    train_cfg.data_root = out
    train = DATASETS.build(train_cfg)
    assert len(train) == 4
    sample = train[0]
    assert sample['inputs']['img'].shape == (1, 3, 128, 128)
    assert sample['inputs']['search_img'].shape == (1, 3, 320, 320)
    assert sample['data_samples'].text_ids.shape == (30, )
    test_cfg = copy.deepcopy(cfg.test_dataloader.dataset)
    test_cfg.data_root = out
    test = DATASETS.build(test_cfg)
    assert len(test) == 2 * 24
    s = test[(1, 0)]['data_samples']
    assert s.metainfo['text'] and s.metainfo['video_name'] == 'syn_test_0001'
    assert cfg.test_dataloader.sampler.type == 'VideoSampler'
    assert cfg.test_dataloader.batch_size == 1


def test_distractor_sentence_names_the_crossing_look_alike(synthetic):
    """language_distractor.txt differs from language.txt in exactly the telling word."""
    out, _ = synthetic
    for split in ('train', 'test'):
        for video in sorted(os.listdir(osp.join(out, split))):
            v = osp.join(out, split, video)
            with open(osp.join(v, 'meta.json')) as f:
                meta = json.load(f)
            with open(osp.join(v, 'language.txt')) as f:
                sentence = f.read().strip()
            with open(osp.join(v, 'language_distractor.txt')) as f:
                wrong = f.read().strip()
            assert sentence == meta['sentence'] and wrong == meta['distractor_sentence']
            assert wrong != sentence, (video, sentence)
            changed = set(wrong.split()) ^ set(sentence.split())
            if meta['mode'] == 'colour':
                assert meta['target_colour'] in changed and meta['target_shape'] in wrong
            elif meta['mode'] == 'shape':
                assert meta['target_shape'] in changed and meta['target_colour'] in wrong
            else:  # position: same colour and shape, another side
                assert wrong.startswith(f"the {meta['target_colour']} {meta['target_shape']} ")


def test_fade_in_videos_start_grey_and_mode_weights(tmp_path):
    """--fade-prob 1: frame 0 has no colour, frame FADE_FRAMES full colour (target pixels);
    --mode-weights 1 0 0: colour videos only."""
    from satracker_data.synthetic_vl import COLOURS, FADE_FRAMES
    out = str(tmp_path / 'fade')
    _tool().main([
        '--out', out, '--train-videos', '0', '--test-videos', '3', '--frames',
        str(FADE_FRAMES + 2), '--seed', '1', '--fade-prob', '1', '--mode-weights', '1', '0', '0'
    ])
    for video in sorted(os.listdir(osp.join(out, 'test'))):
        v = osp.join(out, 'test', video)
        meta = json.load(open(osp.join(v, 'meta.json')))
        assert meta['mode'] == 'colour' and meta['fade_frames'] == FADE_FRAMES
        boxes = np.loadtxt(osp.join(v, 'groundtruth.txt'), delimiter=',')

        def target_saturation(t):
            img = cv2.imread(osp.join(v, 'imgs', f'{t + 1:05d}.jpg'))
            x, y, w, h = boxes[t].astype(int)
            cx, cy = x + w // 2, y + h // 2
            patch = img[cy - 2:cy + 3, cx - 2:cx + 3].reshape(-1, 3).astype(int)
            return (patch.max(axis=1) - patch.min(axis=1)).mean(), patch.mean(axis=0)

        sat0, _ = target_saturation(0)
        sat_end, bgr = target_saturation(FADE_FRAMES)
        assert sat0 < 12, (video, sat0)
        assert sat_end > 100, (video, sat_end)
        np.testing.assert_allclose(bgr, COLOURS[meta['target_colour']], atol=40)


def test_bad_fade_and_mode_weights_are_errors(tmp_path, capsys):
    for args, msg in (
        (['--fade-prob', '1.5'], 'fade_prob must be in'),
        (['--mode-weights', '0', '0', '0'], 'mode_weights must be'),
    ):
        with pytest.raises(SystemExit) as e:
            _tool().main([
                '--out',
                str(tmp_path / 'x'), '--train-videos', '1', '--test-videos', '0', '--frames', '12',
                *args
            ])
        assert msg in str(e.value.code)
