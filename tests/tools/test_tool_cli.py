# Copyright (c) SATracker authors. Licensed under the Apache License 2.0.
"""The command-line tools start, and refuse what cannot work offline with the fix named.

The tools are loaded from their files and called in-process (``main(argv)``), so the suite
pays the mmtrack import once; tools/dist_train.sh is run for real in test_dist_train_cpu.py.
"""
import os.path as osp

import pytest
from tool_loading import load_tool


def help_text(repo_root, relpath, capsys):
    with pytest.raises(SystemExit) as exit_info:
        load_tool(repo_root, relpath).main(['--help'])
    assert exit_info.value.code == 0
    return capsys.readouterr().out


@pytest.mark.parametrize('tool', ['tools/train.py', 'tools/test.py', 'tools/misc/print_config.py'])
def test_help(repo_root, tool, capsys):
    assert '--cfg-options' in help_text(repo_root, tool, capsys)


def test_train_and_test_help_list_the_mmtracking_flags(repo_root, capsys):
    out = help_text(repo_root, 'tools/train.py', capsys)
    for flag in ('--work-dir', '--resume', '--amp', '--auto-scale-lr', '--launcher',
                 '--trust-checkpoint'):
        assert flag in out
    assert '--checkpoint' in help_text(repo_root, 'tools/test.py', capsys)


STARK = 'mmtrack::sot/stark/stark-st1_r50_8xb16-500e_got10k-lasot-trackingnet-coco_base.py'


def test_stark_torchvision_init_is_refused_with_the_fix(repo_root, tmp_path, capsys):
    train = load_tool(repo_root, 'tools/train.py')
    with pytest.raises(SystemExit) as err:
        train.main([STARK, '--work-dir', str(tmp_path)])
    assert err.value.code == 2
    message = capsys.readouterr().err
    assert 'torchvision://resnet50' in message
    assert '--cfg-options model.backbone.init_cfg=None' in message


def test_print_config_resolves_mmtrack_configs(repo_root, capsys):
    load_tool(repo_root, 'tools/misc/print_config.py').main(
        [STARK, '--cfg-options', 'model.backbone.init_cfg=None'])
    out = capsys.readouterr().out
    assert "type='Stark'" in out
    assert 'torchvision://' not in out.split('backbone=')[1].split('neck=')[0]


def test_missing_config_is_named(repo_root):
    with pytest.raises(SystemExit, match='configs/does_not_exist.py'):
        load_tool(repo_root, 'tools/test.py').main(['configs/does_not_exist.py'])


def test_cfg_options_that_do_not_fit_are_named(repo_root):
    with pytest.raises(SystemExit, match='--cfg-options does not fit'):
        load_tool(repo_root, 'tools/train.py').main([
            osp.join(repo_root, 'configs/demo/satracker_tiny-minilm_2xb8_synthetic.py'),
            '--check-only', '--cfg-options', 'val_dataloader.dataset.data_root=x'
        ])


def test_paper_config_without_phase1_weights_names_load_from(repo_root, tmp_path, capsys,
                                                             monkeypatch):
    monkeypatch.chdir(tmp_path)
    train = load_tool(repo_root, 'tools/train.py')
    with pytest.raises(SystemExit) as err:
        train.main([osp.join(repo_root, 'configs/satracker_tnl2k.py'), '--work-dir', str(tmp_path)])
    assert err.value.code == 2
    message = capsys.readouterr().err
    assert 'checkpoint to start from: data/pretrained/satracker_phase1.pth   (load_from)' \
        in message
    assert 'publish_model.py' in message and '--cfg-options KEY=PATH' in message
