# Copyright (c) SATracker authors. Licensed under the Apache License 2.0.
"""Parameters and multiply-accumulates (MACs) of a SATracker config.

Counts, at the configured input sizes (template 128, search 320, 30 tokens for the paper):

* parameters: total and per part (CvT part of the backbone = embeddings, TEM blocks and
  norms; BERT part = the staged text encoder; SAMs = the fusion modules (SAM or ModaMixer);
  neck; head incl. the dense-matching projection), and the total without BERT's word
  embeddings (which the paper's 131.3 M seems to leave out);
* MACs of the full forward (template + search + text, what training runs), of the
  template/text-only work that ``init()`` caches, and of the cached per-frame search stream
  (what ``track()`` runs). ``torch.utils.flop_counter.FlopCounterMode`` counts FLOPs = 2 x MACs;
  we report MACs (the field's "FLOPs"). On CPU it skips ``scaled_dot_product_attention``
  unless the MATH backend is forced, and it cannot see ``nn.MultiheadAttention``'s fused
  inference fast path: this tool forces MATH and switches the fast path off while counting.

The model has random weights (pretrained files are not needed to count): a text encoder whose
local directory is missing is built with bert-base sizes.

Examples:
    python tools/analysis_tools/get_flops.py configs/_base_/models/satracker.py
    python tools/analysis_tools/get_flops.py configs/satracker/ablations/satracker_tab5-async.py
    python tools/analysis_tools/get_flops.py CONFIG --tiny --json out.json
"""
import argparse
import sys
from collections import OrderedDict

import torch

from satracker.cli import add_model_tool_args, read_config, save_json
from satracker.testing import build_offline_model

PAPER_PARAMS_M = 131.3
PAPER_GMACS = 28.8


def parse_args(argv=None):
    parser = argparse.ArgumentParser(description='SATracker parameters and MACs')
    add_model_tool_args(parser)  # config, --tiny, --text-len, --cfg-options, --json
    parser.add_argument(
        '--template-size',
        type=int,
        default=None,
        help='template side (default: model.test_cfg.template_size)')
    parser.add_argument(
        '--search-size',
        type=int,
        default=None,
        help='search side (default: model.test_cfg.search_size)')
    return parser.parse_args(argv)


def _class_names(module) -> set:
    return {c.__name__ for c in type(module).__mro__}


def count_params(model) -> 'OrderedDict[str, int]':
    """Parameters per part: cvt, bert, sam, neck, head, other; plus word embeddings."""
    bert_names = {'StagedBertEncoder'}
    fusion_names = {'SemanticAwareModule', 'ModaMixer'}
    owner = {}
    for name, module in model.named_modules():
        kinds = _class_names(module)
        if kinds & bert_names:
            part = 'bert'
        elif kinds & fusion_names:
            part = 'sam'
        else:
            continue
        for pname, _ in module.named_parameters(prefix=name):
            owner.setdefault(pname, part)
    parts = OrderedDict((k, 0) for k in ('cvt', 'bert', 'sam', 'neck', 'head', 'other'))
    word = 0
    seen = set()
    for name, p in model.named_parameters():
        if id(p) in seen:
            continue
        seen.add(id(p))
        if name in owner:
            part = owner[name]
        elif name.startswith('backbone.'):
            part = 'cvt'
        elif name.startswith('neck.'):
            part = 'neck'
        elif name.startswith('head.'):
            part = 'head'
        else:
            part = 'other'
        parts[part] += p.numel()
        if 'word_embeddings' in name:
            word += p.numel()
    parts['total'] = sum(v for k, v in parts.items())
    parts['word_embeddings'] = word
    parts['total_without_word_embeddings'] = parts['total'] - word
    return parts


def count_macs(fn, *args) -> int:
    """Multiply-accumulates of ``fn(*args)`` (FlopCounterMode FLOPs / 2).

    Attention is counted: the MATH SDPA backend is forced (FlopCounterMode skips the fused
    CPU kernels) and ``nn.MultiheadAttention``'s inference fast path (a fused op the counter
    does not know) is switched off while counting.
    """
    from torch.nn.attention import SDPBackend, sdpa_kernel
    from torch.utils.flop_counter import FlopCounterMode
    counter = FlopCounterMode(display=False)
    fastpath = torch.backends.mha.get_fastpath_enabled()
    torch.backends.mha.set_fastpath_enabled(False)
    try:
        with torch.no_grad(), sdpa_kernel(SDPBackend.MATH), counter:
            fn(*args)
    finally:
        torch.backends.mha.set_fastpath_enabled(fastpath)
    return counter.get_total_flops() // 2


def measure(model, template_size: int, search_size: int, text_len: int) -> dict:
    """Parameter and MAC counts of a SATracker model.

    Returns:
        dict: ``params`` (per part), ``macs`` (``full``, ``template_text``,
        ``search_stream`` or None when the backbone cannot cache), sizes.
    """
    torch.manual_seed(0)
    template = torch.randn(1, 3, template_size, template_size)
    search = torch.randn(1, 3, search_size, search_size)
    text_ids = torch.randint(1000, 2000, (1, text_len))
    text_mask = torch.ones(1, text_len, dtype=torch.long)

    def head_of(feats):
        return model.head(model._head_input(feats))

    def full():
        return head_of(model.backbone(template, search, text_ids, text_mask))

    macs = OrderedDict(full=count_macs(full))
    if getattr(model.backbone, 'supports_cache', False):
        macs['template_text'] = count_macs(model.backbone.forward_template, template, text_ids,
                                           text_mask)
        with torch.no_grad():
            cache = model.backbone.forward_template(template, text_ids, text_mask)
        macs['search_stream'] = count_macs(
            lambda: head_of(model.backbone.forward_search(search, cache)))
    else:
        macs['template_text'] = None
        macs['search_stream'] = None
    return dict(
        params=count_params(model),
        macs=macs,
        template_size=template_size,
        search_size=search_size,
        text_len=text_len)


def report(result: dict, out=sys.stdout) -> None:
    """Print the counts as a small table, with the paper's numbers for scale."""
    p, m = result['params'], result['macs']
    zs, xs = result['template_size'], result['search_size']
    print(f"inputs: template {zs}x{zs}, search {xs}x{xs}, {result['text_len']} tokens", file=out)
    print('parameters (M):', file=out)
    labels = dict(
        cvt='CvT part (CTE + TEM + norms)',
        bert='BERT part (staged text encoder)',
        sam='SAMs (fusion modules)',
        neck='neck',
        head='head (corner + DM proj.)',
        other='other',
        total='total',
        word_embeddings='  of which word embeddings',
        total_without_word_embeddings='total without word embeddings')
    for key, label in labels.items():
        if key in ('neck', 'other') and not p[key]:
            continue
        print(f'  {label:<34s} {p[key] / 1e6:9.2f}', file=out)
    dev_total = 100 * (p['total'] / 1e6 / PAPER_PARAMS_M - 1)
    dev_no_words = 100 * (p['total_without_word_embeddings'] / 1e6 / PAPER_PARAMS_M - 1)
    print(
        f'  paper: {PAPER_PARAMS_M} M -> total {dev_total:+.1f}%, without word embeddings '
        f'{dev_no_words:+.1f}%',
        file=out)
    print('multiply-accumulates (G):', file=out)
    print(f"  full forward (template + search + text) {m['full'] / 1e9:9.2f}", file=out)
    if m['search_stream'] is not None:
        print(
            f"  template + text only (init, cached)     {m['template_text'] / 1e9:9.2f}", file=out)
        print(
            f"  cached search stream (per frame)        {m['search_stream'] / 1e9:9.2f}", file=out)
        bound = m['full'] - m['template_text']
        print(
            f'  full - template/text work               {bound / 1e9:9.2f}  '
            f"(search stream {'<=' if m['search_stream'] <= bound else '>'} this)",
            file=out)
    else:
        print('  no cache (symmetric attention): every frame runs the full forward', file=out)
    print(
        f"  paper: {PAPER_GMACS} G -> full {100 * (m['full'] / 1e9 / PAPER_GMACS - 1):+.1f}%",
        file=out)


def main(argv=None):
    args = parse_args(argv)
    cfg = read_config(args.config, args.cfg_options)
    test_cfg = cfg.model.get('test_cfg', None) or {}
    template_size = args.template_size or int(test_cfg.get('template_size', 128))
    search_size = args.search_size or int(test_cfg.get('search_size', 320))
    model = build_offline_model(cfg.model, tiny=args.tiny).eval()
    result = measure(model, template_size, search_size, args.text_len)
    report(result)
    save_json(result, args.json)
    return result


if __name__ == '__main__':
    main()
