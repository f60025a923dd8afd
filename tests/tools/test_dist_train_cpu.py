# Copyright (c) SATracker authors. Licensed under the Apache License 2.0.
"""tools/dist_train.sh: two CPU processes (gloo) train a tiny MMTracking STARK and checkpoint."""
import os
import os.path as osp
import re
import subprocess
import sys

import pytest
import torch

STARK_DEMO = 'configs/demo/stark-st1_tiny-r18_2xb8_synthetic.py'


@pytest.fixture(scope='module')
def synthetic_root(tmp_path_factory):
    root = str(tmp_path_factory.mktemp('synthetic_vl'))
    subprocess.run([
        sys.executable, 'tools/dataset_converters/make_synthetic_vl.py', '--out', root,
        '--train-videos', '3', '--test-videos', '2', '--frames', '24', '--seed', '1'
    ], cwd=osp.dirname(osp.dirname(osp.dirname(osp.abspath(__file__)))), check=True,
                   capture_output=True)
    return root


@pytest.mark.skipif(torch.cuda.is_available(), reason='checks the CPU (gloo) path')
def test_two_cpu_processes_train_and_checkpoint(repo_root, synthetic_root, tmp_path):
    work_dir = str(tmp_path / 'work')
    env = dict(os.environ, PORT='29533')
    done = subprocess.run([
        'bash', 'tools/dist_train.sh', STARK_DEMO, '2', '--work-dir', work_dir,
        '--cfg-options', f'train_dataloader.dataset.data_root={synthetic_root}/',
        'train_cfg.max_epochs=1', 'train_dataloader.batch_size=2',
        'train_dataloader.sampler.samples_per_epoch=8', 'default_hooks.logger.interval=1'
    ], cwd=repo_root, env=env, capture_output=True, text=True, timeout=600)
    out = done.stdout + done.stderr
    assert done.returncode == 0, out[-4000:]
    # both ranks ran under gloo: the log says so, and QuotaSampler split the 8 samples of the
    # epoch between the two processes (2 steps of 2 each; one process would take 4 steps).
    assert "'backend': 'gloo'" in out and 'Distributed training: True' in out
    assert re.search(r'Epoch\(train\) \[1\]\[2/2\]', out), out[-3000:]
    assert 'torch.distributed.elastic' not in out or 'FAILED' not in out
    ckpt = torch.load(osp.join(work_dir, 'epoch_1.pth'), map_location='cpu',
                      weights_only=False)
    assert ckpt['meta']['epoch'] == 1
    assert any(k.startswith('backbone.') for k in ckpt['state_dict'])
