# Copyright (c) SATracker authors. Licensed under the Apache License 2.0.
"""Turn a training checkpoint into a shareable, weights-only one (DESIGN §2).

The output holds ``state_dict`` plus plain ``meta`` (strings and numbers) and nothing else,
so others can load it with ``torch.load(..., weights_only=True)``. Its name gets the first 8
hex digits of its SHA-256, as OpenMMLab's published checkpoints do.

A training checkpoint holds pickled Python objects (message hub, numpy arrays): reading it
needs ``--trust-checkpoint`` unless it is already weights-only.

Example:
    python tools/misc/publish_model.py work_dirs/run/epoch_200.pth satracker_tnl2k.pth \
        --trust-checkpoint
"""
import argparse
import hashlib
import numbers
import os
import os.path as osp

import torch

from satracker.engine.checkpoint import load_local_checkpoint, trust_checkpoints


def plain_meta(meta) -> dict:
    """Keep the entries of ``meta`` that are strings, numbers or bools (recursively for dicts)."""
    out = {}
    for key, value in (meta or {}).items():
        if isinstance(value, str):
            out[str(key)] = value
        elif isinstance(value, numbers.Number):  # numpy scalars become Python numbers
            out[str(key)] = value.item() if hasattr(value, 'item') else value
        elif isinstance(value, dict):
            out[str(key)] = plain_meta(value)
    return out


def publish(in_file: str, out_file: str) -> str:
    """Write the weights-only checkpoint and return its final (hash-suffixed) path."""
    checkpoint = load_local_checkpoint(in_file, map_location='cpu')
    state_dict = checkpoint.get('state_dict', checkpoint)
    state_dict = {k: v.detach().clone() for k, v in state_dict.items() if torch.is_tensor(v)}
    published = dict(state_dict=state_dict, meta=plain_meta(checkpoint.get('meta')))
    out_dir = osp.dirname(osp.abspath(out_file))
    os.makedirs(out_dir, exist_ok=True)
    torch.save(published, out_file)
    with open(out_file, 'rb') as f:
        sha = hashlib.sha256(f.read()).hexdigest()[:8]
    stem = out_file[:-4] if out_file.endswith('.pth') else out_file
    final_file = f'{stem}-{sha}.pth'
    os.replace(out_file, final_file)
    return final_file


def parse_args(argv=None):
    parser = argparse.ArgumentParser(description='Publish a weights-only checkpoint')
    parser.add_argument('in_file', help='input checkpoint filename')
    parser.add_argument('out_file', help='output checkpoint filename (.pth)')
    parser.add_argument('--trust-checkpoint', action='store_true',
                        help='allow unpickling the training checkpoint in full (only for files '
                        'you trust)')
    return parser.parse_args(argv)


def main(argv=None):
    args = parse_args(argv)
    trust_checkpoints(trust_all=args.trust_checkpoint)
    final_file = publish(args.in_file, args.out_file)
    print(f'Published {final_file} (weights-only: torch.load(..., weights_only=True) works)')


if __name__ == '__main__':
    main()
