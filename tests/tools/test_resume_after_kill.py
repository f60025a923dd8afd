# Copyright (c) SATracker authors. Licensed under the Apache License 2.0.
"""--resume after a run was killed mid-epoch: same number of epochs, no checkpoint lost.

Under torch >= 2.6, mmengine 0.10.7's own resume fails on its checkpoints (weights_only);
tools/train.py trusts the run's own work_dir, and only that.
"""
import os
import os.path as osp
import signal
import subprocess
import sys
import time

import torch

from satracker_data.synthetic_vl import make_synthetic_vl

STARK_DEMO = 'configs/demo/stark-st1_tiny-r18_2xb8_synthetic.py'


def test_killed_run_resumes_to_the_planned_epochs(repo_root, tmp_path):
    data = str(tmp_path / 'data')
    make_synthetic_vl(data, train_videos=2, test_videos=1, num_frames=24, seed=2)
    work_dir = str(tmp_path / 'work')
    cmd = [
        sys.executable, 'tools/train.py', STARK_DEMO, '--work-dir', work_dir, '--cfg-options',
        f'train_dataloader.dataset.data_root={data}/', 'train_cfg.max_epochs=3',
        'train_dataloader.batch_size=2', 'train_dataloader.num_workers=0',
        'train_dataloader.persistent_workers=False',
        'train_dataloader.sampler.samples_per_epoch=16', 'default_hooks.checkpoint.interval=1',
        'default_hooks.checkpoint.max_keep_ckpts=5'
    ]
    env = dict(os.environ, PYTHONPATH=osp.join(repo_root, 'projects'))
    log = open(tmp_path / 'first.log', 'w')
    first = subprocess.Popen(
        cmd, cwd=repo_root, env=env, stdout=log, stderr=log, start_new_session=True)
    deadline = time.time() + 400
    while not osp.exists(osp.join(work_dir, 'epoch_1.pth')) and time.time() < deadline:
        assert first.poll() is None, open(tmp_path / 'first.log').read()[-3000:]
        time.sleep(0.5)
    time.sleep(1.0)  # inside epoch 2 (8 steps of ~0.5 s)
    os.killpg(first.pid, signal.SIGKILL)
    first.wait()
    assert not osp.exists(osp.join(work_dir, 'epoch_3.pth'))

    resumed = subprocess.run(
        cmd + ['--resume'], cwd=repo_root, env=env, capture_output=True, text=True, timeout=600)
    out = resumed.stdout + resumed.stderr
    assert resumed.returncode == 0, out[-4000:]
    assert 'resumed epoch: ' in out
    assert 'Epoch(train) [3]' in out
    for epoch in (1, 2, 3):
        assert osp.exists(osp.join(work_dir, f'epoch_{epoch}.pth')), epoch
    # the last checkpoint holds the planned epoch count (written by the resumed run)
    ckpt = torch.load(osp.join(work_dir, 'epoch_3.pth'), map_location='cpu', weights_only=False)
    assert ckpt['meta']['epoch'] == 3
