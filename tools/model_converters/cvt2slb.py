# Copyright (c) SATracker authors. Licensed under the Apache License 2.0.
"""Convert CvT weights into the parameter names of the SLB's CvT part.

Examples:
    python tools/model_converters/cvt2slb.py CvT-21-224x224-IN-1k.pth cvt21_slb.pth
    python tools/model_converters/cvt2slb.py hf_cvt21/pytorch_model.bin cvt21_slb.pth --source hf

The output is a plain state dict (``stages.{i}.cte.*``, ``stages.{i}.blocks.{j}.*``) that
``SynchronousLearningBackbone(init_cfg=dict(type='Pretrained', checkpoint=DST))`` loads
(the backbone also accepts the unconverted files directly). Dropped, missing and unexpected
keys are printed.
"""
import argparse
import os
import os.path as osp
import sys

import torch

from satracker.utils.cvt_converter import (convert_cvt_state_dict, detect_cvt_source,
                                           load_state_dict_file)


def parse_args():
    parser = argparse.ArgumentParser(
        description='Convert official / HuggingFace CvT weights to SLB names')
    parser.add_argument('src', help='source weights (.pth / .bin / .safetensors)')
    parser.add_argument('dst', help='output state dict (.pth)')
    parser.add_argument(
        '--source',
        choices=['auto', 'official', 'hf'],
        default='auto',
        help='naming of the source weights (default: detected from the keys)')
    parser.add_argument(
        '--strict', action='store_true', help='fail when any key is missing or unexpected')
    return parser.parse_args()


def main():
    args = parse_args()
    state = load_state_dict_file(args.src)
    source = detect_cvt_source(state) if args.source == 'auto' else args.source
    if source == 'slb':
        print(f'{args.src} already has SLB names; nothing to convert.')
        return 1
    converted, report = convert_cvt_state_dict(
        state, source=source, return_report=True, strict=False)
    print(f'source format: {source}; {len(state)} keys in, {len(converted)} keys out')
    for name in ('dropped', 'missing', 'unexpected'):
        keys = report[name]
        print(f'{name}: {len(keys)}' + (''.join(f'\n  {k}' for k in keys) if keys else ''))
    if args.strict and (report['missing'] or report['unexpected']):
        print('--strict: refusing to write an incomplete conversion', file=sys.stderr)
        return 2
    out_dir = osp.dirname(osp.abspath(args.dst))
    os.makedirs(out_dir, exist_ok=True)
    torch.save(converted, args.dst)
    print(f'saved {args.dst}')
    return 0


if __name__ == '__main__':
    sys.exit(main())
