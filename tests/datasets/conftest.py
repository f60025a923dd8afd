# Copyright (c) SATracker authors. Licensed under the Apache License 2.0.
"""Fixtures of the dataset tests (trees built by ``vl_data_fixtures``)."""
import os.path as osp
import random

import numpy as np
import pytest
from vl_data_fixtures import make_lasot_tree, make_otb99_tree, make_tnl2k_tree


@pytest.fixture
def tnl2k_tree(tmp_path):
    root = str(tmp_path / 'TNL2K')
    expect = make_tnl2k_tree(root)
    expect['root'] = root
    return expect


@pytest.fixture
def otb99_tree(tmp_path):
    root = str(tmp_path / 'OTB99-Lang')
    make_otb99_tree(root)
    return root


@pytest.fixture
def lasot_tree(tmp_path):
    root = str(tmp_path / 'LaSOT')
    make_lasot_tree(root)
    return root


@pytest.fixture
def seeded():
    random.seed(0)
    np.random.seed(0)


@pytest.fixture(scope='session')
def vl_configs():
    """The dataset base configs, loaded once, with the tokenizer filled in as the tools do
    (no model here: bert-base-uncased's vocabulary, shipped offline)."""
    from mmengine.config import Config

    from satracker.utils import resolve_tokenizer_paths
    here = osp.dirname(osp.dirname(osp.dirname(osp.abspath(__file__))))
    base = osp.join(here, 'configs', '_base_', 'datasets')
    configs = {
        name: Config.fromfile(osp.join(base, f'{name}.py'))
        for name in ('vl_sot_train', 'tnl2k', 'otb99_lang', 'lasot_lang', 'stark_phase1_vl',
                     'synthetic_vl')
    }
    for cfg in configs.values():
        resolve_tokenizer_paths(cfg)
    return configs


@pytest.fixture(scope='session', autouse=True)
def _mmtrack_scope():
    from mmtrack.utils import register_all_modules

    import satracker  # noqa: F401
    register_all_modules(init_default_scope=True)
