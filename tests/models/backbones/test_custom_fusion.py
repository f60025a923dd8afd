# Copyright (c) SATracker authors. Licensed under the Apache License 2.0.
"""A researcher's own fusion block, defined outside the package, swapped in by config."""
import os.path as osp
import textwrap

import torch
from mmengine.config import Config
from mmengine.registry import init_default_scope

from satracker.testing import random_train_batch, tiny_model_cfg

REPO = osp.dirname(osp.dirname(osp.dirname(osp.dirname(osp.abspath(__file__)))))

USER_MODULE = '''
import torch
import torch.nn as nn
from mmengine.model import BaseModule
from mmtrack.registry import MODELS


@MODELS.register_module()
class GatedSentenceFusion(BaseModule):
    """A user's idea: a gate computed from the mean sentence vector scales the search map."""

    def __init__(self, embed_dims, text_dims, num_heads=1, hidden=8, init_cfg=None):
        super().__init__(init_cfg=init_cfg)
        self.gate = nn.Sequential(
            nn.Linear(text_dims, hidden), nn.ReLU(), nn.Linear(hidden, embed_dims))

    def _state(self, text, text_mask):
        m = text_mask[..., None].to(text.dtype)
        return torch.sigmoid(self.gate((text * m).sum(1) / m.sum(1).clamp(min=1)))

    def forward(self, template, search, text, text_mask):
        return template, self.forward_search(search, self._state(text, text_mask)), text

    def forward_template(self, template, text, text_mask):
        return template, text, self._state(text, text_mask)

    def forward_search(self, search, state):
        return search * state[:, :, None, None]
'''


def test_user_fusion_from_outside_the_package_trains_a_step(tmp_path, monkeypatch):
    (tmp_path / 'my_user_fusion.py').write_text(USER_MODULE)
    monkeypatch.syspath_prepend(str(tmp_path))
    config = tmp_path / 'satracker_my-fusion.py'
    config.write_text(
        textwrap.dedent(f'''\
        _base_ = ['{osp.join(REPO, 'configs', 'satracker_tnl2k.py')}']
        custom_imports = dict(
            imports=['satracker', 'my_user_fusion'], allow_failed_imports=False)
        model = dict(backbone=dict(
            fusion=dict(_delete_=True, type='GatedSentenceFusion', hidden=8)))
        '''))
    cfg = Config.fromfile(str(config))  # imports custom_imports, as the tools do
    # everything else is the paper's config
    assert cfg.model.backbone.fusion == dict(type='GatedSentenceFusion', hidden=8)
    assert cfg.model.backbone.sam_stages == (0, 1, 2)
    assert cfg.optim_wrapper.optimizer.type == 'AdamW'

    from mmtrack.registry import MODELS
    init_default_scope('mmtrack')
    torch.manual_seed(0)
    model = MODELS.build(tiny_model_cfg(cfg.model.to_dict()))
    fusions = [type(stage.fusion).__name__ for stage in model.backbone.stages]
    assert fusions == ['GatedSentenceFusion'] * 3
    assert not any(type(m).__name__ == 'SemanticAwareModule' for m in model.modules())

    # one training step (the paper's optimiser settings)
    model.train()
    gate = model.backbone.stages[1].fusion.gate[0].weight
    before = gate.detach().clone()
    optimizer = torch.optim.AdamW(model.parameters(), lr=1e-3, weight_decay=1e-4)
    inputs, samples = random_train_batch(model)
    losses = model(inputs, samples, mode='loss')
    loss = sum(losses.values())
    assert torch.isfinite(loss)
    loss.backward()
    assert gate.grad is not None and gate.grad.abs().sum() > 0
    optimizer.step()
    assert not torch.equal(before, gate.detach())

    # and it tracks with the template/text cache like the SAM
    model.eval()
    bb = model.backbone
    with torch.no_grad():
        full = bb(inputs['img'][:, 0], inputs['search_img'][:, 0], inputs['text_ids'],
                  inputs['text_mask'])
        cached = bb.forward_search(
            inputs['search_img'][:, 0],
            bb.forward_template(inputs['img'][:, 0], inputs['text_ids'], inputs['text_mask']))
    torch.testing.assert_close(cached['search_feat'], full['search_feat'], atol=1e-5, rtol=0)
