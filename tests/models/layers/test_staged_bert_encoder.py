# Copyright (c) SATracker authors. Licensed under the Apache License 2.0.
"""StagedBertEncoder: equals BertModel / RobertaModel, split validation, local pretrained
loading, refusal of other encoders."""
import numpy as np
import pytest
import torch

import satracker  # noqa: F401  (registration)
from satracker.models.layers import StagedBertEncoder
from satracker.testing import TINY_BERT
from satracker.utils import MINILM_MODULE, MINILM_PACKAGE

BERT = dict(TINY_BERT, vocab_size=100)


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
        bert_config=dict(BERT, attn_implementation=attn), layer_split=(1, 1, 1)).eval()
    ids, mask = _text()
    with torch.no_grad():
        h = enc.embed(ids, mask)
        for k in range(3):
            h = enc.forward_stage(k, h, mask)
        ref = _reference(enc)(input_ids=ids, attention_mask=mask).last_hidden_state
        whole = enc(ids, mask)
    torch.testing.assert_close(h, ref, atol=1e-5, rtol=1e-5)
    torch.testing.assert_close(whole, ref, atol=1e-5, rtol=1e-5)
    assert enc.hidden_size == 32 and enc.num_stages == 3


def test_stage_layers_follow_the_split():
    enc = StagedBertEncoder(bert_config=dict(BERT, num_hidden_layers=6), layer_split=(1, 2, 3))
    assert [list(r) for r in enc.stage_layers] == [[0], [1, 2], [3, 4, 5]]


@pytest.mark.parametrize('split, msg', [((1, 1), 'sums to 2'), ((1, 1, 2), 'sums to 4'),
                                        ((0, 1, 2), 'at least one'), ((), 'at least one')])
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
    enc = StagedBertEncoder(pretrained=str(tmp_path), layer_split=(2, 1)).eval()
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
    pytest.importorskip(MINILM_MODULE)
    from transformers import BertModel

    from satracker.utils import resolve_model_path
    enc = StagedBertEncoder(pretrained=MINILM_PACKAGE, layer_split=(1, 2, 3)).eval()
    assert enc.hidden_size == 384 and len(enc.bert.encoder.layer) == 6
    ref_model = BertModel.from_pretrained(
        resolve_model_path(MINILM_PACKAGE), add_pooling_layer=False).eval()
    ids = torch.tensor([[101, 7592, 2088, 102, 0, 0], [101, 102, 0, 0, 0, 0]])
    mask = (ids != 0).long()
    with torch.no_grad():
        torch.testing.assert_close(
            enc(ids, mask),
            ref_model(input_ids=ids, attention_mask=mask).last_hidden_state,
            atol=1e-5,
            rtol=1e-5)


SENTENCES = [
    'the red car on the left', 'a small white dog running', 'the person in a blue shirt',
    'the yellow triangle on the right'
]


def _save_roberta(path, tokenizer=True):
    """A tiny random RoBERTa saved as a local HuggingFace directory, with a byte-level BPE
    tokenizer trained offline on a few sentences."""
    from transformers import RobertaConfig, RobertaModel, RobertaTokenizerFast
    torch.manual_seed(0)
    config = RobertaConfig(**dict(BERT, vocab_size=300, max_position_embeddings=70, pad_token_id=1))
    model = RobertaModel(config, add_pooling_layer=False)
    model.save_pretrained(path)
    if tokenizer:
        from tokenizers import ByteLevelBPETokenizer
        bpe = ByteLevelBPETokenizer()
        bpe.train_from_iterator(
            SENTENCES * 5,
            vocab_size=300,
            min_frequency=1,
            special_tokens=['<s>', '<pad>', '</s>', '<unk>', '<mask>'])
        bpe.save_model(str(path))
        RobertaTokenizerFast.from_pretrained(str(path)).save_pretrained(path)
    return model.eval()


def test_roberta_directory_equals_roberta_model(tmp_path):
    """A RoBERTa checkpoint (BERT's structure, other embeddings and tokenizer) runs staged and
    reproduces RobertaModel; the pipeline's tokenizer follows the encoder's directory."""
    from satracker.datasets.transforms import TokenizeText
    from satracker.utils import resolve_tokenizer_paths
    reference = _save_roberta(tmp_path)
    enc = StagedBertEncoder(pretrained=str(tmp_path), layer_split=(1, 2)).eval()
    assert type(enc.bert).__name__ == 'RobertaModel'
    cfg = dict(
        model=dict(backbone=dict(text_encoder=dict(pretrained=str(tmp_path)))),
        test_dataloader=dict(
            dataset=dict(pipeline=[dict(type='TokenizeText', tokenizer_path=None, max_length=12)])))
    assert resolve_tokenizer_paths(cfg) == str(tmp_path)
    tok = TokenizeText(**{
        k: v
        for k, v in cfg['test_dataloader']['dataset']['pipeline'][0].items() if k != 'type'
    })
    rows = [tok.transform(dict(text=s)) for s in ('the red car on the left', 'a dog', '')]
    ids = torch.as_tensor(np.stack([r['text_ids'] for r in rows]))
    mask = torch.as_tensor(np.stack([r['text_mask'] for r in rows]))
    assert ids[0, 0].item() == 0 and 2 in ids[0].tolist()  # <s> ... </s>
    assert (ids[mask == 0] == 1).all()  # RoBERTa pads with id 1
    assert mask[2].sum() == 2 and not rows[2]['text_valid']
    with torch.no_grad():
        ours = enc(ids, mask)
        ref = reference(input_ids=ids, attention_mask=mask).last_hidden_state
    torch.testing.assert_close(ours, ref, atol=1e-5, rtol=1e-5)


def test_minilm_structured_bert_directory(tmp_path):
    from transformers import BertConfig, BertModel
    torch.manual_seed(0)
    BertModel(BertConfig(**BERT), add_pooling_layer=False).save_pretrained(tmp_path)
    enc = StagedBertEncoder(pretrained=str(tmp_path), layer_split=(1, 1, 1))
    assert type(enc.bert).__name__ == 'BertModel' and enc.hidden_size == 32


def test_other_encoders_are_refused_naming_the_directory(tmp_path):
    from transformers import DistilBertConfig
    DistilBertConfig(dim=32, n_layers=2, n_heads=2, hidden_dim=64).save_pretrained(tmp_path)
    with pytest.raises(ValueError, match=r'distilbert.*not supported.*bert.*roberta') as e:
        StagedBertEncoder(pretrained=str(tmp_path), layer_split=(1, 1))
    assert str(tmp_path) in str(e.value)
    with pytest.raises(ValueError, match='gpt2'):
        StagedBertEncoder(model_type='gpt2')


def test_random_roberta_by_model_type():
    enc = StagedBertEncoder(
        model_type='roberta',
        bert_config=dict(BERT, pad_token_id=1, max_position_embeddings=70),
        layer_split=(2, 1))
    ids, mask = _text(length=8)
    assert type(enc.bert).__name__ == 'RobertaModel'
    assert enc(ids, mask).shape == (3, 8, 32)


@pytest.mark.parametrize('frozen_stages, frozen_layers', [
    (-1, None),
    (0, ()),
    (1, (0, )),
    (3, (0, 1, 2)),
])
def test_frozen_stages_get_no_gradient_stay_in_eval_and_keep_their_names(
        frozen_stages, frozen_layers):
    torch.manual_seed(0)
    enc = StagedBertEncoder(
        bert_config=dict(BERT, hidden_dropout_prob=0.5),
        layer_split=(1, 1, 1),
        frozen_stages=frozen_stages)
    plain = StagedBertEncoder(bert_config=BERT, layer_split=(1, 1, 1))
    assert list(enc.state_dict()) == list(plain.state_dict())
    enc.train()
    ids, mask = _text()
    hidden = enc.embed(ids, mask).detach().requires_grad_()  # grads reach frozen layers' input
    out = hidden
    for k in range(3):
        out = enc.forward_stage(k, out, mask)
    (out.sum() + enc(ids, mask).sum()).backward()
    assert hidden.grad is not None and hidden.grad.abs().sum() > 0

    def is_frozen(name):
        if frozen_layers is None:
            return False
        if name.startswith('bert.embeddings.'):
            return True
        return any(name.startswith(f'bert.encoder.layer.{i}.') for i in frozen_layers)

    for name, p in enc.named_parameters():
        assert p.requires_grad is not is_frozen(name), name
        assert (p.grad is None) is is_frozen(name), name
    for name, m in enc.named_modules():
        if name.startswith('bert.') and name != 'bert' and name.count('.') <= 3:
            assert m.training is not is_frozen(name + '.'), name


def test_frozen_stages_out_of_range():
    with pytest.raises(ValueError, match=r'frozen_stages must be in \[-1, 3\]'):
        StagedBertEncoder(bert_config=BERT, layer_split=(1, 1, 1), frozen_stages=4)
