# Copyright (c) SATracker authors. Licensed under the Apache License 2.0.
"""tools/analysis_tools/get_flops.py and benchmark_speed.py run on tiny models."""
import json
import os.path as osp
import subprocess
import sys

import pytest
from tool_loading import load_tool

REPO = osp.dirname(osp.dirname(osp.dirname(osp.abspath(__file__))))
BASE = 'configs/_base_/models/satracker.py'


def _tool(name):
    return load_tool(REPO, f'tools/analysis_tools/{name}.py')


def test_get_flops_tiny(capsys):
    result = _tool('get_flops').main([osp.join(REPO, BASE), '--tiny'])
    p, m = result['params'], result['macs']
    assert p['total'] == sum(p[k] for k in ('cvt', 'bert', 'sam', 'neck', 'head', 'other'))
    assert p['cvt'] > 0 and p['bert'] > 0 and p['sam'] > 0 and p['head'] > 0
    assert p['other'] == 0 and p['neck'] == 0
    assert p['total_without_word_embeddings'] == p['total'] - p['word_embeddings'] > 0
    # the cached search stream costs no more than the full forward minus the template/text work
    assert 0 < m['search_stream'] <= m['full'] - m['template_text']
    assert m['template_text'] > 0
    out = capsys.readouterr().out
    assert 'cached search stream' in out and 'without word embeddings' in out


def test_get_flops_counts_attention():
    """Attention MACs are counted (FlopCounterMode skips CPU SDPA unless MATH is forced)."""
    import torch
    from torch import nn
    flops = _tool('get_flops')
    attn = nn.MultiheadAttention(16, 2, batch_first=True).eval()
    x = torch.randn(1, 50, 16)
    macs = flops.count_macs(lambda: attn(x, x, x, need_weights=False))
    linear = 4 * 50 * 16 * 16  # q, k, v, out projections
    assert macs == linear + 2 * 50 * 50 * 16  # plus QK^T and AV
    q = torch.randn(1, 2, 50, 8)
    assert flops.count_macs(torch.nn.functional.scaled_dot_product_attention, q, q, q) == \
        2 * 2 * 50 * 50 * 8
    assert torch.backends.mha.get_fastpath_enabled()  # restored


def test_get_flops_cli_with_cfg_options_and_neck(tmp_path):
    out = tmp_path / 'flops.json'
    done = subprocess.run([
        sys.executable, 'tools/analysis_tools/get_flops.py',
        'configs/satracker/ablations/satracker_tab4-1-baseline.py', '--tiny', '--json',
        str(out), '--cfg-options', 'model.test_cfg.search_size=256',
        'model.head.bbox_head.feat_size=16'
    ],
                          cwd=REPO,
                          capture_output=True,
                          text=True,
                          timeout=600)
    assert done.returncode == 0, done.stderr[-3000:]
    result = json.loads(out.read_text())
    assert result['search_size'] == 256
    assert result['params']['neck'] > 0 and result['params']['bert'] == 0


def test_symmetric_has_no_cached_stream():
    flops = _tool('get_flops')
    result = flops.main(
        [osp.join(REPO, 'configs/satracker/ablations/'
                  'satracker_tab5-symmetrical.py'), '--tiny'])
    assert result['macs']['search_stream'] is None


@pytest.mark.parametrize('baseline', ['none', 'default'])
def test_benchmark_speed_tiny(tmp_path, baseline):
    bench = _tool('benchmark_speed')
    argv = [
        osp.join(REPO, BASE), '--tiny', '--frames', '3', '--warmup', '0', '--img-size', '120',
        '160', '--json',
        str(tmp_path / 'speed.json')
    ]
    if baseline == 'none':
        argv += ['--baseline', 'none']
    result = bench.main(argv)
    assert result['satracker_cached']['frames_timed'] == 2
    assert result['satracker_uncached']['median_ms'] > 0
    assert 'cached/uncached' in result['ratios']
    # cached and uncached trackers follow the same boxes
    a, b = result['satracker_cached']['last_box'], result['satracker_uncached']['last_box']
    assert max(abs(x - y) for x, y in zip(a, b)) < 1e-2
    if baseline == 'default':
        assert 'satracker/baseline' in result['ratios']
        assert result['baseline']['median_ms'] > 0
    assert json.loads((tmp_path / 'speed.json').read_text())['ratios'] == result['ratios']
