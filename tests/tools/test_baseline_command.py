# Copyright (c) SATracker authors. Licensed under the Apache License 2.0.
"""The command of configs/baselines/README.md: a tiny MMTracking STARK-ST1 trained and tested
on the synthetic set, then compared with SATracker by compare_trackers.py.

The README's commands are run as written (in this process, through each tool's ``main``), with
a one-iteration budget in one process, a smaller synthetic set, and as the SATracker folder
the tiny demo SATracker tested untrained (its text encoder is the real MiniLM).
"""
import json
import os.path as osp

import pytest
import torch
from tool_loading import load_tool

STARK_TINY = 'configs/demo/stark-st1_tiny-r18_2xb8_synthetic.py'
SATRACKER_TINY = 'configs/demo/satracker_tiny-minilm_2xb8_synthetic.py'


def _main(repo_root, relpath):
    return load_tool(repo_root, relpath).main


@pytest.mark.slow
def test_tiny_baseline_beside_satracker(repo_root, tmp_path, capsys):
    deterministic = torch.are_deterministic_algorithms_enabled()
    data = str(tmp_path / 'synthetic_vl')
    _main(repo_root, 'tools/dataset_converters/make_synthetic_vl.py')([
        '--out', data, '--train-videos', '2', '--test-videos', '2', '--frames', '20', '--seed', '0'
    ])
    roots = [
        f'train_dataloader.dataset.data_root={data}/', f'test_dataloader.dataset.data_root={data}/'
    ]
    work = tmp_path / 'work_dirs'
    stark_dir, sat_dir = work / 'stark-st1-tiny', work / 'satracker-tiny'
    try:
        _main(repo_root, 'tools/train.py')([
            osp.join(repo_root, STARK_TINY), '--work-dir',
            str(stark_dir), '--cfg-options', *roots, 'train_cfg.max_epochs=1',
            'train_dataloader.batch_size=2', 'train_dataloader.sampler.samples_per_epoch=2'
        ])
        test = _main(repo_root, 'tools/test.py')
        stark = test([
            osp.join(repo_root, STARK_TINY), '--checkpoint',
            str(stark_dir / 'epoch_1.pth'), '--trust-checkpoint', '--work-dir',
            str(stark_dir / 'test'), '--cfg-options', *roots,
            f'test_evaluator.out_dir={stark_dir}/results',
            'test_evaluator.tracker_name=STARK-ST1-tiny'
        ])
        satracker = test([
            osp.join(repo_root, SATRACKER_TINY), '--work-dir',
            str(sat_dir / 'test'), '--cfg-options', *roots,
            f'test_evaluator.out_dir={sat_dir}/results',
            'test_evaluator.tracker_name=SATracker-tiny'
        ])
    finally:
        torch.use_deterministic_algorithms(deterministic)
    for metrics in (stark, satracker):
        assert set(metrics) == {'vlsot/success', 'vlsot/norm_precision', 'vlsot/precision'}

    capsys.readouterr()
    out = tmp_path / 'compare'
    _main(repo_root, 'tools/analysis_tools/compare_trackers.py')([
        str(sat_dir / 'results'),
        str(stark_dir / 'results'), '--out',
        str(out), '--title', ' on synthetic VL'
    ])
    printed = capsys.readouterr()
    assert 'different' not in printed.err  # same protocol, same videos
    table = (out / 'results.md').read_text()
    rows = {line.split('|')[1].strip(): line for line in table.splitlines() if 'tiny' in line}
    assert set(rows) == {'SATracker-tiny', 'STARK-ST1-tiny'}
    # the table's numbers are the ones the test runs reported
    assert f'{stark["vlsot/success"]:.1f}' in rows['STARK-ST1-tiny']
    assert f'{satracker["vlsot/success"]:.1f}' in rows['SATracker-tiny']
    for kind in ('success', 'precision', 'norm_precision'):
        assert osp.getsize(out / f'{kind}_plot.png') > 1000
    with open(stark_dir / 'results' / 'vl_sot_eval.json') as f:
        assert [v['name'] for v in json.load(f)['videos']] == ['syn_test_0000', 'syn_test_0001']
