# Copyright (c) SATracker authors. Licensed under the Apache License 2.0.
import os
import os.path as osp

import pytest

os.environ.setdefault('HF_HUB_OFFLINE', '1')
os.environ.setdefault('TRANSFORMERS_OFFLINE', '1')

REPO_ROOT = osp.dirname(osp.dirname(osp.abspath(__file__)))


@pytest.fixture
def repo_root():
    """The repository root (tools/ and configs/ live there)."""
    return REPO_ROOT
