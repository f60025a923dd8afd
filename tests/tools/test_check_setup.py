# Copyright (c) SATracker authors. Licensed under the Apache License 2.0.
"""The paper-size configs really train: ``tools/misc/check_setup.py`` (the command of
docs/training.md) trains the shipped phase-1 config for two iterations, the published
checkpoint starts ``configs/satracker_tnl2k.py`` (phase 2), and each run tests a few frames.

Paper sizes: CvT-21 (widths 64/192/384, depths 1/4/16), a BERT-base-sized text encoder with
random weights saved as a HuggingFace directory, 128/320 crops, 30 tokens. The data are tiny
fakes of each release's layout (TNL2K, OTB99-Lang, LaSOT; GOT-10k, TrackingNet, COCO) with
their info files; ``--cfg-options`` only point the configs at them and at the weights.
"""
import json
import math
import os
import os.path as osp
import re
import resource
import shutil
import subprocess
import sys
import time
import warnings

import pytest
import torch
from tool_loading import load_tool

HERE = osp.dirname(osp.abspath(__file__))
REPO = osp.dirname(osp.dirname(HERE))
sys.path.insert(0, osp.join(REPO, 'tests', 'datasets'))
# yapf: disable  (isort wraps this import; yapf would move the noqa comment)
from vl_data_fixtures import (make_coco_tree, make_got10k_tree, make_lasot_tree,  # noqa: E402
                              make_otb99_tree, make_tnl2k_tree, make_trackingnet_tree)

# yapf: enable

PHASE1 = osp.join(REPO, 'configs', 'satracker',
                  'satracker_cvt21-bert_2xb8-500e_got10k-lasot-trackingnet-coco_phase1.py')
PHASE2 = osp.join(REPO, 'configs', 'satracker_tnl2k.py')
CHECK_SETUP = osp.join(REPO, 'tools', 'misc', 'check_setup.py')
PEAK_LIMIT_GB = 8.0


def _tool(rel):
    """A tool script as a module (its main() runs in this process)."""
    return load_tool(REPO, rel)


def _check_setup(argv, capsys):
    """tools/misc/check_setup.py ARGV in this process (its runs are subprocesses)."""
    t0 = time.time()
    summary = _tool(CHECK_SETUP).main(argv)
    out = capsys.readouterr().out
    print(out)
    return out, summary, time.time() - t0


def _reset_own_peak_rss():
    """Restart this process's peak-RSS count (Linux), so that it is this test's own."""
    try:
        with open('/proc/self/clear_refs', 'w') as f:
            f.write('5')
    except OSError:
        pass  # the peak then includes what ran before in this process (an upper bound)


def _own_peak_rss_gb():
    with open('/proc/self/status') as f:
        for line in f:
            if line.startswith('VmHWM:'):
                return int(line.split()[1]) / 2**20
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 2**20


def _run(cmd, cwd, timeout=600):
    env = dict(os.environ, PYTHONPATH=osp.join(REPO, 'projects'))
    done = subprocess.run(cmd, cwd=cwd, env=env, capture_output=True, text=True, timeout=timeout)
    return done.returncode, done.stdout + done.stderr


# --------------------------------------------------------------------------- weights
def _bert_base_dir(path):
    """bert-base-uncased's architecture with random weights, and its vocabulary."""
    from transformers import BertConfig, BertModel

    from satracker.utils import default_text_model_path
    torch.manual_seed(0)
    config = BertConfig()  # the defaults are bert-base-uncased's sizes
    assert (config.hidden_size, config.num_hidden_layers, config.vocab_size) == \
        (768, 12, 30522)
    BertModel(config, add_pooling_layer=False).save_pretrained(path)
    minilm = default_text_model_path()  # ships bert-base-uncased's vocab.txt
    for name in ('vocab.txt', 'tokenizer_config.json', 'special_tokens_map.json'):
        if osp.isfile(osp.join(minilm, name)):
            shutil.copy(osp.join(minilm, name), path)
    return path


def _cvt21_checkpoint(path):
    """Random CvT-21 weights in HuggingFace names, converted to SLB names (cvt2slb.py's
    conversion): the file a user passes as the backbone's init_cfg checkpoint."""
    from transformers import CvtConfig, CvtModel

    from satracker.utils import convert_cvt_state_dict
    torch.manual_seed(1)
    config = CvtConfig(embed_dim=[64, 192, 384], depth=[1, 4, 16], num_heads=[1, 3, 6])
    state = convert_cvt_state_dict(CvtModel(config).state_dict(), source='hf')
    torch.save(state, path)
    return state


# --------------------------------------------------------------------------- data
def _data(root):
    """Each release's layout with its info files (converters of docs/dataset_prepare.md)."""
    from satracker_data.converters import (gen_lasot_lang_infos, gen_otb99_lang_infos,
                                           gen_tnl2k_infos)
    roots = {
        k: osp.join(root, k)
        for k in ('TNL2K', 'OTB99-Lang', 'LaSOT', 'GOT10k', 'TrackingNet', 'coco')
    }
    tnl2k = make_tnl2k_tree(roots['TNL2K'], defects=False)
    make_otb99_tree(roots['OTB99-Lang'])
    make_lasot_tree(roots['LaSOT'])
    make_got10k_tree(roots['GOT10k'])
    make_trackingnet_tree(roots['TrackingNet'])
    make_coco_tree(roots['coco'])
    with warnings.catch_warnings():
        warnings.simplefilter('ignore')  # the defects of the OTB / LaSOT fakes
        gen_tnl2k_infos(roots['TNL2K'], osp.join(roots['TNL2K'], 'annotations'), progress=False)
        gen_otb99_lang_infos(
            roots['OTB99-Lang'], osp.join(roots['OTB99-Lang'], 'annotations'), progress=False)
        gen_lasot_lang_infos(
            osp.join(roots['LaSOT'], 'LaSOTBenchmark'),
            osp.join(roots['LaSOT'], 'annotations'),
            progress=False)
    return roots, tnl2k


# --------------------------------------------------------------------------- checks
def _state_dict(checkpoint):
    return torch.load(checkpoint, map_location='cpu', mmap=True, weights_only=False)['state_dict']


def _losses(work_dir):
    """Every logged training record with losses (vis_data/scalars.json of the run)."""
    (run, ) = [d for d in os.listdir(work_dir) if osp.isdir(osp.join(work_dir, d, 'vis_data'))]
    with open(osp.join(work_dir, run, 'vis_data', 'scalars.json')) as f:
        records = [json.loads(line) for line in f]
    return [{k: v for k, v in r.items() if k.startswith('loss')} for r in records if 'loss' in r]


def _assert_paper_size(state):
    n = sum(v.numel() for v in state.values()) / 1e6
    assert 140 < n < 160, f'{n:.1f} M values, expected ~148 M (CvT-21 + BERT-base + head)'
    # CvT-21: stage widths 64/192/384, depths 1/4/16.
    for stage, width, depth in ((0, 64, 1), (1, 192, 4), (2, 384, 16)):
        assert state[f'backbone.stages.{stage}.cte.proj.weight'].shape[0] == width
        blocks = {
            int(m.group(1))
            for k in state
            for m in [re.match(rf'backbone\.stages\.{stage}\.blocks\.(\d+)\.', k)] if m
        }
        assert blocks == set(range(depth)), (stage, sorted(blocks))
    # BERT-base: hidden 768, 12 layers, bert-base-uncased's vocabulary.
    word = [v for k, v in state.items() if k.endswith('word_embeddings.weight')]
    assert len(word) == 1 and tuple(word[0].shape) == (30522, 768)
    layers = {
        int(m.group(1))
        for k in state
        for m in [re.match(r'backbone\.text_encoder\..*layer\.(\d+)\.', k)] if m
    }
    assert layers == set(range(12)), sorted(layers)
    # Corner head on the 384-wide search features.
    head_in = [
        v.shape[1] for k, v in state.items()
        if k.startswith('head.') and k.endswith('weight') and v.dim() == 4
    ]
    assert head_in and 384 in head_in, head_in


def _assert_close(state, reference, keys, atol):
    for key in keys:
        diff = (state[key].float() - reference[key].float()).abs().max().item()
        assert diff < atol, f'{key}: max |diff| {diff:.2e}'


@pytest.mark.slow
def test_paper_size_phase1_then_phase2_train_and_test(tmp_path, capsys):
    t_start = time.time()
    _reset_own_peak_rss()
    roots, tnl2k = _data(str(tmp_path / 'data'))
    bert = _bert_base_dir(str(tmp_path / 'pretrained' / 'bert-base-random'))
    cvt_file = str(tmp_path / 'pretrained' / 'cvt-21-slb.pth')
    cvt = _cvt21_checkpoint(cvt_file)
    t_setup = time.time() - t_start

    # Phase 1: GOT-10k, LaSOT, TrackingNet, COCO; tested on LaSOT's test split.
    p1_dir = str(tmp_path / 'phase1')
    train_roots = [roots[k] for k in ('GOT10k', 'LaSOT', 'TrackingNet', 'coco')]
    out1, sum1, t1 = _check_setup([
        PHASE1, '--iters', '2', '--test-frames', '3', '--work-dir', p1_dir, '--cfg-options', *[
            f'train_dataloader.dataset.datasets.{i}.data_root={r}'
            for i, r in enumerate(train_roots)
        ], f'test_dataloader.dataset.data_root={roots["LaSOT"]}',
        f'model.backbone.text_encoder.pretrained={bert}',
        f'model.backbone.init_cfg.checkpoint={cvt_file}'
    ], capsys)
    assert 'check_setup: OK' in out1
    with open(osp.join(p1_dir, 'train', 'last_checkpoint')) as f:
        p1_ckpt = f.read().strip()
    p1_state = _state_dict(p1_ckpt)
    _assert_paper_size(p1_state)
    # The CvT-21 file was loaded (2 steps at lr 1e-5 move a weight by ~2e-5 at most).
    _assert_close(
        p1_state, {
            f'backbone.{k}': v
            for k, v in cvt.items()
        }, [f'backbone.stages.{s}.cte.proj.weight'
            for s in range(3)] + ['backbone.stages.2.blocks.15.attn.proj_q.weight'],
        atol=1e-3)
    p1_losses = _losses(osp.join(p1_dir, 'train'))
    assert len(p1_losses) == 2  # one record per iteration
    assert all(math.isfinite(v) for r in p1_losses for v in r.values()), p1_losses
    assert {'loss_bbox', 'loss_iou', 'loss_dm'} <= set(p1_losses[-1]), p1_losses[-1]
    with open(osp.join(p1_dir, 'test', 'results', 'vl_sot_eval.json')) as f:
        p1_eval = json.load(f)
    assert (p1_eval['num_videos'], p1_eval['num_frames']) == (1, 3)

    # Publish the phase-1 weights, as the phase-2 config's comment says.
    t0 = time.time()
    from satracker.engine.checkpoint import reset_trust
    try:
        _tool('tools/misc/publish_model.py').main(
            [p1_ckpt,
             str(tmp_path / 'pretrained' / 'satracker_phase1.pth'), '--trust-checkpoint'])
    finally:
        reset_trust()  # the flag trusts every checkpoint of this process
    published = re.search(r'Published (\S+\.pth)', capsys.readouterr().out).group(1)
    t_pub = time.time() - t0

    # Phase 2: the shipped configs/satracker_tnl2k.py from the published weights.
    p2_dir = str(tmp_path / 'phase2')
    train_roots = [roots[k] for k in ('TNL2K', 'OTB99-Lang', 'LaSOT')]
    out2, sum2, t2 = _check_setup([
        PHASE2, '--iters', '2', '--test-videos', '2', '--test-frames', '3', '--work-dir', p2_dir,
        '--cfg-options', *[
            f'train_dataloader.dataset.datasets.{i}.data_root={r}'
            for i, r in enumerate(train_roots)
        ], f'test_dataloader.dataset.data_root={roots["TNL2K"]}',
        f'model.backbone.text_encoder.pretrained={bert}', f'load_from={published}'
    ], capsys)
    assert 'check_setup: OK' in out2
    with open(osp.join(p2_dir, 'train.log')) as f:
        assert f'Load checkpoint from {published}' in f.read()
    with open(osp.join(p2_dir, 'train', 'last_checkpoint')) as f:
        p2_state = _state_dict(f.read().strip())
    _assert_paper_size(p2_state)
    # Phase 2 starts from phase 1 (2 steps at lr <= 1e-4 move a weight by ~2e-4 at most).
    head_keys = [k for k in p1_state if k.startswith('head.') and k.endswith('weight')]
    _assert_close(p2_state, p1_state, head_keys + ['backbone.stages.2.cte.proj.weight'], atol=2e-3)
    p2_losses = _losses(osp.join(p2_dir, 'train'))
    assert len(p2_losses) == 2
    assert all(math.isfinite(v) for r in p2_losses for v in r.values()), p2_losses
    results = osp.join(p2_dir, 'test', 'results')
    with open(osp.join(results, 'vl_sot_eval.json')) as f:
        p2_eval = json.load(f)
    for key in ('success', 'precision', 'norm_precision', 'ms_per_frame'):
        assert p2_eval[key] is not None and math.isfinite(p2_eval[key]), key
    assert p2_eval['num_videos'] == 2 and p2_eval['num_frames'] == 6
    for video in tnl2k['test_videos']:  # one result file per test video, 3 boxes each
        with open(osp.join(results, f'{video}.txt')) as f:
            assert len(f.read().split()) == 3

    # Peak resident memory of each train / test process, and of this one (data, weights).
    child_gb = max(sum1['train_peak_gb'], sum1['test_peak_gb'], sum2['train_peak_gb'],
                   sum2['test_peak_gb'])
    own_gb = _own_peak_rss_gb()
    total = time.time() - t_start
    print(f'paper-size check: setup {t_setup:.0f} s, phase 1 {t1:.0f} s, publish '
          f'{t_pub:.0f} s, phase 2 {t2:.0f} s, total {total:.0f} s; peak RSS: largest '
          f'train / test process {child_gb:.2f} GB, pytest {own_gb:.2f} GB; phase-2 model: '
          f'{sum2["model_mvalues"]:.1f} M values')
    assert child_gb + own_gb < PEAK_LIMIT_GB


def test_check_setup_names_missing_files_without_traceback(tmp_path):
    """Missing data and weights stop the tool before training, all listed, exit status 2
    (that of tools/train.py's check)."""
    missing = str(tmp_path / 'nowhere')
    rc, out = _run(
        [  # from tmp_path: the config's relative data/... paths are not there
            sys.executable, CHECK_SETUP, PHASE2, '--work-dir',
            str(tmp_path / 'w'), '--cfg-options',
            f'train_dataloader.dataset.datasets.0.data_root={missing}',
            f'model.backbone.text_encoder.pretrained={missing}/bert', f'load_from={missing}.pth'
        ],
        cwd=str(tmp_path),
        timeout=300)
    assert rc == 2, out
    assert 'Traceback' not in out, out
    lines = [ln.strip() for ln in out.splitlines()]
    for what in (f'TNL2KDataset data: {missing} ', 'OTB99LangDataset data: data/OTB99-Lang/',
                 f'text encoder weights: {missing}/bert ',
                 f'checkpoint to start from: {missing}.pth '):
        assert any(ln.startswith(f'- {what}') for ln in lines), (what, out)
    assert not osp.exists(str(tmp_path / 'w'))  # nothing was run
