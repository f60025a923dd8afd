# Copyright (c) SATracker authors. Licensed under the Apache License 2.0.
"""``tools/misc/gpu_check.sh``, the prepared GPU check, rehearsed on CPU (docs/speed.md, "GPU").

The rehearsal runs the script as a user would on the GPU node, with ``--device cpu --tiny``
and this environment instead of the wheel folder (``--skip-install``): the synthetic data,
the two trainings with ``--amp`` (gloo), the test of the trained checkpoint and the
benchmark. The other tests check, in seconds, that a failing stage does not stop the run,
that the time box holds, that bad options are refused with a message, and the helper's
result lines and wheel list.
"""
import json
import os
import os.path as osp
import re
import subprocess
import sys
import time

import pytest
from tool_loading import load_tool

REPO = osp.dirname(osp.dirname(osp.dirname(osp.abspath(__file__))))
SCRIPT = osp.join(REPO, 'tools', 'misc', 'gpu_check.sh')
STAGES = ('env', 'install', 'mmcv', 'imports', 'prepare', 'train_satracker', 'train_stark', 'test',
          'bench', 'bench_compile')


def _run(args, timeout, env=None):
    done = subprocess.run(['bash', SCRIPT, *args],
                          cwd=REPO,
                          capture_output=True,
                          text=True,
                          timeout=timeout,
                          env=dict(os.environ, **(env or {})))
    return done.returncode, done.stdout + done.stderr


def _summary(out):
    """stage -> (status, result) from the summary table at the end of the output."""
    table = out[out.index('[gpu_check] summary:'):]
    rows = {}
    for line in table.splitlines()[2:]:
        m = re.match(r'  (\w+)\s+(PASS|FAIL|TIMEOUT|SKIP)\s+(\d+)\s+(.*)$', line)
        if m:
            rows[m.group(1)] = (m.group(2), m.group(4))
    return rows


@pytest.mark.slow
def test_cpu_rehearsal_runs_every_stage(tmp_path):
    t0 = time.time()
    # Generous time boxes: the test must not fail because the machine is busy.
    port = 30000 + 3 * (os.getpid() % 5000)  # torchrun's ports, apart from other runs'
    args = [
        '--device', 'cpu', '--tiny', '--python', sys.executable, '--skip-install', '--limit-factor',
        '4', '--budget', '2400', '--port',
        str(port)
    ]
    rc, out = _run(args + ['--work', str(tmp_path / 'work')], timeout=2700)
    print(out)
    print(f'rehearsal wall time {time.time() - t0:.0f} s')
    assert rc == 0, out[-4000:]
    results = dict(re.findall(r'^RESULT (\w+): (.*)$', out, flags=re.M))
    assert re.search(r"[\d.]+ samples/s \(batch 2 x 1 process", results["train_satracker"])
    assert 'backend gloo' in results['train_satracker']
    assert 'CPUAmpOptimWrapper' in results['train_satracker']  # --amp without CUDA
    assert re.search(r"[\d.]+ samples/s", results["train_stark"])
    assert re.search(r'SUC \d+\.\d, PRE \d+\.\d, NPRE \d+\.\d on 1 videos / 20 frames',
                     results['test'])
    assert re.search(r'cached \d+\.\d fps .*uncached \d+\.\d fps .*STARK-ST1 \d+\.\d fps',
                     results['bench'])
    rows = _summary(out)
    assert tuple(rows) == STAGES
    for stage in ('env', 'imports', 'prepare', 'train_satracker', 'train_stark', 'test', 'bench'):
        assert rows[stage][0] == 'PASS', (stage, rows[stage])
        assert rows[stage][1] == results[stage]  # the table repeats each stage's result
    for stage in ('install', 'mmcv', 'bench_compile'):
        assert rows[stage][0] == 'SKIP', (stage, rows[stage])
    assert '7 stages passed, 0 failed or ran out of time' in out
    # the trained checkpoint is the one the test stage loaded
    work = tmp_path / 'work'
    ckpt = (work / 'train_satracker' / 'last_checkpoint').read_text().strip()
    assert f'Load checkpoint from {ckpt}' in (work / 'logs' / 'test.log').read_text()


def _fake_python(tmp_path, body):
    """An interpreter stand-in: a script that runs ``body`` (bash) whatever it is asked."""
    path = tmp_path / 'python3'
    path.write_text(f'#!/usr/bin/env bash\n{body}\n')
    path.chmod(0o755)
    return str(path)


def test_a_failing_stage_does_not_stop_the_run(tmp_path):
    python = _fake_python(tmp_path, 'echo "broken interpreter: $*" >&2; exit 3')
    rc, out = _run(
        ['--device', 'cpu', '--python', python, '--skip-install', '--work',
         str(tmp_path / 'work')],
        timeout=120)
    assert rc == 1, out
    rows = _summary(out)
    assert tuple(rows) == STAGES
    for stage in ('env', 'imports', 'prepare', 'train_satracker', 'train_stark', 'test', 'bench'):
        assert rows[stage][0] == 'FAIL', (stage, rows[stage])
        assert f'FAILED {stage} (FAIL after' in out
    assert rows['env'][1].startswith('exit 3: broken interpreter:')
    assert 'no checkpoint: train_satracker did not finish' in rows['test'][1]
    assert '0 stages passed, 7 failed or ran out of time' in out
    assert 'Traceback' not in out


def test_the_time_box_stops_a_stage_and_later_stages_are_skipped(tmp_path):
    pid_file = tmp_path / 'pid'
    python = _fake_python(tmp_path, f'echo $$ > {pid_file}; exec sleep 300')
    t0 = time.time()
    rc, out = _run([
        '--device', 'cpu', '--python', python, '--skip-install', '--budget', '12', '--work',
        str(tmp_path / 'work')
    ],
                   timeout=120)
    elapsed = time.time() - t0
    assert rc == 1, out
    assert elapsed < 60, elapsed
    rows = _summary(out)
    assert rows['env'] == ('TIMEOUT', 'stopped after 12 s')
    for stage in ('imports', 'prepare', 'train_satracker', 'test', 'bench'):
        assert rows[stage] == ('SKIP', 'no time left in --budget 12 s'), (stage, rows[stage])
    with pytest.raises(ProcessLookupError):  # the stage's process is gone
        os.kill(int(pid_file.read_text()), 0)


@pytest.mark.parametrize('args,message', [
    (['--device', 'tpu'], "--device must be cuda or cpu, not 'tpu'"),
    (['--gpus', '0'], "--gpus must be a positive integer, not '0'"),
    (['--frobnicate'], "unknown argument '--frobnicate'"),
    (['--wheels', '/nonexistent/wheels'], 'no wheel folder /nonexistent/wheels: make it with '
     'tools/misc/gpu_wheels.sh'),
])
def test_bad_options_are_refused_with_a_message(args, message, tmp_path):
    rc, out = _run([*args, '--work', str(tmp_path / 'work')], timeout=60)
    assert rc == 2 and message in out, out
    assert 'Traceback' not in out and '[gpu_check] summary' not in out


def test_cuda_without_a_gpu_stops_at_once(tmp_path):
    """--device cuda where torch sees no GPU: one message, nothing trained."""
    rc, out = _run([
        '--device', 'cuda', '--python', sys.executable, '--skip-install', '--work',
        str(tmp_path / 'work')
    ],
                   timeout=120,
                   env=dict(CUDA_VISIBLE_DEVICES=''))
    assert rc == 2, out
    assert 'error: --device cuda, but this torch sees no GPU' in out
    assert 'Use --device cpu for a rehearsal' in out
    assert 'stage prepare' not in out and 'Traceback' not in out


# --------------------------------------------------------------------------- the helper
@pytest.fixture(scope='module')
def helper():
    return load_tool(REPO, 'tools/misc/gpu_check.py')


def test_train_report_reads_samples_per_second_and_peak_memory(helper, tmp_path, capsys):
    run = tmp_path / 'train' / '20261202_000000'
    (run / 'vis_data').mkdir(parents=True)
    times = [9.0, 0.5, 0.4, 0.6, 0.5, 0.4, 0.5, 0.45]  # the first is the warm-up
    with open(run / 'vis_data' / 'scalars.json', 'w') as f:
        for i, t in enumerate(times):
            f.write(
                json.dumps(
                    dict(
                        loss=2.0 - 0.1 * i,
                        time=t,
                        data_time=0.01,
                        memory=1000 + 100 * i,
                        step=i + 1)) + '\n')
    (run / '20261202_000000.log').write_text(
        "dist_cfg=dict(backend='nccl')\n"
        "    'backend': 'nccl'\noptim_wrapper = dict(type='AmpOptimWrapper')\n")
    (tmp_path / 'train' / 'last_checkpoint').write_text('epoch_1.pth')
    assert helper.main([
        'train-report',
        str(tmp_path / 'train'), '--batch', '8', '--gpus', '2', '--name', 'train_x'
    ]) == 0
    line = capsys.readouterr().out.strip()
    # iterations 3-8 after 2 warm-up ones (a quarter), median 0.475 s: 16 / 0.475 = 33.7
    assert line.startswith('RESULT train_x: 33.7 samples/s (batch 8 x 2 process(es), '
                           'median step 475 ms of iterations 3-8'), line
    assert 'peak GPU memory 1.66 GiB' in line  # 1700 MB
    assert 'backend nccl' in line and 'AmpOptimWrapper' in line


def test_train_report_refuses_a_run_without_iterations(helper, tmp_path, capsys):
    run = tmp_path / 'train' / 'x' / 'vis_data'
    run.mkdir(parents=True)
    (run / 'scalars.json').write_text('')
    assert helper.main([
        'train-report',
        str(tmp_path / 'train'), '--batch', '1', '--gpus', '1', '--name', 'train_x'
    ]) == 1
    assert 'has no training iteration' in capsys.readouterr().err


def test_bench_report_checks_the_goal(helper, tmp_path, capsys):
    res = dict(
        device='cuda',
        device_name='GPU X',
        fp16=True,
        compile=True,
        satracker_cached=dict(fps=300.0, median_ms=3.33),
        satracker_uncached=dict(fps=120.0, median_ms=8.33),
        baseline=dict(fps=200.0, median_ms=5.0),
        ratios={'satracker/baseline': 0.667})
    path = tmp_path / 'b.json'
    for fps, verdict in ((300.0, 'met'), (200.0, 'NOT met')):
        res['satracker_cached']['fps'] = fps
        path.write_text(json.dumps(res))
        assert helper.main(['bench-report', str(path), '--name', 'bench', '--goal-fps', '250']) == 0
        line = capsys.readouterr().out.strip()
        assert line.startswith(f'RESULT bench: cached {fps:.1f} fps (3.33 ms), uncached 120.0 '
                               'fps (8.33 ms), STARK-ST1 200.0 fps (5.00 ms)'), line
        assert line.endswith(f'goal >= 250 fps cached: {verdict}'), line


def test_the_wheel_list_covers_what_the_node_lacks(helper):
    """Every wheel is a distribution the tools import (plus setuptools for mmcv's build), and
    every runtime requirement is either imported-and-checked or left behind on purpose."""
    wheels = [re.split(r'[=<>]', spec)[0] for spec in helper.NODE_WHEELS]
    assert len(wheels) == len(set(wheels))
    checked = {dist for _, dist in helper.REQUIRED_IMPORTS}
    assert set(wheels) - checked == {'setuptools'}
    assert {'mmengine==0.10.7', 'mmdet==3.0.0rc5', 'mmcls==1.0.0rc5',
            'mmtrack==1.0.0rc1'} <= set(helper.NODE_WHEELS)
    with open(osp.join(REPO, 'requirements', 'runtime.txt')) as f:
        runtime = {
            re.split(r'[=<>\s]', line.strip())[0].lower()
            for line in f if line.strip() and not line.startswith('#')
        }
    left_behind = {'shapely', 'attributee'}  # not imported by the tools (the helper says)
    assert runtime - left_behind <= checked | {'setuptools'}, \
        sorted(runtime - left_behind - checked)
