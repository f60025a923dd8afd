# Copyright (c) SATracker authors. Licensed under the Apache License 2.0.
"""MMTracking's own STARK-ST1, STARK-ST2 and SiamRPN++ configs train and test through our tools.

The configs are used unchanged, at full size (ResNet-50), except through ``--cfg-options`` for
what the issue allows: data roots, offline init weights (``init_cfg=None``, ST2's ``load_from``)
and batch size, plus the schedule length (one iteration: ``max_epochs=1`` and an epoch of one
batch), which only shortens the run. The data is the synthetic VL set laid out by
``tools/dataset_converters/synthetic_vl_to_mmtrack.py`` as the GOT-10k, LaSOT, TrackingNet,
COCO and ImageNet VID/DET files these configs read, so their datasets, samplers and
augmentations (``SeqCropLikeStark`` under NumPy >= 2.3 among them) run as published. Each
trained model is tested on a five-frame video: ST1 and SiamRPN++ with MMTracking's LaSOT test
config (SOTMetric), ST2 with our configs/baselines/ LaSOT config (VLSOTMetric), whose model is
that of MMTracking's ST2 LaSOT test config (tests/test_baseline_configs.py checks it).

The tools run in this process (the suite pays the imports once); the global state the configs
change (deterministic algorithms) is restored after each test.
"""
import glob
import math
import os.path as osp
import re

import numpy as np
import pytest
import torch
from tool_loading import load_tool as _load_tool

ST1 = 'mmtrack::sot/stark/stark-st1_r50_8xb16-500e_got10k-lasot-trackingnet-coco_{}.py'
ST2 = 'mmtrack::sot/stark/stark-st2_r50_8xb16-50e_got10k-lasot-trackingnet-coco_{}.py'
RPN = 'mmtrack::sot/siamese_rpn/siamese-rpn_r50_8xb28-20e_imagenetvid-imagenetdet-coco_{}.py'
TEST_FRAMES = 5
REPO = osp.dirname(osp.dirname(osp.dirname(osp.abspath(__file__))))


@pytest.fixture(scope='module')
def data(tmp_path_factory):
    """The synthetic set (2 train videos of 24 frames: STARK samples from videos of >= 20
    frames; 1 test video) in MMTracking's layouts, the test video cut to 5 frames."""
    from satracker_data.synthetic_vl import make_synthetic_vl
    root = tmp_path_factory.mktemp('baselines_data')
    vl = str(root / 'synthetic_vl')
    make_synthetic_vl(vl, train_videos=2, test_videos=1, num_frames=24, seed=0)
    mm = str(root / 'mmtrack')
    tool = _load_tool(REPO, 'tools/dataset_converters/synthetic_vl_to_mmtrack.py')
    tool.main(['-i', vl, '-o', mm, '--test-frames', str(TEST_FRAMES)])
    return dict(vl=vl, mm=mm + '/')


@pytest.fixture
def tools(repo_root):
    """(train.main, test.main); torch's global flags are restored afterwards."""
    deterministic = torch.are_deterministic_algorithms_enabled()
    train = _load_tool(repo_root, 'tools/train.py').main
    test = _load_tool(repo_root, 'tools/test.py').main
    yield train, test
    torch.use_deterministic_algorithms(deterministic)


def _train(train, config, work_dir, data_root, num_datasets, batch_size, options, flags=()):
    roots = [
        f'train_dataloader.dataset.datasets.{i}.data_root={data_root}' for i in range(num_datasets)
    ]
    train([
        config,
        '--work-dir',
        work_dir,
        *flags,
        '--cfg-options',
        *roots,
        f'train_dataloader.batch_size={batch_size}',
        *options,
        # one iteration
        'train_cfg.max_epochs=1',
        f'train_dataloader.sampler.samples_per_epoch={batch_size}'
    ])
    ckpt = osp.join(work_dir, 'epoch_1.pth')
    assert osp.isfile(ckpt)
    # the log of the run (in-process runs share mmengine's visualizer, not the logger)
    with open(sorted(glob.glob(osp.join(work_dir, '*', '*.log')))[-1]) as f:
        lines = [line for line in f if 'Epoch(train) [1][1/1]' in line]
    assert len(lines) == 1, 'not exactly one training iteration'
    logged = {k: float(v) for k, v in re.findall(r'(\w+): ([-\d.e+]+)', lines[0])}
    assert math.isfinite(logged['loss'])
    return ckpt, logged


def _test_lasot(test, config, ckpt, work_dir, data_root):
    """MMTracking's LaSOT test config (SOTMetric) on the five-frame video."""
    metrics = test([
        config, '--checkpoint', ckpt, '--trust-checkpoint', '--work-dir', work_dir, '--cfg-options',
        f'test_dataloader.dataset.data_root={data_root}'
    ])
    assert set(metrics) == {'sot/success', 'sot/norm_precision', 'sot/precision'}
    assert all(0 <= v <= 100 for v in metrics.values())
    with open(sorted(glob.glob(osp.join(work_dir, '*', '*.log')))[-1]) as f:
        assert f'Epoch(test) [{TEST_FRAMES}/{TEST_FRAMES}]' in f.read()
    return metrics


@pytest.mark.slow
def test_stark_st1_then_st2(tools, data, tmp_path, repo_root):
    train, test = tools
    st1, st1_log = _train(train, ST1.format('base'), str(tmp_path / 'st1'), data['mm'], 4, 1,
                          ['model.backbone.init_cfg=None'])
    assert 'loss_bbox' in st1_log and 'loss_cls' not in st1_log  # stage 1: box head only
    _test_lasot(test, ST1.format('test-lasot'), st1, str(tmp_path / 'st1_test'), data['mm'])

    # stage 2 starts from stage 1 (its offline init weights), as MMTracking's README says
    st2, st2_log = _train(
        train,
        ST2.format('base'),
        str(tmp_path / 'st2'),
        data['mm'],
        4,
        1, ['model.backbone.init_cfg=None', f'load_from={st1}'],
        flags=['--trust-checkpoint'])  # the test's own training checkpoint
    assert 'loss_cls' in st2_log and 'loss_bbox' not in st2_log  # stage 2: score head only

    # tested with our baseline config, whose model (test settings included) is that of
    # MMTracking's ST2 LaSOT test config (tests/test_baseline_configs.py): LaSOT with language
    # (LaSOTLangDataset reads nlp.txt next to img/) and VLSOTMetric
    out_dir = tmp_path / 'st2_vl' / 'results'
    metrics = test([
        osp.join(
            repo_root, 'configs/baselines/'
            'stark-st2_r50_8xb16-50e_got10k-lasot-trackingnet-coco_test-lasot.py'), '--checkpoint',
        st2, '--trust-checkpoint', '--work-dir',
        str(tmp_path / 'st2_vl'), '--cfg-options',
        f'test_dataloader.dataset.data_root={data["mm"]}LaSOT_full/',
        f'test_evaluator.out_dir={out_dir}'
    ])
    assert set(metrics) == {'vlsot/success', 'vlsot/norm_precision', 'vlsot/precision'}
    boxes = np.loadtxt(out_dir / 'syn_test_0000.txt', delimiter=',')
    assert boxes.shape == (TEST_FRAMES, 4)
    gt = np.loadtxt(osp.join(data['vl'], 'test', 'syn_test_0000', 'groundtruth.txt'), delimiter=',')
    np.testing.assert_allclose(boxes[0], gt[0], atol=1e-3)  # frame 0 is the given box


@pytest.mark.slow
def test_siamese_rpn(tools, data, tmp_path):
    train, test = tools
    ckpt, log = _train(train, RPN.format('base'), str(tmp_path / 'rpn'), data['mm'], 3, 1,
                       ['model.backbone.init_cfg=None'])
    assert 'loss_rpn_cls' in log and 'loss_rpn_bbox' in log
    _test_lasot(test, RPN.format('test-lasot'), ckpt, str(tmp_path / 'rpn_test'), data['mm'])


def test_seq_crop_like_stark_is_the_numpy_safe_one():
    """MMTracking's name resolves to our crop, which works where MMTracking's fails."""
    from mmengine.registry import DefaultScope
    from mmtrack.datasets.transforms.transforms import SeqCropLikeStark as MMTrackCrop
    from mmtrack.registry import TRANSFORMS

    from satracker.datasets.transforms import SeqCropLikeStarkNp2
    with DefaultScope.overwrite_default_scope('mmtrack'):
        crop = TRANSFORMS.build(
            dict(type='SeqCropLikeStark', crop_size_factor=[2, 5], output_size=[128, 320]))
    assert type(crop) is SeqCropLikeStarkNp2
    assert TRANSFORMS.get('SeqCropLikeStarkNp2') is SeqCropLikeStarkNp2
    img, box = np.zeros((240, 320, 3), np.uint8), np.array([100., 80, 140, 120])
    patch, factor, mask = crop.crop_like_stark(img, box, 2, 128)
    assert patch.shape == (128, 128, 3) and mask.shape == (128, 128)
    assert factor == pytest.approx(128 / 80)
    if tuple(int(v) for v in np.__version__.split('.')[:2]) >= (2, 3):
        with pytest.raises(TypeError, match='0-dimensional'):
            MMTrackCrop.crop_like_stark(crop, img, box, 2, 128)


@pytest.mark.parametrize('config,num_datasets,shapes', [
    (ST1.format('base'), 4, dict(img=(2, 3, 128, 128), search_img=(1, 3, 320, 320))),
    (ST2.format('base'), 4, dict(img=(2, 3, 128, 128), search_img=(1, 3, 320, 320))),
    (RPN.format('base'), 3, dict(img=(1, 3, 127, 127), search_img=(1, 3, 255, 255))),
])
def test_training_pipelines_on_many_samples(data, config, num_datasets, shapes):
    """MMTracking's samplers and augmentations, 24 samples each (the trainings above see one)."""
    import random

    from mmengine.config import Config
    from mmengine.registry import DefaultScope
    from mmengine.utils import get_installed_path
    from mmtrack.registry import DATASETS

    import satracker  # noqa: F401
    path = osp.join(get_installed_path('mmtrack'), '.mim', 'configs', config[len('mmtrack::'):])
    dataset_cfg = Config.fromfile(path).train_dataloader.dataset
    for sub in dataset_cfg.datasets:
        sub.data_root = data['mm']
    random.seed(0)
    np.random.seed(0)
    with DefaultScope.overwrite_default_scope('mmtrack'):
        dataset = DATASETS.build(dataset_cfg)
        labels = []
        for i in range(24):
            packed = dataset[i]
            for key, shape in shapes.items():
                assert tuple(packed['inputs'][key].shape) == shape
            labels.append(int(packed['data_samples'].search_gt_instances.labels[0]))
    if 'st2' in config or 'siamese' in config:  # negative pairs are sampled too
        assert set(labels) == {0, 1}


def test_layout_tool_refuses_bad_input_with_a_message(tmp_path):
    tool = _load_tool(REPO, 'tools/dataset_converters/synthetic_vl_to_mmtrack.py')
    with pytest.raises(SystemExit, match='no videos in train/ or test/'):
        tool.main(['-i', str(tmp_path), '-o', str(tmp_path / 'out')])
    video = tmp_path / 'bad' / 'train' / 'v1'
    (video / 'imgs').mkdir(parents=True)
    (video / 'imgs' / '00001.jpg').write_bytes(b'')
    (video / 'groundtruth.txt').write_text('1,2,3,4\n1,2,x,4\n')
    with pytest.raises(SystemExit, match=r'groundtruth.txt, line 2: cannot parse "1,2,x,4"'):
        tool.main(['-i', str(tmp_path / 'bad'), '-o', str(tmp_path / 'out')])
