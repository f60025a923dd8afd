# Copyright (c) SATracker authors. Licensed under the Apache License 2.0.
"""SynchronousLearningBackbone: HF CvT parity, caching, asymmetry, padding, switches."""
import pytest
import torch
from mmtrack.registry import MODELS

import satracker  # noqa: F401  (registration)
from satracker.utils import convert_cvt_state_dict

DIMS, DEPTHS, HEADS = (16, 32, 48), (1, 2, 3), (1, 2, 3)
VOCAB, TEXT_D = 100, 32


def text_encoder_cfg(**kwargs):
    cfg = dict(
        type='StagedBertEncoder',
        bert_config=dict(
            vocab_size=VOCAB,
            hidden_size=TEXT_D,
            num_hidden_layers=3,
            num_attention_heads=2,
            intermediate_size=64,
            max_position_embeddings=64),
        layer_split=(1, 1, 1))
    cfg.update(kwargs)
    return cfg


def build_slb(**kwargs):
    cfg = dict(
        type='SynchronousLearningBackbone',
        embed_dims=DIMS,
        depths=DEPTHS,
        num_heads=HEADS,
        text_encoder=text_encoder_cfg())
    cfg.update(kwargs)
    torch.manual_seed(0)
    model = MODELS.build(cfg)
    if model.init_cfg:
        model.init_weights()
    return model.eval()


def inputs(batch=2, length=10):
    g = torch.Generator().manual_seed(1)
    template = torch.randn(batch, 3, 64, 64, generator=g)
    search = torch.randn(batch, 3, 96, 96, generator=g)
    ids = torch.randint(5, VOCAB, (batch, length), generator=g)
    ids[:, 0] = 1  # [CLS]-like
    mask = torch.ones(batch, length, dtype=torch.long)
    mask[-1, length // 2:] = 0  # the last sample is padded
    ids[-1, length // 2 - 1] = 2  # [SEP]-like
    ids[-1, length // 2:] = 0
    return template, search, ids, mask


def test_hf_cvt_parity():
    from transformers import CvtConfig, CvtModel
    torch.manual_seed(0)
    config = CvtConfig(
        embed_dim=list(DIMS),
        depth=list(DEPTHS),
        num_heads=list(HEADS),
        cls_token=[False, False, False])
    hf = CvtModel(config, add_pooling_layer=False).eval()
    # non-trivial BN statistics so that the BN mapping is exercised
    for name, buf in hf.named_buffers():
        if name.endswith('running_mean'):
            buf.normal_(0, 0.1)
        elif name.endswith('running_var'):
            buf.uniform_(0.5, 1.5)
    slb = build_slb(attn_mode='self', sam_stages=(), act_cfg=dict(type='GELU'))
    converted, report = convert_cvt_state_dict(hf.state_dict(), source='hf', return_report=True)
    assert report['missing'] == [] and report['unexpected'] == []
    missing, unexpected = slb.load_state_dict(converted, strict=False)
    assert unexpected == []
    assert all(k.startswith('text_encoder.') for k in missing)
    _, search, ids, mask = inputs()
    with torch.no_grad():
        ref = hf(search).last_hidden_state
        ours = slb(search[:, :, :64, :64], search, ids, mask)['search_feat']
        template = slb.forward_template(search[:, :, :64, :64], ids, mask)
        cached = slb.forward_search(search, template)['search_feat']
    assert ours.shape == ref.shape == (2, 48, 6, 6)
    torch.testing.assert_close(ours, ref, atol=1e-5, rtol=1e-5)
    torch.testing.assert_close(cached, ref, atol=1e-5, rtol=1e-5)


def test_output_shapes_and_keys():
    slb = build_slb()
    template, search, ids, mask = inputs()
    with torch.no_grad():
        out = slb(template, search, ids, mask)
    assert set(out) == {'search_feat', 'template_feat', 'text_feat'}
    assert out['search_feat'].shape == (2, 48, 6, 6)
    assert out['template_feat'].shape == (2, 48, 4, 4)
    assert out['text_feat'].shape == (2, 10, TEXT_D)
    assert slb.supports_cache and slb.text_dims == TEXT_D


SWITCHES = [
    dict(),
    dict(attn_mode='self'),
    dict(sam_order='sam_first'),
    dict(fusion=dict(type='SemanticAwareModule', text_update=False)),
    dict(fusion=dict(type='ModaMixer')),
    dict(sam_stages=()),
    dict(sam_stages=(1, 2)),
    dict(sam_stages=(2, )),
    dict(text_encoder=text_encoder_cfg(mode='async')),
    dict(text_encoder=text_encoder_cfg(mode='async'), sam_order='sam_first'),
]


@pytest.mark.parametrize('switch', SWITCHES, ids=lambda s: str(s)[:60])
def test_cached_equals_full_forward(switch):
    slb = build_slb(**switch)
    template, search, ids, mask = inputs()
    with torch.no_grad():
        full = slb(template, search, ids, mask)
        cache = slb.forward_template(template, ids, mask)
        cached = slb.forward_search(search, cache)
    for key in full:
        torch.testing.assert_close(cached[key], full[key], atol=1e-5, rtol=1e-5)
    assert len(cache['template_kv']) == 3
    assert [len(kv) for kv in cache['template_kv']] == list(DEPTHS)
    n_fusion = len(switch.get('sam_stages', (0, 1, 2)))
    assert sum(s is not None for s in cache['fusion_states']) == n_fusion


@pytest.mark.parametrize('attn_mode', ['asymmetric', 'self'])
def test_template_and_text_do_not_see_the_search(attn_mode):
    slb = build_slb(attn_mode=attn_mode)
    template, search, ids, mask = inputs()
    with torch.no_grad():
        a = slb(template, search, ids, mask)
        b = slb(template, torch.randn_like(search), ids, mask)
    torch.testing.assert_close(a['template_feat'], b['template_feat'], atol=0, rtol=0)
    torch.testing.assert_close(a['text_feat'], b['text_feat'], atol=0, rtol=0)
    assert not torch.allclose(a['search_feat'], b['search_feat'])


def test_symmetric_template_sees_the_search_and_refuses_to_cache():
    slb = build_slb(attn_mode='symmetric')
    template, search, ids, mask = inputs()
    with torch.no_grad():
        a = slb(template, search, ids, mask)
        b = slb(template, torch.randn_like(search), ids, mask)
    assert not torch.allclose(a['template_feat'], b['template_feat'])
    assert not torch.allclose(a['text_feat'], b['text_feat'])  # via the SAM text update
    assert not slb.supports_cache
    with pytest.raises(RuntimeError, match='symmetric'):
        slb.forward_template(template, ids, mask)


def test_padding_tokens_do_not_change_the_outputs():
    slb = build_slb()
    template, search, ids, mask = inputs()
    ids2 = ids.clone()
    ids2[mask == 0] = torch.randint(5, VOCAB, (int((mask == 0).sum()), ))
    with torch.no_grad():
        a = slb(template, search, ids, mask)
        b = slb(template, search, ids2, mask)
    torch.testing.assert_close(a['search_feat'], b['search_feat'], atol=1e-6, rtol=0)
    torch.testing.assert_close(a['template_feat'], b['template_feat'], atol=1e-6, rtol=0)
    real = mask.bool()
    torch.testing.assert_close(a['text_feat'][real], b['text_feat'][real], atol=1e-6, rtol=0)


def test_text_changes_the_search_only_through_fusion():
    template, search, ids, mask = inputs()
    ids2 = ids.clone()
    ids2[0, 3] = (ids2[0, 3] + 1) % VOCAB
    with torch.no_grad():
        slb = build_slb()
        assert not torch.allclose(
            slb(template, search, ids, mask)['search_feat'],
            slb(template, search, ids2, mask)['search_feat'])
        vision = build_slb(sam_stages=())
        torch.testing.assert_close(
            vision(template, search, ids, mask)['search_feat'],
            vision(template, search, ids2, mask)['search_feat'],
            atol=0,
            rtol=0)


def test_empty_sentence_runs():
    slb = build_slb()
    template, search, _, _ = inputs(batch=1, length=8)
    ids = torch.zeros(1, 8, dtype=torch.long)
    ids[0, :2] = torch.tensor([1, 2])  # [CLS] [SEP]
    mask = torch.zeros(1, 8, dtype=torch.long)
    mask[0, :2] = 1
    with torch.no_grad():
        out = slb(template, search, ids, mask)
        cached = slb.forward_search(search, slb.forward_template(template, ids, mask))
    for v in out.values():
        assert torch.isfinite(v).all()
    torch.testing.assert_close(cached['search_feat'], out['search_feat'], atol=1e-5, rtol=0)


@pytest.mark.parametrize('mode', ['sync', 'async'])
def test_without_sam_the_text_is_plain_bert(mode):
    from transformers import BertConfig, BertModel
    slb = build_slb(sam_stages=(), text_encoder=text_encoder_cfg(mode=mode))
    bert = BertModel(BertConfig(**text_encoder_cfg()['bert_config']), add_pooling_layer=False)
    bert.load_state_dict(slb.text_encoder.bert.state_dict())
    bert.eval()
    template, search, ids, mask = inputs()
    with torch.no_grad():
        ours = slb(template, search, ids, mask)['text_feat']
        ref = bert(input_ids=ids, attention_mask=mask).last_hidden_state
    torch.testing.assert_close(ours, ref, atol=1e-5, rtol=1e-5)


def test_vision_only_without_text_encoder():
    slb = build_slb(sam_stages=(), text_encoder=None)
    assert not any(k.startswith('text_encoder') for k in slb.state_dict())
    template, search, ids, mask = inputs()
    with torch.no_grad():
        out = slb(template, search, ids, mask)
        cached = slb.forward_search(search, slb.forward_template(template, ids, mask))
    assert out['text_feat'] is None and cached['text_feat'] is None
    torch.testing.assert_close(cached['search_feat'], out['search_feat'], atol=1e-5, rtol=0)
    with pytest.raises(ValueError, match='text encoder'):
        build_slb(text_encoder=None)


def test_bad_arguments():
    with pytest.raises(ValueError, match='sam_order'):
        build_slb(sam_order='middle')
    with pytest.raises(ValueError, match='fusion'):
        build_slb(fusion='concat')
    with pytest.raises(ValueError, match='type'):
        build_slb(fusion=dict(text_update=False))
    with pytest.raises(ValueError, match='per stage'):
        build_slb(fusion=dict(type='SemanticAwareModule', embed_dims=8))
    with pytest.raises(KeyError, match='NoSuchFusion'):
        build_slb(fusion=dict(type='NoSuchFusion'))
    with pytest.raises(ValueError, match='sam_stages'):
        build_slb(sam_stages=(3, ))
    with pytest.raises(ValueError, match='attn_mode'):
        build_slb(attn_mode='cross')
    with pytest.raises(ValueError, match='stages'):
        build_slb(text_encoder=text_encoder_cfg(layer_split=(1, 2)))
    with pytest.raises(ValueError, match='depths'):
        build_slb(depths=(1, 2))


def test_gradients_reach_every_parameter():
    slb = build_slb(drop_path_rate=0.1).train()
    template, search, ids, mask = inputs()
    out = slb(template, search, ids, mask)
    (out['search_feat'].square().mean() + out['text_feat'].square().mean() +
     out['template_feat'].square().mean()).backward()
    no_grad = [n for n, p in slb.named_parameters() if p.requires_grad and p.grad is None]
    assert no_grad == []


def test_param_parts():
    slb = build_slb()
    parts = {slb.param_part(n) for n, _ in slb.named_parameters()}
    assert parts == {'cvt', 'fusion', 'text'}
    assert slb.param_part('stages.2.fusion.visual_proj.weight') == 'fusion'
    assert slb.param_part('stages.0.cte.proj.weight') == 'cvt'
    assert slb.param_part('text_encoder.bert.embeddings.word_embeddings.weight') == 'text'


def test_init_cfg_pretrained_loads_official_cvt(tmp_path):
    import re
    src = build_slb(sam_stages=())
    for p in src.parameters():  # distinguishable values
        p.data.uniform_(-1, 1)
    state = {k: v for k, v in src.state_dict().items() if src.param_part(k) == 'cvt'}
    official = {
        re.sub(r'^stages\.(\d+)\.cte\.', r'stage\1.patch_embed.',
               re.sub(r'^stages\.(\d+)\.blocks\.', r'stage\1.blocks.', k)):
        v
        for k, v in state.items()
    }
    official['stage2.cls_token'] = torch.zeros(1, 1, 48)
    official['head.weight'] = torch.zeros(10, 48)
    path = tmp_path / 'cvt_official.pth'
    torch.save({'state_dict': official}, path)
    dst = build_slb(init_cfg=dict(type='Pretrained', checkpoint=str(path)))
    dst_state = dst.state_dict()
    for k, v in state.items():
        torch.testing.assert_close(dst_state[k], v, atol=0, rtol=0)
    missing, unexpected = dst.load_cvt_weights(official)
    assert missing == [] and unexpected == []
    del official['stage0.blocks.0.norm1.weight']
    missing, _ = dst.load_cvt_weights(official)
    assert missing == ['stages.0.blocks.0.norm1.weight']


@pytest.mark.parametrize('pretrained', [False, True])
def test_fusion_init_cfg_is_applied_by_init_weights(tmp_path, pretrained):
    """A fusion block's ``init_cfg`` takes effect through the backbone's ``init_weights``
    (the stages are MMEngine modules), also when the backbone loads CvT weights."""
    names = ('q', 'v', 'attn_out')
    fusion = dict(
        type='SemanticAwareModule',
        init_cfg=dict(
            type='Constant',
            val=0.5,
            layer=[],
            override=[dict(type='Constant', val=0.5, name=n) for n in names]))
    kwargs = dict(fusion=fusion)
    if pretrained:
        src = build_slb(sam_stages=())
        path = tmp_path / 'cvt.pth'
        torch.save({k: v for k, v in src.state_dict().items() if src.param_part(k) == 'cvt'}, path)
        kwargs['init_cfg'] = dict(type='Pretrained', checkpoint=str(path))
    model = build_slb(**kwargs)
    model.init_weights()
    for stage in model.stages:
        for n in names:
            assert torch.all(getattr(stage.fusion, n).weight == 0.5), n
        # the layers the init_cfg does not name keep the SAM's own initialisation
        assert stage.fusion.text_proj.weight.abs().max() < 0.1
    # without an init_cfg, init_weights leaves the fusion as built
    plain = build_slb()
    before = {k: v.clone() for k, v in plain.state_dict().items()}
    plain.init_weights()
    for k, v in plain.state_dict().items():
        torch.testing.assert_close(v, before[k], atol=0, rtol=0)


@pytest.mark.parametrize(
    'legacy,current',
    [
        (dict(fusion='sam'), dict(fusion=dict(type='SemanticAwareModule'))),
        (dict(fusion='modamixer'), dict(fusion=dict(type='ModaMixer'))),
        (dict(fusion='sam',
              text_update=False), dict(fusion=dict(type='SemanticAwareModule', text_update=False))),
        # ModaMixer has no textual stream: the old backbone switch is ignored, as it always was
        (dict(fusion='modamixer', text_update=True), dict(fusion=dict(type='ModaMixer'))),
    ])
def test_old_fusion_spellings_warn_and_build_the_same_model(legacy, current):
    """Configs written before fusion became a registry config keep working, with a warning,
    and build a module with the same parameters and the same output."""
    with pytest.warns(FutureWarning, match='deprecated'):
        old = build_slb(**legacy)
    torch.manual_seed(0)
    new = build_slb(**current)
    assert {k: v.shape for k, v in old.state_dict().items()} == \
        {k: v.shape for k, v in new.state_dict().items()}
    old.load_state_dict(new.state_dict())
    template, search, ids, mask = inputs()
    with torch.no_grad():
        a, b = old(template, search, ids, mask), new(template, search, ids, mask)
    torch.testing.assert_close(a['search_feat'], b['search_feat'])
    torch.testing.assert_close(a['text_feat'], b['text_feat'])
    assert [type(m).__name__ for m in old.modules()] == [type(m).__name__ for m in new.modules()]
