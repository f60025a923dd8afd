# Copyright (c) SATracker authors. Licensed under the Apache License 2.0.
import os.path as osp

import numpy as np
import pytest
import torch
from mmengine.config import Config

import satracker  # noqa: F401
from satracker.apis import build_inference_pipeline, inference_vlsot, init_model
from satracker.testing import tiny_model_cfg
from satracker.utils import MINILM_PACKAGE

REPO = osp.dirname(osp.dirname(osp.dirname(osp.abspath(__file__))))
BASE = osp.join(REPO, 'configs/_base_/models/satracker.py')


class NotWeights:
    """A pickled object that weights-only loading refuses (like an optimizer state)."""


def _tiny_config():
    cfg = Config.fromfile(BASE)
    cfg.model = tiny_model_cfg(cfg.model.to_dict())
    return cfg


def _frames(n=3, h=120, w=160):
    rng = np.random.RandomState(0)
    out = []
    for k in range(n):
        img = (rng.rand(h, w, 3) * 80).astype(np.uint8)
        img[40:70, 30 + 5 * k:60 + 5 * k] = (30, 30, 220)
        out.append(img)
    return out


def test_init_model_on_cpu_without_checkpoint():
    model = init_model(_tiny_config(), device='cpu')
    assert not model.training
    assert next(model.parameters()).device.type == 'cpu'
    assert model.cfg.model.type == 'SATracker'


def test_init_model_reads_weights_only_checkpoints(tmp_path):
    cfg = _tiny_config()
    model = init_model(cfg)
    state = {
        k: torch.randn_like(v) if v.is_floating_point() else v
        for k, v in model.state_dict().items()
    }
    path = str(tmp_path / 'published.pth')
    torch.save(dict(state_dict=state, meta=dict(epoch=3, note='x')), path)
    loaded = init_model(cfg, checkpoint=path)
    for key, value in loaded.state_dict().items():
        assert torch.equal(value, state[key]), key

    bad = str(tmp_path / 'training.pth')
    torch.save(dict(state_dict=state, optimizer=NotWeights()), bad)
    with pytest.raises(RuntimeError, match='publish_model'):
        init_model(cfg, checkpoint=bad)
    with pytest.raises(FileNotFoundError):
        init_model(cfg, checkpoint=str(tmp_path / 'missing.pth'))


def test_inference_vlsot_tracks_with_the_sentence():
    from transformers import BertTokenizerFast

    from satracker.utils import default_text_model_path
    model = init_model(_tiny_config())
    frames = _frames()
    init_bbox = [30., 40., 60., 70.]
    sentence = 'the red car on the left'
    results = [inference_vlsot(model, f, init_bbox, sentence, k) for k, f in enumerate(frames)]
    assert torch.allclose(results[0].pred_track_instances.bboxes.float(), torch.tensor([init_bbox]))
    for res in results[1:]:
        box = res.pred_track_instances.bboxes
        assert box.shape == (1, 4) and torch.isfinite(box).all()
    # the sentence reached init() through the config's tokeniser (30 tokens, MiniLM vocab)
    tok = BertTokenizerFast.from_pretrained(default_text_model_path(), local_files_only=True)
    ids = tok(sentence, max_length=30, padding='max_length', truncation=True)['input_ids']
    assert model.memo.text_ids.tolist() == [ids]
    assert int(model.memo.text_mask.sum()) == len(tok(sentence)['input_ids'])
    # an empty sentence runs too ([CLS][SEP])
    res = inference_vlsot(model, frames[0], init_bbox, '', 0)
    assert int(model.memo.text_mask.sum()) == 2
    assert res.pred_track_instances.bboxes.shape == (1, 4)


def test_inference_pipeline_drops_the_loading_transforms():
    cfg = Config(
        dict(
            model=dict(backbone=dict(text_encoder=dict(pretrained=None))),
            test_dataloader=dict(
                dataset=dict(pipeline=[
                    dict(type='LoadImageFromFile'),
                    dict(type='LoadTrackAnnotations', with_instance_id=False),
                    dict(type='TokenizeText', tokenizer_path=MINILM_PACKAGE, max_length=12),
                    dict(type='PackVLTrackInputs', pack_single_img=True)
                ]))))
    pipeline = build_inference_pipeline(cfg)
    names = [type(t).__name__ for t in pipeline.transforms]
    assert names == ['TokenizeText', 'PackVLTrackInputs']
    assert pipeline.transforms[0].max_length == 12
    no_text = Config(dict(model=dict(), test_pipeline=[dict(type='PackVLTrackInputs')]))
    with pytest.raises(ValueError, match='TokenizeText'):
        build_inference_pipeline(no_text)
