# Copyright (c) SATracker authors. Licensed under the Apache License 2.0.
"""Checkpoints written before a redesign still load and give the same outputs.

``tests/data/tiny_satracker_pre_redesign.pth`` was saved by main (its commit is in
``meta.commit``) before the backbone's stage loop became ``SLBStage`` modules: a tiny SATracker's
weights, its model config, fixed inputs and the backbone's outputs on them.
"""
import json
import os.path as osp

import torch
from mmengine.registry import init_default_scope

import satracker  # noqa: F401  (registration)

FIXTURE = osp.join(
    osp.dirname(osp.dirname(osp.abspath(__file__))), 'data', 'tiny_satracker_pre_redesign.pth')


def test_pre_redesign_checkpoint_loads_strictly_and_gives_the_same_outputs():
    from mmtrack.registry import MODELS
    saved = torch.load(FIXTURE, weights_only=True)
    init_default_scope('mmtrack')
    model = MODELS.build(json.loads(saved['meta']['model_cfg'])).eval()
    model.load_state_dict(saved['state_dict'], strict=True)  # same parameter names
    inputs = saved['inputs']
    with torch.no_grad():
        out = model.backbone(inputs['template'], inputs['search'], inputs['text_ids'],
                             inputs['text_mask'])
        cached = model.backbone.forward_search(
            inputs['search'],
            model.backbone.forward_template(inputs['template'], inputs['text_ids'],
                                            inputs['text_mask']))
    for key, ref in saved['outputs'].items():
        torch.testing.assert_close(out[key], ref, atol=1e-6, rtol=0)
    torch.testing.assert_close(
        cached['search_feat'], saved['outputs']['search_feat'], atol=1e-5, rtol=0)
