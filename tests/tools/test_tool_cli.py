# Copyright (c) SATracker authors. Licensed under the Apache License 2.0.
"""The command-line tools start, and refuse what cannot work offline with the fix named."""
import os.path as osp
import subprocess
import sys

import pytest


def _run(repo_root, *args):
    return subprocess.run([sys.executable, *args], cwd=repo_root, capture_output=True,
                          text=True, timeout=300)


@pytest.mark.parametrize('tool', ['tools/train.py', 'tools/test.py',
                                  'tools/misc/print_config.py'])
def test_help(repo_root, tool):
    done = _run(repo_root, tool, '--help')
    assert done.returncode == 0, done.stderr
    assert '--cfg-options' in done.stdout


def test_train_help_lists_the_mmtracking_flags(repo_root):
    out = _run(repo_root, 'tools/train.py', '--help').stdout
    for flag in ('--work-dir', '--resume', '--amp', '--auto-scale-lr', '--launcher',
                 '--trust-checkpoint'):
        assert flag in out
    assert '--checkpoint' in _run(repo_root, 'tools/test.py', '--help').stdout


STARK = 'mmtrack::sot/stark/stark-st1_r50_8xb16-500e_got10k-lasot-trackingnet-coco_base.py'


def test_stark_torchvision_init_is_refused_with_the_fix(repo_root, tmp_path):
    done = _run(repo_root, 'tools/train.py', STARK, '--work-dir', str(tmp_path))
    assert done.returncode != 0
    assert 'torchvision://resnet50' in done.stderr
    assert '--cfg-options model.backbone.init_cfg=None' in done.stderr


def test_print_config_resolves_mmtrack_configs(repo_root):
    done = _run(repo_root, 'tools/misc/print_config.py', STARK, '--cfg-options',
                'model.backbone.init_cfg=None')
    assert done.returncode == 0, done.stderr
    assert "type='Stark'" in done.stdout
    assert 'torchvision://' not in done.stdout.split('backbone=')[1].split('neck=')[0]


def test_missing_config_is_named(repo_root):
    done = _run(repo_root, 'tools/test.py', 'configs/does_not_exist.py')
    assert done.returncode != 0 and 'configs/does_not_exist.py' in done.stderr
