# Copyright (c) SATracker authors. Licensed under the Apache License 2.0.
"""bf16 on CPU from the command line: train.py --amp, test.py / demo.py --bf16."""
import math
import os.path as osp

import pytest
import torch
from tool_loading import load_tool

from satracker_data.synthetic_vl import make_synthetic_vl

SATRACKER_DEMO = 'configs/demo/satracker_tiny-minilm_2xb8_synthetic.py'
STARK_DEMO = 'configs/demo/stark-st1_tiny-r18_2xb8_synthetic.py'


@pytest.mark.skipif(torch.cuda.is_available(), reason='checks the CPU-only selection')
def test_train_amp_on_cpu_trains_with_the_cpu_amp_wrapper(repo_root, tmp_path, monkeypatch, capsys):
    from satracker.engine import CPUAmpOptimWrapper
    data = str(tmp_path / 'data')
    make_synthetic_vl(data, train_videos=2, test_videos=3, num_frames=16, seed=3)
    train = load_tool(repo_root, 'tools/train.py')
    runners = []
    from_cfg = train.Runner.from_cfg

    def spy(cfg):
        runners.append(from_cfg(cfg))
        return runners[-1]

    monkeypatch.setattr(train.Runner, 'from_cfg', spy)
    monkeypatch.chdir(repo_root)
    train.main([
        SATRACKER_DEMO, '--amp', '--work-dir',
        str(tmp_path / 'work'), '--cfg-options', f'train_dataloader.dataset.data_root={data}/',
        'train_cfg.max_epochs=1', 'train_dataloader.batch_size=2', 'train_dataloader.num_workers=0',
        'train_dataloader.persistent_workers=False', 'train_dataloader.sampler.samples_per_epoch=4',
        'custom_hooks=[]', 'default_hooks.checkpoint.interval=100',
        'default_hooks.logger.interval=1'
    ])
    assert '--amp without CUDA: CPUAmpOptimWrapper' in capsys.readouterr().out
    runner = runners[0]
    assert type(runner.optim_wrapper) is CPUAmpOptimWrapper
    assert runner.iter == 2
    loss = runner.message_hub.get_scalar('train/loss').current()
    assert math.isfinite(loss) and loss > 0


def test_test_bf16_sets_the_precision_and_refuses_other_trackers(repo_root, monkeypatch):
    test = load_tool(repo_root, 'tools/test.py')
    seen = {}

    def stop(cfg, config, mode):
        seen['precision'] = cfg.model.test_cfg.get('precision')
        raise SystemExit(0)

    monkeypatch.setattr(test, 'exit_if_missing', stop)
    with pytest.raises(SystemExit):
        test.main([osp.join(repo_root, SATRACKER_DEMO), '--bf16'])
    assert seen['precision'] == 'bf16'
    with pytest.raises(SystemExit, match='--bf16 sets SATracker'):
        test.main([osp.join(repo_root, STARK_DEMO), '--bf16'])


def test_demo_bf16_tracks_in_bf16(repo_root, tmp_path, monkeypatch):
    import cv2
    import numpy as np
    demo = load_tool(repo_root, 'tools/demo.py')
    frames = tmp_path / 'frames'
    frames.mkdir()
    rng = np.random.RandomState(0)
    for k in range(3):
        img = (rng.rand(96, 128, 3) * 255).astype(np.uint8)
        img[30:60, 40 + 5 * k:70 + 5 * k] = (40, 60, 230)
        cv2.imwrite(str(frames / f'{k:03d}.jpg'), img)
    from satracker.models.trackers import SATracker
    dtypes = []
    init = SATracker.init

    def spy(self, *args):
        init(self, *args)
        dtypes.append(self._amp_dtype)

    monkeypatch.setattr(SATracker, 'init', spy)
    boxes = demo.main([
        str(frames), '--text', 'the red square', '--bbox', '40,30,30,30', '--config',
        osp.join(repo_root, SATRACKER_DEMO), '--bf16', '--out',
        str(tmp_path / 'out') + '/'
    ])
    assert len(boxes) == 3
    from satracker.models.trackers.satracker import bf16_supported
    assert dtypes == [torch.bfloat16 if bf16_supported('cpu') else None]


def test_benchmark_speed_bf16_times_both_precisions_side_by_side(repo_root):
    bench = load_tool(repo_root, 'tools/analysis_tools/benchmark_speed.py')
    result = bench.main([
        osp.join(repo_root,
                 'configs/_base_/models/satracker.py'), '--tiny', '--bf16', '--no-uncached',
        '--frames', '3', '--warmup', '0', '--img-size', '120', '160', '--baseline', 'none'
    ])
    assert result['satracker_cached']['frames_timed'] == 2
    assert result['satracker_cached_bf16']['frames_timed'] == 2
    assert 'satracker_uncached' not in result
    assert result['ratios']['satracker bf16/fp32'] == pytest.approx(
        result['satracker_cached_bf16']['median_ms'] / result['satracker_cached']['median_ms'])
