# Copyright (c) SATracker authors. Licensed under the Apache License 2.0.
"""The converter command lines on tiny releases in the real layouts (with defects), and
without torch."""
import json
import os.path as osp
import subprocess
import sys
import time
import warnings

import pytest
from tool_loading import load_tool

HERE = osp.dirname(osp.abspath(__file__))
REPO = osp.dirname(osp.dirname(HERE))
sys.path.insert(0, osp.join(REPO, 'tests', 'datasets'))
from vl_data_fixtures import make_lasot_tree, make_otb99_tree, make_tnl2k_tree  # noqa: E402


def _tool(rel):
    return load_tool(REPO, f'tools/dataset_converters/{rel}')


def _run(tool, argv, capsys):
    t0 = time.time()
    with warnings.catch_warnings():
        warnings.simplefilter('ignore')
        tool.main(argv)
    seconds = time.time() - t0
    out = capsys.readouterr().out
    print(f'{tool.__name__}: {seconds:.2f} s')  # run time, shown with -s
    return out


@pytest.mark.parametrize('rel', [
    'tnl2k/gen_tnl2k_infos.py', 'otb99_lang/gen_otb99_lang_infos.py',
    'lasot/gen_lasot_lang_infos.py', 'make_synthetic_vl.py'
])
def test_help(rel, capsys):
    with pytest.raises(SystemExit) as e:
        _tool(rel).main(['--help'])
    assert e.value.code == 0
    out = capsys.readouterr().out
    assert '--check-images' in out or '--seed' in out


def test_tnl2k_cli(tmp_path, capsys):
    root = str(tmp_path / 'TNL2K')
    expect = make_tnl2k_tree(root)
    out = _run(
        _tool('tnl2k/gen_tnl2k_infos.py'),
        ['-i', root, '-o', osp.join(root, 'annotations'), '--check-images'], capsys)
    assert 'train: 7 videos' in out and '1 skipped' in out
    assert 'test: 2 videos' in out and '1 unreadable images' in out
    assert osp.isfile(osp.join(root, 'annotations', 'tnl2k_train_frames.json'))
    with open(osp.join(root, 'annotations', 'tnl2k_test_unreadable.txt')) as f:
        assert f.read().split() == [expect['unreadable']]


def test_tnl2k_cli_split_dirs(tmp_path, capsys):
    root = str(tmp_path / 'TNL2K')
    make_tnl2k_tree(root)
    out = _run(
        _tool('tnl2k/gen_tnl2k_infos.py'),
        ['-i', root, '-o',
         str(tmp_path / 'ann'), '--split', 'test', '--test-dir', 'train'], capsys)
    assert 'test: 7 videos' in out


def test_otb99_cli(tmp_path, capsys):
    root = str(tmp_path / 'OTB99-Lang')
    make_otb99_tree(root)
    out = _run(
        _tool('otb99_lang/gen_otb99_lang_infos.py'),
        ['-i', root, '-o', osp.join(root, 'annotations'), '--check-images'], capsys)
    assert 'train: 3 videos' in out and 'test: 3 videos' in out
    assert '0 unreadable images' in out


def test_lasot_cli(tmp_path, capsys):
    root = str(tmp_path / 'LaSOT')
    bench = make_lasot_tree(root)
    test_list = tmp_path / 'test.txt'
    test_list.write_text('airplane-2\n')
    out = _run(
        _tool('lasot/gen_lasot_lang_infos.py'),
        ['-i', bench, '-o',
         osp.join(root, 'annotations'), '--test-list',
         str(test_list)], capsys)
    assert 'train: 3 videos' in out and 'test: 1 videos' in out
    with open(osp.join(root, 'annotations', 'lasot_test_infos.txt')) as f:
        assert f.read().split('\n')[1].startswith('airplane/airplane-2/img,')


def test_missing_split_folder_is_an_error(tmp_path):
    from satracker_data.converters import gen_tnl2k_infos
    with pytest.raises(FileNotFoundError, match='No TNL2K test folder'):
        gen_tnl2k_infos(str(tmp_path), str(tmp_path / 'ann'), split='test')


def test_bad_input_is_a_message_and_exit_status(tmp_path, capsys):
    with pytest.raises(SystemExit) as e:
        _tool('tnl2k/gen_tnl2k_infos.py').main(
            ['-i', str(tmp_path), '-o',
             str(tmp_path / 'a'), '--split', 'test'])
    assert str(e.value.code).startswith('error: No TNL2K test folder under ')
    with pytest.raises(SystemExit) as e:
        _tool('make_synthetic_vl.py').main(['--out', str(tmp_path / 's'), '--frames', '1'])
    assert 'at least 2 frames' in str(e.value.code)


#: Run in a fresh interpreter: import satracker_data, then forbid the heavy packages (an
#: import of any of them raises ImportError) and run each command line as ``python tool``.
_NO_TORCH = """
import json, runpy, sys
commands = json.loads(sys.argv[1])
HEAVY = ('torch', 'mmcv', 'mmengine', 'mmdet', 'mmtrack', 'transformers', 'satracker')
import satracker_data, satracker_data.cli, satracker_data.converters
import satracker_data.lasot_splits, satracker_data.synthetic_vl, satracker_data.vl_sot_io
loaded = sorted(m for m in sys.modules if m.split('.')[0] in HEAVY)
assert not loaded, f'importing satracker_data imported {loaded}'
for name in HEAVY:
    sys.modules[name] = None
for argv in commands:
    sys.argv = argv
    runpy.run_path(argv[0], run_name='__main__')
print('heavy modules:', sorted(m for m in sys.modules
                               if m.split('.')[0] in HEAVY and sys.modules[m] is not None))
"""


def test_package_and_command_lines_run_without_torch(tmp_path):
    tnl2k, otb = str(tmp_path / 'TNL2K'), str(tmp_path / 'OTB99-Lang')
    make_tnl2k_tree(tnl2k)
    make_otb99_tree(otb)
    lasot = make_lasot_tree(str(tmp_path / 'LaSOT'))
    syn, ann = str(tmp_path / 'syn'), str(tmp_path / 'ann')
    tools = osp.join(REPO, 'tools', 'dataset_converters')
    commands = [
        [osp.join(tools, 'tnl2k', 'gen_tnl2k_infos.py'), '-i', tnl2k, '-o', ann],
        [osp.join(tools, 'otb99_lang', 'gen_otb99_lang_infos.py'), '-i', otb, '-o', ann],
        [osp.join(tools, 'lasot', 'gen_lasot_lang_infos.py'), '-i', lasot, '-o', ann],
        [
            osp.join(tools, 'make_synthetic_vl.py'), '--out', syn, '--train-videos', '1',
            '--test-videos', '1', '--frames', '12'
        ],
        [osp.join(tools, 'synthetic_vl_to_mmtrack.py'), '-i', syn, '-o',
         str(tmp_path / 'mmtrack')],
    ]
    t0 = time.time()
    proc = subprocess.run([sys.executable, '-W', 'ignore', '-c', _NO_TORCH,
                           json.dumps(commands)],
                          capture_output=True,
                          text=True,
                          cwd=str(tmp_path))
    print(f'five command lines without torch: {time.time() - t0:.2f} s')
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.rstrip().endswith('heavy modules: []'), proc.stdout
    for name in ('tnl2k_train_infos.txt', 'otb99_lang_test_infos.txt', 'lasot_train_infos.txt'):
        assert osp.isfile(osp.join(ann, name))
    assert osp.isfile(osp.join(syn, 'annotations', 'tnl2k_test_frames.json'))
    assert osp.isfile(
        osp.join(tmp_path, 'mmtrack', 'LaSOT_full', 'annotations', 'lasot_test_infos.txt'))
