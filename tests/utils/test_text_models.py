# Copyright (c) SATracker authors. Licensed under the Apache License 2.0.
"""The pipelines' tokenizer follows the model's text encoder."""
import os.path as osp

from mmengine.config import Config

from satracker.utils import MINILM_PACKAGE, iter_config_dicts, resolve_tokenizer_paths

REPO = osp.dirname(osp.dirname(osp.dirname(osp.abspath(__file__))))


def _tokenizers(cfg):
    return [
        node.get('tokenizer_path')
        for key in ('train_dataloader', 'val_dataloader', 'test_dataloader')
        for _, node in iter_config_dicts(cfg.get(key)) if node.get('type') == 'TokenizeText'
    ]


def test_one_walker_gives_every_dict_with_its_cfg_options_key():
    cfg = dict(a=dict(b=[dict(c=1), 2, (dict(d=dict()), )]), e=3)
    assert [k for k, _ in iter_config_dicts(cfg)] == ['', 'a', 'a.b.0', 'a.b.2.0', 'a.b.2.0.d']
    keys = [k for k, _ in iter_config_dicts(cfg['a'], 'a')]
    assert keys == ['a', 'a.b.0', 'a.b.2.0', 'a.b.2.0.d']
    assert list(iter_config_dicts(None)) == [] and list(iter_config_dicts([1, 'x'])) == []


def test_every_pipeline_of_a_loaded_config_follows_the_encoder():
    cfg = Config.fromfile(osp.join(REPO, 'configs', 'satracker_tnl2k.py'))
    assert set(_tokenizers(cfg)) == {None}  # the shipped configs leave it to the encoder
    cfg.merge_from_dict({'model.backbone.text_encoder.pretrained': '/my/roberta'})
    assert resolve_tokenizer_paths(cfg) == '/my/roberta'
    found = _tokenizers(cfg)
    assert len(found) == 5 and set(found) == {'/my/roberta'}  # 3 train + val + test


def test_explicit_paths_stay_and_vision_only_models_get_the_default_vocabulary():
    cfg = Config.fromfile(
        osp.join(REPO, 'configs', 'satracker', 'ablations', 'satracker_tab4-2-tem.py'))
    assert cfg.model.backbone.text_encoder is None
    cfg.merge_from_dict({'test_dataloader.dataset.pipeline.2.tokenizer_path': '/mine'})
    assert resolve_tokenizer_paths(cfg) == MINILM_PACKAGE
    assert cfg.test_dataloader.dataset.pipeline[2].tokenizer_path == '/mine'
    assert cfg.train_dataloader.dataset.datasets[0].pipeline[-2].tokenizer_path == \
        MINILM_PACKAGE
