# Copyright (c) SATracker authors. Licensed under the Apache License 2.0.
"""The pipelines' tokenizer follows the model's text encoder."""
import os.path as osp

from mmengine.config import Config

from satracker.utils import MINILM_PACKAGE, resolve_tokenizer_paths

REPO = osp.dirname(osp.dirname(osp.dirname(osp.abspath(__file__))))


def _tokenizers(cfg):
    found = []

    def visit(node):
        if isinstance(node, dict):
            if node.get('type') == 'TokenizeText':
                found.append(node.get('tokenizer_path'))
            for value in node.values():
                visit(value)
        elif isinstance(node, (list, tuple)):
            for value in node:
                visit(value)

    for key in ('train_dataloader', 'val_dataloader', 'test_dataloader'):
        visit(cfg.get(key))
    return found


def test_every_pipeline_of_a_loaded_config_follows_the_encoder():
    cfg = Config.fromfile(osp.join(REPO, 'configs', 'satracker_tnl2k.py'))
    assert set(_tokenizers(cfg)) == {None}  # the shipped configs leave it to the encoder
    cfg.merge_from_dict({'model.backbone.text_encoder.pretrained': '/my/roberta'})
    assert resolve_tokenizer_paths(cfg) == '/my/roberta'
    found = _tokenizers(cfg)
    assert len(found) == 5 and set(found) == {'/my/roberta'}  # 3 train + val + test


def test_explicit_paths_stay_and_vision_only_models_get_the_default_vocabulary():
    cfg = Config.fromfile(osp.join(REPO, 'configs', 'satracker', 'ablations',
                                   'satracker_tab4-2-tem.py'))
    assert cfg.model.backbone.text_encoder is None
    cfg.merge_from_dict({'test_dataloader.dataset.pipeline.2.tokenizer_path': '/mine'})
    assert resolve_tokenizer_paths(cfg) == MINILM_PACKAGE
    assert cfg.test_dataloader.dataset.pipeline[2].tokenizer_path == '/mine'
    assert cfg.train_dataloader.dataset.datasets[0].pipeline[-2].tokenizer_path == \
        MINILM_PACKAGE
