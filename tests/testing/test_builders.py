# Copyright (c) SATracker authors. Licensed under the Apache License 2.0.
"""satracker.testing: the one offline model builder, the synthetic video, and the old import
paths (satracker.apis.tiny*, satracker.utils.tool_utils) that still work with a warning."""
import importlib
import os.path as osp
import sys

import numpy as np
import pytest
import torch
from mmengine.config import Config

import satracker.testing as testing
from satracker.utils import MINILM_PACKAGE

REPO = osp.dirname(osp.dirname(osp.dirname(osp.abspath(__file__))))
BASE = osp.join(REPO, 'configs/_base_/models/satracker.py')


def test_offline_builder_is_seeded_tiny_and_leaves_the_config_alone():
    model_cfg = Config.fromfile(BASE).model
    before = model_cfg.to_dict()
    a = testing.build_offline_model(model_cfg, tiny=True)
    b = testing.build_offline_model(model_cfg, tiny=True)
    assert model_cfg.to_dict() == before
    assert a.backbone.text_encoder.hidden_size == testing.TINY_BERT['hidden_size']
    pa, pb = dict(a.named_parameters()), dict(b.named_parameters())
    assert pa.keys() == pb.keys() and all(torch.equal(pa[k], pb[k]) for k in pa)
    c = testing.build_offline_model(model_cfg, tiny=True, seed=1)
    assert not all(torch.equal(p, q) for p, q in zip(a.parameters(), c.parameters()))


def test_offline_cfg_keeps_the_minilm_package_and_drops_missing_directories(tmp_path):
    cfg = dict(
        backbone=dict(
            text_encoder=dict(pretrained=MINILM_PACKAGE),
            init_cfg=dict(type='Pretrained', checkpoint='x.pth')))
    assert testing.offline_model_cfg(cfg)['backbone']['text_encoder']['pretrained'] == \
        MINILM_PACKAGE
    cfg['backbone']['text_encoder']['pretrained'] = str(tmp_path / 'missing')
    out = testing.offline_model_cfg(cfg)
    assert out['backbone']['text_encoder']['pretrained'] is None
    assert out['backbone']['init_cfg'] is None and cfg['backbone']['init_cfg'] is not None


def test_synthetic_video_moves_the_square_from_its_first_box():
    frames, box = testing.synthetic_video(4, 60, 80)
    assert frames.shape == (4, 3, 60, 80) and frames.dtype == np.uint8
    x1, y1, x2, y2 = box.astype(int)
    assert (frames[0, :, y1:y2, x1:x2] == np.array([40, 60, 230])[:, None, None]).all()
    assert not (frames[-1, :, y1:y2, x1:x2] == np.array([40, 60, 230])[:, None, None]).all()


@pytest.mark.parametrize('name', ['tiny_model_cfg', 'offline_model_cfg', 'TINY_BERT'])
def test_old_apis_names_warn_and_are_the_testing_ones(name):
    import satracker.apis as apis
    with pytest.warns(FutureWarning, match='satracker.testing'):
        assert getattr(apis, name) is getattr(testing, name)
    with pytest.raises(AttributeError):
        apis.not_a_name


@pytest.mark.parametrize('old,new', [('satracker.apis.tiny', 'satracker.testing'),
                                     ('satracker.utils.tool_utils', 'satracker.cli')])
def test_old_modules_warn_and_re_export(old, new, monkeypatch):
    monkeypatch.delitem(sys.modules, old, raising=False)
    with pytest.warns(FutureWarning, match=new):
        module = importlib.import_module(old)
    new_module = importlib.import_module(new)
    assert module.__all__ and all(
        getattr(module, n) is getattr(new_module, n) for n in module.__all__)
