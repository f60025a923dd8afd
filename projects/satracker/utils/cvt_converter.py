# Copyright (c) SATracker authors. Licensed under the Apache License 2.0.
"""Convert CvT weights (official Microsoft checkpoint or HuggingFace ``CvtModel``) into the
parameter names of :class:`SynchronousLearningBackbone`'s CvT part."""
import os.path as osp
import re
from collections import OrderedDict
from typing import Dict, List, Optional, Tuple, Union

import torch
from mmengine.logging import print_log

from ..engine.checkpoint import load_state_dict

#: Suffixes of one CvT block (official names = SLB names below ``blocks.{j}.``).
_BLOCK_SUFFIXES = tuple([f'attn.conv_proj_{x}.conv.weight' for x in 'qkv'] + [
    f'attn.conv_proj_{x}.bn.{p}' for x in 'qkv'
    for p in ('weight', 'bias', 'running_mean', 'running_var', 'num_batches_tracked')
] + [f'attn.proj_{x}.{p}' for x in 'qkv' for p in ('weight', 'bias')] + [
    f'{m}.{p}' for m in ('attn.proj', 'mlp.fc1', 'mlp.fc2', 'norm1', 'norm2')
    for p in ('weight', 'bias')
])
_CTE_SUFFIXES = ('proj.weight', 'proj.bias', 'norm.weight', 'norm.bias')

# HF name (below ``layers.{j}.``) -> official / SLB name (below ``blocks.{j}.``)
_HF_BLOCK = [
    ('attention.attention.convolution_projection_{hf}.convolution_projection.convolution.',
     'attn.conv_proj_{o}.conv.'),
    ('attention.attention.convolution_projection_{hf}.convolution_projection.normalization.',
     'attn.conv_proj_{o}.bn.'),
    ('attention.attention.projection_{hf}.', 'attn.proj_{o}.'),
]
_HF_BLOCK_FIXED = [
    ('attention.output.dense.', 'attn.proj.'),
    ('intermediate.dense.', 'mlp.fc1.'),
    ('output.dense.', 'mlp.fc2.'),
    ('layernorm_before.', 'norm1.'),
    ('layernorm_after.', 'norm2.'),
]
_HF_QKV = (('query', 'q'), ('key', 'k'), ('value', 'v'))

_DROP_NOTE = {
    'cls_token': 'the SLB has no cls token',
    'head': 'ImageNet classifier, not used by the tracker',
    'norm': 'final norm of the classifier, not used by the tracker',
}


def load_state_dict_file(path: str) -> Dict[str, torch.Tensor]:
    """Read CvT weights with the project's one weights loader, naming the fix when absent.

    :func:`satracker.engine.checkpoint.load_state_dict` (weights-only, ``state_dict`` /
    ``model`` entries unwrapped, ``.safetensors`` with the ``safetensors`` package), with a
    message for a missing file that says how to get the weights.

    Args:
        path (str): ``.pth`` / ``.bin`` / ``.safetensors`` file.

    Returns:
        dict[str, Tensor]: The state dict.
    """
    if not osp.isfile(osp.expanduser(path)):
        raise FileNotFoundError(
            f'CvT weights file "{path}" does not exist. Weights are never downloaded: put '
            'the official CvT-21 ImageNet .pth or a HuggingFace CvtModel state dict there '
            '(optionally converted with tools/model_converters/cvt2slb.py), or set the '
            "backbone's init_cfg=None to start from random weights.")
    return load_state_dict(path)


def detect_cvt_source(state_dict: Dict[str, torch.Tensor]) -> str:
    """Guess the naming of a CvT state dict.

    Args:
        state_dict (dict): The weights.

    Returns:
        str: ``'official'``, ``'hf'`` or ``'slb'``.

    Raises:
        ValueError: When no key looks like CvT.
    """
    keys = [k[len('module.'):] if k.startswith('module.') else k for k in state_dict]
    if any('encoder.stages.' in k for k in keys):
        return 'hf'
    if any(re.match(r'stage\d+\.', k) for k in keys):
        return 'official'
    if any(re.match(r'stages\.\d+\.(cte|blocks)\.', k) for k in keys):
        return 'slb'
    raise ValueError('the state dict has neither official CvT keys (stage0.patch_embed...), '
                     'HuggingFace CvtModel keys (encoder.stages.0...) nor SLB keys '
                     f'(stages.0.cte...); first keys: {keys[:5]}')


def _hf_block_suffix(rest: str) -> Union[str, None]:
    """Map an HF key below ``layers.{j}.`` to the official/SLB suffix, or None."""
    for hf, official in _HF_BLOCK:
        for hq, oq in _HF_QKV:
            prefix = hf.format(hf=hq)
            if rest.startswith(prefix):
                return official.format(o=oq) + rest[len(prefix):]
    for hf, official in _HF_BLOCK_FIXED:
        if rest.startswith(hf):
            return official + rest[len(hf):]
    return None


#: Per source: the stage keys, and below a stage the embedding prefix and the block keys; the
#: classifier and its final norm (dropped).
_SOURCE_KEYS = dict(
    official=dict(
        stage=r'stage(\d+)\.(.*)$',
        embed='patch_embed.',
        block=r'blocks\.(\d+)\.(.*)$',
        head='head.',
        norm='norm.'),
    hf=dict(
        stage=r'encoder\.stages\.(\d+)\.(.*)$',
        embed='embedding.convolution_embeddings.',
        block=r'layers\.(\d+)\.(.*)$',
        head='classifier.',
        norm='layernorm.'))


def _convert_key(key: str, source: str) -> Tuple[Optional[str], Optional[str]]:
    """The SLB name of one CvT key.

    Returns:
        tuple: ``(name, None)``; ``(None, why)`` for a key that is dropped on purpose;
        ``(None, None)`` for a key that matches no rule.
    """
    names = _SOURCE_KEYS[source]
    k = key[len('module.'):] if key.startswith('module.') else key
    if source == 'hf' and k.startswith('cvt.'):  # CvtForImageClassification
        k = k[len('cvt.'):]
    m = re.match(names['stage'], k)
    if m is None:
        for part in ('head', 'norm'):
            if k.startswith(names[part]):
                return None, _DROP_NOTE[part]
        return None, None
    i, rest = m.groups()
    if rest == 'cls_token':
        return None, _DROP_NOTE['cls_token']
    if rest.startswith(names['embed']):
        sub = rest[len(names['embed']):]
        if source == 'hf':
            sub = sub.replace('projection.', 'proj.', 1).replace('normalization.', 'norm.', 1)
        return (f'stages.{i}.cte.{sub}' if sub in _CTE_SUFFIXES else None), None
    mb = re.match(names['block'], rest)
    if mb:
        suffix = mb.group(2) if source == 'official' else _hf_block_suffix(mb.group(2))
        if suffix in _BLOCK_SUFFIXES:
            return f'stages.{i}.blocks.{mb.group(1)}.{suffix}', None
    return None, None


def convert_cvt_state_dict(state_dict: Dict[str, torch.Tensor],
                           source: str = 'official',
                           return_report: bool = False,
                           strict: bool = False):
    """Convert CvT weights to the names of the SLB's CvT part.

    ``stage{i}.patch_embed.{proj,norm}.*`` (official) or
    ``encoder.stages.{i}.embedding.convolution_embeddings.{projection,normalization}.*`` (HF)
    become ``stages.{i}.cte.{proj,norm}.*``; ``stage{i}.blocks.{j}.*`` or
    ``encoder.stages.{i}.layers.{j}.*`` become ``stages.{i}.blocks.{j}.*`` with the official
    block names (``norm1``, ``attn.conv_proj_q.conv``, ``attn.conv_proj_q.bn``,
    ``attn.proj_q``, ``attn.proj``, ``norm2``, ``mlp.fc1``, ``mlp.fc2``). A ``module.`` prefix
    (and HF's ``cvt.`` of ``CvtForImageClassification``) is stripped.

    Dropped, with an info log: the cls token (the SLB has none), the classifier ``head`` /
    ``classifier`` and its final ``norm`` / ``layernorm``. Reported as a warning (never
    silently ignored): ``unexpected`` keys that match no rule, and ``missing`` keys, i.e.
    tensors absent from a stage embedding or block that the file otherwise contains.

    Args:
        state_dict (dict[str, Tensor]): The source weights.
        source (str): ``'official'`` or ``'hf'``.
        return_report (bool): Also return the report.
        strict (bool): Raise ``KeyError`` when anything is missing or unexpected.

    Returns:
        OrderedDict | tuple: The converted state dict; with ``return_report``,
        ``(state_dict, dict(missing=[...], unexpected=[...], dropped=[...]))``.
    """
    if source not in ('official', 'hf'):
        raise ValueError(f"source must be 'official' or 'hf', got {source!r}")
    out = OrderedDict()
    unexpected: List[str] = []
    dropped: List[Tuple[str, str]] = []
    for key, value in state_dict.items():
        new, why_dropped = _convert_key(key, source)
        if why_dropped is not None:
            dropped.append((key, why_dropped))
            continue
        if new is None:
            unexpected.append(key)
        else:
            out[new] = value

    # completeness of every stage embedding / block that the file contains
    groups = set()
    for k in out:
        m = re.match(r'(stages\.\d+\.(?:cte|blocks\.\d+))\.', k)
        groups.add(m.group(1))
    missing = []
    for g in sorted(groups):
        suffixes = _CTE_SUFFIXES if g.endswith('.cte') else _BLOCK_SUFFIXES
        missing += [f'{g}.{s}' for s in suffixes if f'{g}.{s}' not in out]

    if dropped:
        print_log(
            f'convert_cvt_state_dict: dropped {len(dropped)} keys: ' +
            ', '.join(f'{k} ({why})' for k, why in dropped),
            logger='current')
    if unexpected:
        print_log(
            f'convert_cvt_state_dict: {len(unexpected)} unexpected keys (no SLB name, not '
            f'converted): {unexpected}',
            logger='current',
            level=30)
    if missing:
        print_log(
            f'convert_cvt_state_dict: {len(missing)} missing keys: {missing}',
            logger='current',
            level=30)
    if strict and (missing or unexpected):
        raise KeyError(f'missing keys: {missing}; unexpected keys: {unexpected}')
    if return_report:
        return out, dict(missing=missing, unexpected=unexpected, dropped=[k for k, _ in dropped])
    return out
