# Copyright (c) SATracker authors. Licensed under the Apache License 2.0.
"""The ``make demo`` pipeline: steps reused only when their inputs are unchanged, one progress
bar per step read from the logs, and (slow) a tiny end-to-end run with the language rows."""
import json
import os
import os.path as osp
import subprocess
import sys

import pytest
from tool_loading import load_tool

REPO = osp.dirname(osp.dirname(osp.dirname(osp.abspath(__file__))))


@pytest.fixture(scope='module')
def bench():
    return load_tool(REPO, 'tools/synthetic_benchmark.py')


def test_step_reused_only_with_the_same_inputs_and_outputs(bench, tmp_path):
    folder = str(tmp_path / 'step')
    step = bench.Step(folder, dict(config='a', data='h1'))
    assert step.done() is None
    step.start()
    out = osp.join(folder, 'model.pth')
    open(out, 'w').close()
    step.finish(dict(checkpoint=out))
    assert bench.Step(folder, dict(config='a', data='h1')).done() == dict(checkpoint=out)
    # Any changed input (config, data hash, source, libraries) redoes the step.
    assert bench.Step(folder, dict(config='a', data='h2')).done() is None
    assert bench.Step(folder, dict(config='b', data='h1')).done() is None
    assert bench.Step(folder, dict(config='a', data='h1'), force=True).done() is None
    os.remove(out)  # an output that is gone: redo
    assert bench.Step(folder, dict(config='a', data='h1')).done() is None


def test_data_hash_sees_names_and_contents(bench, tmp_path):
    root = tmp_path / 'd'
    (root / 'v').mkdir(parents=True)
    (root / 'v' / 'a.txt').write_text('1,2,3,4\n')
    h = bench.data_hash(str(root))
    (root / 'generator.json').write_text('{}')  # the stamp itself does not count
    assert bench.data_hash(str(root)) == h
    (root / 'v' / 'a.txt').write_text('1,2,3,5\n')
    assert bench.data_hash(str(root)) != h
    (root / 'v' / 'a.txt').write_text('1,2,3,4\n')
    assert bench.data_hash(str(root)) == h
    (root / 'v' / 'a.txt').rename(root / 'v' / 'b.txt')
    assert bench.data_hash(str(root)) != h


def test_resolved_config_reflects_options(bench):
    cfg = 'configs/demo/satracker_tiny-minilm_2xb8_synthetic.py'
    a = bench.resolved_config(cfg, [])
    assert a == bench.resolved_config(cfg, [])
    b = bench.resolved_config(cfg, ['train_cfg.max_epochs=7'])
    assert a != b and json.loads(b)['train_cfg']['max_epochs'] == 7
    # The language checks differ from the trained config only in their test data.
    wrong = json.loads(
        bench.resolved_config('configs/demo/satracker_tiny-minilm_2xb8_synthetic_wrong-sentence.py',
                              []))
    assert wrong['test_dataloader']['dataset']['language_file'] == 'language_distractor.txt'
    assert wrong['model'] == json.loads(a)['model']


def test_progress_lines_are_parsed(bench):
    line = ('2026/12/02 06:01:37 - mmengine - INFO - Epoch(train) [3][20/20]  base_lr: 4.0e-04 '
            'lr: 4.0e-04  eta: 0:01:27  time: 1.0928  data_time: 0.0845  grad_norm: 5.2738  '
            'loss: 2.2748  loss_iou: 1.6336')
    assert bench._TRAIN_LINE.search(line).groups() == ('3', '20', '20', '2.2748')
    test = '12/02 07:20:48 - mmengine - INFO - Epoch(test) [100/480]    eta: 0:09:44'
    assert bench._TEST_LINE.search(test).groups() == ('100', '480')


def test_train_iterations_from_the_config(bench):
    cfg = 'configs/demo/satracker_tiny-minilm_2xb8_synthetic.py'
    resolved = json.loads(bench.resolved_config(cfg, []))
    per_epoch = resolved['train_dataloader']['sampler']['samples_per_epoch'] // (
        resolved['train_dataloader']['batch_size'] * 2)
    assert bench.train_iterations(cfg, [], 2) == resolved['train_cfg']['max_epochs'] * per_epoch


def test_bad_arguments_exit_with_a_message(bench, capsys):
    with pytest.raises(SystemExit) as e:
        bench.parse_args(['--only', 'satracker,foo'])
    assert e.value.code == 2
    assert "unknown tracker(s) ['foo']" in capsys.readouterr().err


@pytest.mark.slow
def test_tiny_end_to_end_run_then_reuse(tmp_path):
    """SATracker trained for 2 steps, tested 3 ways; a second run reuses every step."""
    work, data = str(tmp_path / 'work'), str(tmp_path / 'data')
    cmd = [
        sys.executable, 'tools/synthetic_benchmark.py', '--only', 'satracker', '--procs', '1',
        '--precision', 'fp32', '--work-dir', work, '--data-dir', data, '--train-videos', '2',
        '--test-videos', '1', '--frames', '12', '--cfg-options', 'train_cfg.max_epochs=1',
        'train_dataloader.sampler.samples_per_epoch=4', 'train_dataloader.batch_size=2',
        'custom_hooks=[]'
    ]
    first = subprocess.run(cmd, cwd=REPO, capture_output=True, text=True, timeout=900)
    assert first.returncode == 0, first.stdout[-3000:] + first.stderr[-3000:]
    for row in ('SATracker', 'SATracker, sentence removed', 'SATracker, wrong sentence'):
        assert f'| {row} ' in first.stdout
    rows = json.load(open(osp.join(work, 'results.json')))['rows']
    assert [r['name'] for r in rows
            ] == ['SATracker', 'SATracker, sentence removed', 'SATracker, wrong sentence']
    assert osp.isfile(osp.join(work, 'success_plot.png'))
    assert 'SUC: area under the success curve' in open(osp.join(work, 'results.md')).read()
    again = subprocess.run(cmd, cwd=REPO, capture_output=True, text=True, timeout=300)
    assert again.returncode == 0, again.stdout[-3000:] + again.stderr[-3000:]
    assert again.stdout.count('(inputs unchanged)') == 4  # 1 training + 3 tests
    assert 'reused (same generator, arguments and files)' in again.stdout
    assert json.load(open(osp.join(work, 'results.json')))['rows'] == rows
