# Copyright (c) SATracker authors. Licensed under the Apache License 2.0.
"""Model configs that build here without pretrained files: tiny ones for tests and quick tool
runs, full-size ones with random weights for counting and timing."""
import copy
import os.path as osp
from typing import Optional, Sequence

import torch
from mmengine.registry import init_default_scope
from mmtrack.registry import MODELS
from torch import nn

from ..utils.text_models import MINILM_PACKAGE
from .tiny_bert import TINY_BERT


def tiny_model_cfg(model_cfg: dict,
                   embed_dims: Sequence[int] = (16, 24, 32),
                   depths: Sequence[int] = (1, 1, 2),
                   num_heads: Sequence[int] = (1, 1, 2),
                   bert_config: dict = TINY_BERT) -> dict:
    """A copy of a SATracker model config with tiny sizes, keeping every switch.

    The backbone gets ``embed_dims`` / ``depths`` / ``num_heads`` and a random
    tiny BERT (``pretrained=None``, ``bert_config``, ``layer_split`` one layer
    per stage), with no pretrained ``init_cfg``; the neck (if any) and the head
    are resized to match. The ablation switches (``attn_mode``, ``sam_stages``,
    ``sam_order``, ``fusion``, ``text_update``, text ``mode``, DM loss on/off)
    are kept.

    Args:
        model_cfg (dict): The ``model`` dict of a config.
        embed_dims (Sequence[int]): Per-stage widths.
        depths (Sequence[int]): Per-stage TEM blocks.
        num_heads (Sequence[int]): Per-stage heads.
        bert_config (dict): ``BertConfig`` keyword arguments of the tiny BERT.

    Returns:
        dict: The tiny model config.
    """
    cfg = copy.deepcopy(model_cfg)
    c3 = int(embed_dims[-1])
    backbone = cfg['backbone']
    backbone.update(
        embed_dims=tuple(embed_dims),
        depths=tuple(depths),
        num_heads=tuple(num_heads),
        init_cfg=None)
    text = backbone.get('text_encoder', None)
    if text is not None:
        stages = len(embed_dims)
        text.update(pretrained=None, bert_config=dict(bert_config))
        layers = int(bert_config['num_hidden_layers'])
        text['layer_split'] = tuple([1] * (stages - 1) + [layers - stages + 1])
    head_in = c3
    if cfg.get('neck', None) is not None:
        cfg['neck'].update(
            in_channels=c3, embed_dims=16, num_heads=2, feedforward_channels=32, num_layers=1)
        head_in = 16
    head = cfg['head']
    head['bbox_head'].update(inplanes=head_in, channel=16)
    head['text_dims'] = int(bert_config['hidden_size'])
    if head.get('loss_dm', 'default') is not None:
        head['dm_channels'] = c3
    return cfg


def offline_model_cfg(model_cfg: dict) -> dict:
    """A copy of a model config that can be built here without pretrained files.

    A text encoder whose ``pretrained`` directory does not exist gets
    ``pretrained=None`` (a random BERT with bert-base sizes unless
    ``bert_config`` says otherwise): parameter counts and FLOPs are the same.
    The backbone's pretrained ``init_cfg`` is dropped (``init_weights`` is not
    needed to count or time).

    Args:
        model_cfg (dict): The ``model`` dict of a config.

    Returns:
        dict: The buildable config.
    """
    cfg = copy.deepcopy(model_cfg)
    backbone = cfg.get('backbone', {})
    text = backbone.get('text_encoder', None)
    if text is not None:
        path = text.get('pretrained', None)
        if path is not None and path != MINILM_PACKAGE and not osp.isdir(path):
            text['pretrained'] = None
    backbone['init_cfg'] = None
    return cfg


def build_offline_model(model_cfg, tiny: bool = False, seed: Optional[int] = 0) -> nn.Module:
    """Build a config's model here, with random weights and no pretrained file.

    The one builder of the analysis tools (``get_flops.py``, ``benchmark_speed.py``,
    ``bf16_check.py``) and of the tests' tiny trackers. ``init_weights()`` is not called.

    Args:
        model_cfg (dict | ConfigDict): The ``model`` of a config (not changed).
        tiny (bool): Shrink it with :func:`tiny_model_cfg`; else only make it buildable
            with :func:`offline_model_cfg` (the paper's sizes). Defaults to False.
        seed (int, optional): ``torch.manual_seed`` before building, so the random weights
            are the same from run to run. Defaults to 0; None leaves the generator alone.

    Returns:
        nn.Module: The model, on CPU, in training mode (as ``MODELS.build`` gives it).
    """
    init_default_scope('mmtrack')
    model_cfg = model_cfg.to_dict() if hasattr(model_cfg, 'to_dict') else dict(model_cfg)
    model_cfg = tiny_model_cfg(model_cfg) if tiny else offline_model_cfg(model_cfg)
    if seed is not None:
        torch.manual_seed(seed)
    return MODELS.build(model_cfg)
