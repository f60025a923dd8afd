# Copyright (c) SATracker authors. Licensed under the Apache License 2.0.
"""Turn a training checkpoint into a shareable, weights-only one (docs/checkpoints.md).

The output holds ``state_dict`` plus plain ``meta`` (strings and numbers) and nothing else,
so others can load it with ``torch.load(..., weights_only=True)``. Its name gets the first 8
hex digits of its SHA-256, as OpenMMLab's published checkpoints do, unless ``--no-hash`` asks
for exactly the given name (e.g. the ``load_from`` path of the next phase's config). The input
may be a run's work dir: its ``last_checkpoint`` is published.

A training checkpoint holds pickled Python objects (message hub, numpy arrays): reading it
needs ``--trust-checkpoint`` unless it is already weights-only.

Examples:
    python tools/misc/publish_model.py work_dirs/run/epoch_200.pth satracker_tnl2k.pth \
        --trust-checkpoint
    python tools/misc/publish_model.py work_dirs/run data/pretrained/satracker_phase1.pth \
        --trust-checkpoint --no-hash
"""
import argparse
import hashlib
import numbers
import os
import os.path as osp

import torch

from satracker.engine.checkpoint import (UntrustedCheckpointError, load_local_checkpoint,
                                         trust_checkpoints)


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


class PublishError(ValueError):
    """An input that cannot be published (printed without a traceback by the CLI)."""


def resolve_input(in_file: str) -> str:
    """A checkpoint file, or the checkpoint a work dir's ``last_checkpoint`` names."""
    if osp.isdir(in_file):
        marker = osp.join(in_file, 'last_checkpoint')
        if not osp.isfile(marker):
            raise PublishError(f'{in_file} is a folder without a last_checkpoint file: give '
                               'the checkpoint file itself (e.g. epoch_N.pth)')
        with open(marker) as f:
            name = f.read().strip()
        # last_checkpoint holds the path as the run saw it; fall back to the same name here
        candidates = [name, osp.join(in_file, osp.basename(name))]
        for candidate in candidates:
            if osp.isfile(candidate):
                return candidate
        raise PublishError(f'{marker} names "{name}", which does not exist')
    if not osp.isfile(in_file):
        raise PublishError(f'checkpoint "{in_file}" does not exist')
    return in_file


def publish(in_file: str, out_file: str, add_hash: bool = True) -> str:
    """Write the weights-only checkpoint and return its final path (hash-suffixed unless
    ``add_hash`` is False)."""
    in_file = resolve_input(in_file)
    checkpoint = load_local_checkpoint(in_file, map_location='cpu')
    state_dict = checkpoint.get('state_dict', checkpoint)
    state_dict = {k: v.detach().clone() for k, v in state_dict.items() if torch.is_tensor(v)}
    published = dict(state_dict=state_dict, meta=plain_meta(checkpoint.get('meta')))
    out_dir = osp.dirname(osp.abspath(out_file))
    os.makedirs(out_dir, exist_ok=True)
    torch.save(published, out_file)
    if not add_hash:
        return out_file
    with open(out_file, 'rb') as f:
        sha = hashlib.sha256(f.read()).hexdigest()[:8]
    stem = out_file[:-4] if out_file.endswith('.pth') else out_file
    final_file = f'{stem}-{sha}.pth'
    os.replace(out_file, final_file)
    return final_file


def parse_args(argv=None):
    parser = argparse.ArgumentParser(description='Publish a weights-only checkpoint')
    parser.add_argument('in_file', help="input checkpoint, or a work dir (its last_checkpoint)")
    parser.add_argument('out_file', help='output checkpoint filename (.pth)')
    parser.add_argument(
        '--trust-checkpoint',
        action='store_true',
        help='allow unpickling the training checkpoint in full (only for files '
        'you trust)')
    parser.add_argument(
        '--no-hash',
        action='store_true',
        help='write exactly OUT_FILE (no "-<sha256[:8]>" suffix), e.g. the '
        "load_from path of the next phase's config")
    return parser.parse_args(argv)


def main(argv=None):
    args = parse_args(argv)
    trust_checkpoints(trust_all=args.trust_checkpoint)
    try:
        final_file = publish(args.in_file, args.out_file, add_hash=not args.no_hash)
    except (PublishError, UntrustedCheckpointError) as e:
        raise SystemExit(f'publish_model.py: {e}')
    print(f'Published {final_file} (weights-only: torch.load(..., weights_only=True) works)')


if __name__ == '__main__':
    main()
