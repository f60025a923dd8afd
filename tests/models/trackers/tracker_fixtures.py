# Copyright (c) SATracker authors. Licensed under the Apache License 2.0.
"""The tiny SATracker the tracker tests share."""
import os.path as osp

from mmengine.config import Config

from satracker.testing import build_offline_model

REPO = osp.dirname(osp.dirname(osp.dirname(osp.dirname(osp.abspath(__file__)))))
BASE = osp.join(REPO, 'configs/_base_/models/satracker.py')


def build_tiny_tracker(config=BASE, **test_cfg):
    """A tiny SATracker of ``config`` (every switch kept), seeded and initialised, in train
    mode; ``test_cfg`` entries override the config's."""
    model_cfg = Config.fromfile(config).model
    model_cfg.test_cfg.update(test_cfg)
    model = build_offline_model(model_cfg, tiny=True, seed=0)
    model.init_weights()
    return model
