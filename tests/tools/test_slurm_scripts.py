# Copyright (c) SATracker authors. Licensed under the Apache License 2.0.
"""tools/slurm_train.sh and tools/slurm_test.sh take MMTracking 1.x's arguments.

A fake ``srun`` on PATH records what it is given (one argument a line) and exits 0; the
arguments behind the tool's path are then parsed by the tool's own ``parse_args``.
"""
import os
import os.path as osp
import subprocess

import pytest
from test_tool_cli import load_tool

FAKE_SRUN = """#!/usr/bin/env bash
printf '%s\\n' "$@" > "$SRUN_RECORD"
printf '%s' "$PYTHONPATH" > "$SRUN_RECORD.pythonpath"
"""


@pytest.fixture
def fake_srun(tmp_path):
    bin_dir = tmp_path / 'bin'
    bin_dir.mkdir()
    srun = bin_dir / 'srun'
    srun.write_text(FAKE_SRUN)
    srun.chmod(0o755)
    record = tmp_path / 'srun_argv.txt'
    env = dict(
        os.environ,
        PATH=f'{bin_dir}{os.pathsep}{os.environ["PATH"]}',
        SRUN_RECORD=str(record),
        GPUS_PER_NODE='2',
        SRUN_ARGS='--quotatype=auto --mem=0')
    env.pop('GPUS', None)
    env.pop('CPUS_PER_TASK', None)
    return env, record


def run_script(repo_root, env, *args):
    return subprocess.run(['bash', *args],
                          cwd=repo_root,
                          env=env,
                          capture_output=True,
                          text=True,
                          timeout=60)


def split_srun_argv(argv, repo_root, tool):
    """(srun's own options, the argument list behind ``python -u <repo>/tools/<tool>``)."""
    script = osp.join(repo_root, 'tools', tool)
    assert script in argv, argv
    at = argv.index(script)
    assert argv[at - 2:at] == ['python', '-u'], argv
    return argv[:at - 2], argv[at + 1:]


def test_slurm_train_passes_gpus_as_task_count(repo_root, fake_srun, monkeypatch):
    env, record = fake_srun
    done = run_script(repo_root, env, 'tools/slurm_train.sh', 'gpu_part', 'sat_job',
                      'configs/satracker_tnl2k.py', 'work_dirs/x', '4', '--resume', '--cfg-options',
                      'train_cfg.max_epochs=2')
    assert done.returncode == 0, done.stderr
    srun_opts, tool_argv = split_srun_argv(record.read_text().splitlines(), repo_root, 'train.py')
    assert srun_opts == [
        '-p', 'gpu_part', '--job-name=sat_job', '--gres=gpu:2', '--ntasks=4', '--ntasks-per-node=2',
        '--cpus-per-task=2', '--kill-on-bad-exit=1', '--quotatype=auto', '--mem=0'
    ]
    assert tool_argv == [
        'configs/satracker_tnl2k.py', '--work-dir=work_dirs/x', '--launcher=slurm', '--resume',
        '--cfg-options', 'train_cfg.max_epochs=2'
    ]
    assert (record.parent / 'srun_argv.txt.pythonpath').read_text().split(
        os.pathsep)[0] == osp.join(repo_root, 'projects')
    monkeypatch.setenv('LOCAL_RANK', '0')
    args = load_tool(repo_root, 'tools/train.py').parse_args(tool_argv)
    assert (args.config, args.work_dir, args.launcher,
            args.resume) == ('configs/satracker_tnl2k.py', 'work_dirs/x', 'slurm', 'auto')
    assert args.cfg_options == {'train_cfg.max_epochs': 2}


def test_slurm_test_takes_gpus_as_fourth_argument(repo_root, fake_srun, monkeypatch):
    env, record = fake_srun
    env['CPUS_PER_TASK'] = '5'
    done = run_script(repo_root, env, 'tools/slurm_test.sh', 'gpu_part', 'sat_test',
                      'configs/satracker_tnl2k.py', '8', '--checkpoint', 'my ckpt.pth')
    assert done.returncode == 0, done.stderr
    srun_opts, tool_argv = split_srun_argv(record.read_text().splitlines(), repo_root, 'test.py')
    assert '--ntasks=8' in srun_opts and '--ntasks-per-node=2' in srun_opts
    assert '--cpus-per-task=5' in srun_opts and '--job-name=sat_test' in srun_opts
    # "8" is srun's task count, not an argument of test.py; the path with a space stays whole
    assert tool_argv == [
        'configs/satracker_tnl2k.py', '--launcher=slurm', '--checkpoint', 'my ckpt.pth'
    ]
    monkeypatch.setenv('LOCAL_RANK', '0')
    args = load_tool(repo_root, 'tools/test.py').parse_args(tool_argv)
    assert (args.config, args.launcher, args.checkpoint) == ('configs/satracker_tnl2k.py', 'slurm',
                                                             'my ckpt.pth')


@pytest.mark.parametrize('script,args', [
    ('tools/slurm_test.sh', ['p', 'j', 'configs/satracker_tnl2k.py', '--checkpoint', 'c']),
    ('tools/slurm_train.sh', ['p', 'j', 'configs/satracker_tnl2k.py', 'work_dirs/x']),
])
def test_missing_gpus_is_refused_before_srun(repo_root, fake_srun, script, args):
    env, record = fake_srun
    done = run_script(repo_root, env, script, *args)
    assert done.returncode == 2
    assert 'GPUS' in done.stderr and 'must be a positive number' in done.stderr
    assert 'usage:' in done.stderr
    assert not record.exists()
