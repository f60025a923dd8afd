# Copyright (c) SATracker authors. Licensed under the Apache License 2.0.
"""tools/dist_train.sh: two CPU processes (gloo) train a tiny MMTracking STARK and checkpoint;
with its last checkpoint torn, --resume goes back to the newest intact one."""
import os
import os.path as osp
import re
import shutil
import subprocess

import pytest
import torch

from satracker_data.synthetic_vl import make_synthetic_vl

STARK_DEMO = 'configs/demo/stark-st1_tiny-r18_2xb8_synthetic.py'
REPO_ROOT = osp.dirname(osp.dirname(osp.dirname(osp.abspath(__file__))))

pytestmark = pytest.mark.skipif(torch.cuda.is_available(), reason='checks the CPU (gloo) path')


@pytest.fixture(scope='module')
def synthetic_root(tmp_path_factory):
    root = str(tmp_path_factory.mktemp('synthetic_vl'))
    make_synthetic_vl(root, train_videos=3, test_videos=2, num_frames=24, seed=1)
    return root


def dist_train(synthetic_root, work_dir, *args, port=29533, timeout=600):
    """tools/dist_train.sh with 2 CPU processes, 2 epochs of 2 steps, a checkpoint an epoch."""
    return subprocess.run([
        'bash', 'tools/dist_train.sh', STARK_DEMO, '2', '--work-dir', work_dir, *args,
        '--cfg-options', f'train_dataloader.dataset.data_root={synthetic_root}/',
        'train_cfg.max_epochs=2', 'train_dataloader.batch_size=2',
        'train_dataloader.sampler.samples_per_epoch=8', 'default_hooks.logger.interval=1',
        'default_hooks.checkpoint.interval=1', 'default_hooks.checkpoint.max_keep_ckpts=5'
    ],
                          cwd=REPO_ROOT,
                          env=dict(os.environ, PORT=str(port)),
                          capture_output=True,
                          text=True,
                          timeout=timeout)


@pytest.fixture(scope='module')
def two_process_run(synthetic_root, tmp_path_factory):
    """(work_dir, output) of one 2-process training, shared by the tests below."""
    work_dir = str(tmp_path_factory.mktemp('dist_train') / 'work')
    done = dist_train(synthetic_root, work_dir)
    out = done.stdout + done.stderr
    assert done.returncode == 0, out[-4000:]
    return work_dir, out


def test_two_cpu_processes_train_and_checkpoint(two_process_run):
    work_dir, out = two_process_run
    # both ranks ran under gloo: the log says so, and QuotaSampler split the 8 samples of the
    # epoch between the two processes (2 steps of 2 each; one process would take 4 steps).
    assert "'backend': 'gloo'" in out and 'Distributed training: True' in out
    assert re.search(r'Epoch\(train\) \[1\]\[2/2\]', out), out[-3000:]
    assert 'torch.distributed.elastic' not in out or 'FAILED' not in out
    for epoch in (1, 2):
        ckpt = torch.load(
            osp.join(work_dir, f'epoch_{epoch}.pth'), map_location='cpu', weights_only=False)
        assert ckpt['meta']['epoch'] == epoch
    assert any(k.startswith('backbone.') for k in ckpt['state_dict'])
    # saved atomically: no temporary file left behind
    assert not [name for name in os.listdir(work_dir) if name.endswith('.partial')]


def _truncate(path):
    with open(path, 'r+b') as f:
        f.truncate(osp.getsize(path) // 2)


def test_torn_last_checkpoint_resumes_from_newest_intact(two_process_run, synthetic_root, tmp_path):
    # The state a run killed while mmengine (non-atomically) wrote its last checkpoint leaves:
    # last_checkpoint names epoch_2.pth, and the file is cut short.
    work_dir = str(tmp_path / 'work')
    shutil.copytree(two_process_run[0], work_dir)
    torn = osp.join(work_dir, 'epoch_2.pth')
    with open(osp.join(work_dir, 'last_checkpoint'), 'w') as f:
        f.write(torn)
    _truncate(torn)

    resumed = dist_train(synthetic_root, work_dir, '--resume', port=29534)
    out = resumed.stdout + resumed.stderr
    assert resumed.returncode == 0, out[-4000:]
    warning = f'"{torn}" (named by last_checkpoint) is truncated or not a zip archive'
    assert out.count(warning) == 1, out[-4000:]  # rank 0 only
    assert 'resumed epoch: 1' in out and 'Epoch(train) [2][2/2]' in out
    assert 'Traceback' not in out
    ckpt = torch.load(torn, map_location='cpu', weights_only=False)  # rewritten whole
    assert ckpt['meta']['epoch'] == 2

    # nothing intact: one short message, non-zero exit, no traceback, no process started
    for epoch in (1, 2):
        _truncate(osp.join(work_dir, f'epoch_{epoch}.pth'))
    refused = dist_train(synthetic_root, work_dir, '--resume', port=29535, timeout=300)
    out = refused.stdout + refused.stderr
    assert refused.returncode == 1, out[-4000:]
    assert out.count(f'--resume: no intact checkpoint in {work_dir}: ') == 1, out[-4000:]
    assert 'epoch_1.pth" is truncated' in out and 'epoch_2.pth" is truncated' in out
    assert 'Traceback' not in out and 'torch.distributed' not in out
