# Copyright (c) SATracker authors. Licensed under the Apache License 2.0.
"""The tiny demo SATracker: 2-process CPU training, then 2-process testing equals 1-process."""
import json
import os
import os.path as osp
import subprocess
import sys

import pytest
import torch

from satracker_data.synthetic_vl import make_synthetic_vl

SATRACKER_DEMO = 'configs/demo/satracker_tiny-minilm_2xb8_synthetic.py'


def _run(cmd, repo_root, port):
    env = dict(os.environ, PORT=str(port), PYTHONPATH=osp.join(repo_root, 'projects'))
    done = subprocess.run(cmd, cwd=repo_root, env=env, capture_output=True, text=True, timeout=900)
    out = done.stdout + done.stderr
    assert done.returncode == 0, out[-4000:]
    return out


@pytest.mark.skipif(torch.cuda.is_available(), reason='checks the CPU (gloo) path')
def test_two_process_train_then_sharded_test_matches_one_process(repo_root, tmp_path):
    data = str(tmp_path / 'data')
    make_synthetic_vl(data, train_videos=2, test_videos=3, num_frames=16, seed=3)
    data_options = [
        f'train_dataloader.dataset.data_root={data}/', f'test_dataloader.dataset.data_root={data}/',
        'test_dataloader.num_workers=0', 'test_dataloader.persistent_workers=False'
    ]
    work_dir = str(tmp_path / 'train')
    out = _run([
        'bash', 'tools/dist_train.sh', SATRACKER_DEMO, '2', '--work-dir', work_dir, '--cfg-options',
        *data_options, 'train_cfg.max_epochs=1', 'train_dataloader.batch_size=2',
        'train_dataloader.sampler.samples_per_epoch=4', 'default_hooks.checkpoint.interval=1',
        'custom_hooks=[]'
    ], repo_root, 29541)
    assert "'backend': 'gloo'" in out and 'loss_dm' in out
    ckpt = osp.join(work_dir, 'epoch_1.pth')
    assert osp.isfile(ckpt)

    scores = {}
    for procs in (1, 2):
        res_dir = str(tmp_path / f'results_{procs}')
        test_args = [
            '--checkpoint', ckpt, '--trust-checkpoint', '--work-dir',
            str(tmp_path / f'test_{procs}'), '--cfg-options', *data_options,
            f'test_evaluator.out_dir={res_dir}', 'custom_hooks=[]'
        ]
        if procs == 1:
            _run([sys.executable, 'tools/test.py', SATRACKER_DEMO, *test_args], repo_root, 0)
        else:
            out = _run(['bash', 'tools/dist_test.sh', SATRACKER_DEMO, '2', *test_args], repo_root,
                       29542)
            assert 'Distributed launcher: pytorch' in out
        with open(osp.join(res_dir, 'vl_sot_eval.json')) as f:
            scores[procs] = json.load(f)
    for key in ('success', 'precision', 'norm_precision', 'num_videos', 'num_frames'):
        assert scores[1][key] == pytest.approx(scores[2][key]), key
    assert scores[2]['num_videos'] == 3 and scores[2]['num_frames'] == 48
