# Copyright (c) SATracker authors. Licensed under the Apache License 2.0.
"""configs/_base_/datasets/: each shared piece (train pipeline, test pipeline, test loader) is
written in one base file, and every training set and test split uses that one."""
import glob
import os.path as osp

import pytest
from mmengine.config import Config

REPO = osp.dirname(osp.dirname(osp.abspath(__file__)))
DATASETS = osp.join(REPO, 'configs', '_base_', 'datasets')
TRAIN_SETS = ('vl_sot_train', 'stark_phase1_vl', 'synthetic_vl')
TEST_SPLITS = ('tnl2k', 'otb99_lang', 'lasot_lang', 'synthetic_vl')
# a line only the shared piece has -> the one config file that may contain it
WRITTEN_ONCE = {
    "type='VLPairSampling'": 'configs/_base_/datasets/vl_sot_train_pipeline.py',
    "type='SeqCropLikeStarkNp2'": 'configs/_base_/datasets/vl_sot_train_pipeline.py',
    "dict(type='TokenizeText', tokenizer_path=None, max_length=30)":
    'configs/_base_/datasets/vl_sot_test_pipeline.py',
    "sampler=dict(type='VideoSampler')": 'configs/_base_/datasets/vl_sot_test.py',
}


def _load(name):
    return Config.fromfile(osp.join(DATASETS, f'{name}.py'))


@pytest.fixture(scope='module')
def shared():
    return dict(
        train=_load('vl_sot_train_pipeline').train_pipeline, test=_load('vl_sot_test_pipeline'))


def _sources():
    # configs/demo/ writes the demo's crop sizes into the pipelines it inherits (checked below)
    for path in glob.glob(osp.join(REPO, 'configs', '**', '*.py'), recursive=True):
        rel = osp.relpath(path, REPO)
        if not rel.startswith('configs/demo/'):
            with open(path, encoding='utf-8') as f:
                yield rel, f.read()


@pytest.mark.parametrize('line', sorted(WRITTEN_ONCE))
def test_shared_piece_is_written_once(line):
    found = sorted(rel for rel, text in _sources() if line in text)
    assert found == [WRITTEN_ONCE[line]]


@pytest.mark.parametrize('name', TRAIN_SETS)
def test_train_sets_use_the_shared_pipeline(name, shared):
    cfg = _load(name)
    assert cfg.train_pipeline == shared['train']
    dataset = cfg.train_dataloader.dataset
    datasets = dataset.get('datasets', [dataset])
    assert len(datasets) >= 1
    for ds in datasets:
        assert ds.pipeline == shared['train'], ds.type


@pytest.mark.parametrize('name', TEST_SPLITS)
def test_test_splits_use_the_shared_loader_and_pipeline(name, shared):
    cfg = _load(name)
    want = shared['test']
    assert cfg.test_pipeline == want.test_pipeline
    assert cfg.test_dataloader == cfg.val_dataloader
    loader = cfg.test_dataloader.to_dict()
    dataset = loader.pop('dataset')
    skeleton = want.test_dataloader.to_dict()
    skeleton_dataset = skeleton.pop('dataset')
    # batch 1, VideoSampler, ...: the skeleton's; the split adds type, root and info file
    # (LaSOT its image folder too)
    assert loader == skeleton
    assert set(skeleton_dataset) | {'type', 'data_root', 'ann_file'} == set(dataset)
    assert dataset['pipeline'] == want.test_pipeline
    assert dataset['test_mode'] is True
    assert cfg.test_evaluator.type == 'VLSOTMetric'


def test_demo_pipelines_are_the_shared_ones_at_demo_sizes(shared):
    demo = Config.fromfile(osp.join(REPO, 'configs', 'demo', '_base_', 'demo_synthetic.py'))
    # what the demo may change, by transform: the crop sizes, the jitter, the sentence length
    may_change = dict(
        SeqBboxJitter={'center_jitter_factor', 'scale_jitter_factor'},
        SeqCropLikeStarkNp2={'output_size'},
        TokenizeText={'max_length'})
    # and what it may add: the grey templates of its training pairs, right after the crop
    train = [t for t in demo.train_pipeline if t['type'] != 'TemplateGrayAug']
    gray, = (i for i, t in enumerate(demo.train_pipeline) if t['type'] == 'TemplateGrayAug')
    assert demo.train_pipeline[gray - 1]['type'] == 'SeqCropLikeStarkNp2'
    assert demo.train_pipeline[gray]['prob'] == demo.demo_template_gray_prob
    for got, want in (
        (train, shared['train']),
        (demo.test_pipeline, shared['test'].test_pipeline),
    ):
        assert [t['type'] for t in got] == [t['type'] for t in want]
        for g, w in zip(got, want):
            changed = {k for k in set(g) | set(w) if g.get(k) != w.get(k)}
            assert changed <= may_change.get(w['type'], set()), (w['type'], changed)
    crop, = (t for t in demo.train_pipeline if t['type'] == 'SeqCropLikeStarkNp2')
    assert crop['output_size'] == [demo.template_size, demo.search_size]
    assert demo.train_dataloader.dataset.pipeline == demo.train_pipeline
    assert demo.test_dataloader.dataset.pipeline == demo.test_pipeline
