# Copyright (c) SATracker authors. Licensed under the Apache License 2.0.
"""Pre-flight checks: every missing file of a run at once, with the command that makes it,
before any process starts."""
import os
import os.path as osp
import subprocess
import sys

import pytest
from mmengine.config import Config

from satracker.utils import resolve_tokenizer_paths
from satracker.utils.prerequisites import (EXIT_MISSING, exit_if_missing, find_missing,
                                           format_missing)

REPO = osp.dirname(osp.dirname(osp.dirname(osp.abspath(__file__))))
PHASE2 = osp.join(REPO, 'configs', 'satracker_tnl2k.py')
PHASE1 = osp.join(REPO, 'configs', 'satracker',
                  'satracker_cvt21-bert_2xb8-500e_got10k-lasot-trackingnet-coco_phase1.py')
ABLATION = osp.join(REPO, 'configs', 'satracker', 'ablations', 'satracker_tab5-wo-update.py')


def _cfg(path):
    cfg = Config.fromfile(path)
    resolve_tokenizer_paths(cfg)
    return cfg


def test_phase2_on_a_fresh_checkout_lists_everything(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)  # no data/ here
    missing = find_missing(_cfg(PHASE2), 'train')
    by_key = {m.key: m for m in missing}
    assert by_key['load_from'].path == 'data/pretrained/satracker_phase1.pth'
    assert 'tools/dist_train.sh configs/satracker/satracker_cvt21-bert_2xb8-500e_got10k-' \
        'lasot-trackingnet-coco_phase1.py 2' in by_key['load_from'].remedy
    assert 'publish_model.py' in by_key['load_from'].remedy
    text = by_key['model.backbone.text_encoder.pretrained']
    assert text.path == 'data/pretrained/bert-base-uncased' and 'bert-base-uncased' in text.remedy
    roots = sorted(m.path for m in missing if m.key.endswith('data_root'))
    assert roots == ['data/LaSOT/', 'data/OTB99-Lang/', 'data/TNL2K/']  # each once
    # the tokenizer follows the encoder: the same directory is not listed twice
    assert [m.path for m in missing].count('data/pretrained/bert-base-uncased') == 1
    assert len(missing) == 5
    # each printed key is a valid --cfg-options key: overriding it silences that entry
    cfg = _cfg(PHASE2)
    os.makedirs('elsewhere/LaSOT')
    cfg.merge_from_dict({'train_dataloader.dataset.datasets.2.data_root': 'elsewhere/LaSOT/'})
    assert 'train_dataloader.dataset.datasets.2.data_root' in by_key
    assert [m.key for m in find_missing(cfg, 'train')][-1] == \
        'train_dataloader.dataset.datasets.2.ann_file'
    message = format_missing(missing, 'configs/satracker_tnl2k.py')
    assert message.startswith('Cannot start configs/satracker_tnl2k.py: 5 prerequisites')
    assert 'Reproducing the paper' in message and len(message.splitlines()) == 12


def test_info_files_name_their_converter(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    for root in ('data/TNL2K', 'data/OTB99-Lang', 'data/LaSOT', 'data/pretrained/'
                 'bert-base-uncased'):
        os.makedirs(root)
    (tmp_path / 'data/pretrained/satracker_phase1.pth').write_bytes(b'')
    missing = find_missing(_cfg(PHASE2), 'train')
    remedies = {m.path: m.remedy for m in missing}
    assert set(remedies) == {
        'data/TNL2K/annotations/tnl2k_train_infos.txt',
        'data/OTB99-Lang/annotations/otb99_lang_train_infos.txt',
        'data/LaSOT/annotations/lasot_train_infos.txt',
        'data/TNL2K/annotations/tnl2k_test_infos.txt'
    }
    assert remedies['data/TNL2K/annotations/tnl2k_train_infos.txt'] == (
        'python tools/dataset_converters/tnl2k/gen_tnl2k_infos.py -i data/TNL2K '
        '-o data/TNL2K/annotations')
    assert 'gen_lasot_lang_infos.py -i data/LaSOT' in \
        remedies['data/LaSOT/annotations/lasot_train_infos.txt']
    for path in remedies:
        os.makedirs(osp.dirname(path), exist_ok=True)
        open(path, 'w').close()
    assert find_missing(_cfg(PHASE2), 'train') == []
    # testing needs no training data and no phase-1 checkpoint, but the checkpoint it tests
    cfg = _cfg(PHASE2)
    cfg.load_from = 'nowhere.pth'
    assert [m.key for m in find_missing(cfg, 'test')] == ['--checkpoint / load_from']


def test_phase1_and_ablations(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    missing = {m.key: m for m in find_missing(_cfg(PHASE1), 'train')}
    assert 'load_from' not in missing  # phase 1 starts from ImageNet / BERT weights
    cvt = missing['model.backbone.init_cfg.checkpoint']
    assert cvt.path == 'data/pretrained/cvt-21-slb.pth' and 'cvt2slb.py' in cvt.remedy
    assert {m.path
            for m in missing.values() if m.key.endswith('data_root')
            } == {'data/GOT10k/', 'data/LaSOT/', 'data/TrackingNet/', 'data/coco/'}
    abl = {m.key: m for m in find_missing(_cfg(ABLATION), 'train')}
    assert abl['load_from'].path == 'data/pretrained/satracker_tab5-wo-update_phase1.pth'
    assert 'configs/satracker/ablations/satracker_tab5-wo-update_phase1.py' in \
        abl['load_from'].remedy


def test_only_rank0_prints(tmp_path, monkeypatch, capsys):
    monkeypatch.chdir(tmp_path)
    cfg = _cfg(PHASE2)
    monkeypatch.setenv('RANK', '1')
    with pytest.raises(SystemExit) as e:
        exit_if_missing(cfg, 'x.py')
    assert e.value.code == EXIT_MISSING and capsys.readouterr().err == ''
    monkeypatch.setenv('RANK', '0')
    with pytest.raises(SystemExit):
        exit_if_missing(cfg, 'x.py')
    assert capsys.readouterr().err.startswith('Cannot start x.py')


def test_dist_train_reports_once_before_any_process_starts(tmp_path):
    """What a new user sees on a fresh checkout: one short message, exit status 2."""
    env = dict(os.environ, PORT='29611')
    proc = subprocess.run(['bash', osp.join(REPO, 'tools', 'dist_train.sh'), PHASE2, '2'],
                          cwd=tmp_path,
                          env=env,
                          capture_output=True,
                          text=True,
                          timeout=300)
    out = proc.stdout + proc.stderr
    assert proc.returncode == EXIT_MISSING, out
    assert 'Traceback' not in out and 'torch.distributed' not in out and 'Error' not in out
    assert out.count('Cannot start') == 1 and out.count('satracker_phase1.pth') == 2
    assert len(out.strip().splitlines()) <= 15, out


def test_train_check_only_passes_when_all_is_there(tmp_path):
    """--check-only on a config whose files exist (the synthetic demo set is made here)."""
    data = tmp_path / 'syn'
    subprocess.run([
        sys.executable,
        osp.join(REPO, 'tools', 'dataset_converters', 'make_synthetic_vl.py'), '--out',
        str(data), '--train-videos', '1', '--test-videos', '1', '--frames', '10'
    ],
                   check=True,
                   capture_output=True)
    config = osp.join(REPO, 'configs', 'demo', 'satracker_tiny-minilm_2xb8_synthetic.py')
    proc = subprocess.run([
        sys.executable,
        osp.join(REPO, 'tools', 'train.py'), config, '--check-only', '--cfg-options',
        f'train_dataloader.dataset.data_root={data}/', f'test_dataloader.dataset.data_root={data}/'
    ],
                          cwd=tmp_path,
                          capture_output=True,
                          text=True,
                          timeout=300)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert 'are in place' in proc.stdout
    assert not (tmp_path / 'work_dirs').exists() or not os.listdir(tmp_path / 'work_dirs')
