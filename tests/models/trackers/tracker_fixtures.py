# Copyright (c) SATracker authors. Licensed under the Apache License 2.0.
"""The tiny SATracker the tracker tests share."""
import os.path as osp

import torch
from mmengine.config import Config
from mmengine.registry import init_default_scope
from mmtrack.registry import MODELS

import satracker  # noqa: F401  (registration)
from satracker.apis import tiny_model_cfg

REPO = osp.dirname(osp.dirname(osp.dirname(osp.dirname(osp.abspath(__file__)))))
BASE = osp.join(REPO, 'configs/_base_/models/satracker.py')


def build_tiny_tracker(config=BASE, **test_cfg):
    """A tiny SATracker of ``config`` (every switch kept), seeded and initialised, in train
    mode; ``test_cfg`` entries override the config's."""
    init_default_scope('mmtrack')
    cfg = tiny_model_cfg(Config.fromfile(config).model.to_dict())
    cfg['test_cfg'].update(test_cfg)
    torch.manual_seed(0)
    model = MODELS.build(cfg)
    model.init_weights()
    return model
