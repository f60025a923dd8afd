# Copyright (c) SATracker authors. Licensed under the Apache License 2.0.
"""CTE, TEM, SAM and ModaMixer blocks, built and called as plain PyTorch modules."""
import pytest
import torch
import torch.nn as nn
from mmtrack.registry import MODELS

import satracker  # noqa: F401  (registration)
from satracker.models.layers import (ConvTokenEmbedding, ModaMixer, QuickGELU, SemanticAwareModule,
                                     TargetEnhanceModule, build_activation)


def test_activations():
    x = torch.linspace(-3, 3, 13)
    torch.testing.assert_close(QuickGELU()(x), x * torch.sigmoid(1.702 * x))
    assert isinstance(build_activation(dict(type='QuickGELU')), QuickGELU)
    gelu = build_activation(dict(type='GELU'))
    torch.testing.assert_close(gelu(x), nn.functional.gelu(x))
    assert isinstance(MODELS.build(dict(type='QuickGELU')), QuickGELU)


def test_cte_shapes():
    cte = ConvTokenEmbedding(3, 16, 7, 4, 2)
    assert cte(torch.randn(2, 3, 128, 128)).shape == (2, 16, 32, 32)
    assert cte(torch.randn(2, 3, 320, 320)).shape == (2, 16, 80, 80)
    cte2 = ConvTokenEmbedding(16, 24, 3, 2, 1)
    out = cte2(torch.randn(1, 16, 20, 20))
    assert out.shape == (1, 24, 10, 10)
    # LayerNorm over channels at every position
    torch.testing.assert_close(out.mean(1), torch.zeros(1, 10, 10), atol=1e-5, rtol=0)


def _tem_inputs(c=16):
    g = torch.Generator().manual_seed(0)
    return torch.randn(2, 8 * 8, c, generator=g), torch.randn(2, 12 * 10, c, generator=g)


@pytest.mark.parametrize('attn_mode', ['asymmetric', 'self'])
def test_tem_cached_streams_equal_joint(attn_mode):
    torch.manual_seed(0)
    tem = TargetEnhanceModule(16, 2, attn_mode=attn_mode).eval()
    t, s = _tem_inputs()
    with torch.no_grad():
        jt, js = tem(t, s, (8, 8), (12, 10))
        ct, kv = tem.forward_template(t, (8, 8))
        cs = tem.forward_search(s, (12, 10), kv)
    torch.testing.assert_close(ct, jt, atol=1e-6, rtol=0)
    torch.testing.assert_close(cs, js, atol=1e-6, rtol=0)
    assert jt.shape == t.shape and js.shape == s.shape
    assert kv[0].shape == (2, 2, 16, 8)  # (B, heads, ceil(8/2)^2, C/heads)


def test_tem_one_joint_softmax_over_template_and_search():
    """Search queries: softmax(q [k_t; k_s]^T * C^-0.5) [v_t; v_s]; template: its own keys."""
    torch.manual_seed(0)
    tem = TargetEnhanceModule(16, 2).eval()
    t, s = _tem_inputs()
    a = tem.attn
    with torch.no_grad():
        nt, ns = tem.norm1(t), tem.norm1(s)
        q_s = a.project_q(ns, (12, 10))
        k_t, v_t = a.project_kv(nt, (8, 8))
        k_s, v_s = a.project_kv(ns, (12, 10))
        k, v = torch.cat([k_t, k_s], 2), torch.cat([v_t, v_s], 2)
        p = (q_s @ k.transpose(-2, -1) * 16**-0.5).softmax(-1)
        ctx = (p @ v).transpose(1, 2).reshape(2, 120, 16)
        x = s + a.proj(ctx)
        ref = x + tem.mlp(tem.norm2(x))
        _, out = tem(t, s, (8, 8), (12, 10))
    torch.testing.assert_close(out, ref, atol=1e-5, rtol=0)


@pytest.mark.parametrize('block', [7, 50, 120, 1000])
def test_blockwise_attention_equals_the_fused_kernel(block):
    """Query blocks of any size (dividing Nq or not, or larger) give softmax(q k^T s) v."""
    from satracker.models.layers.tem import blockwise_attention
    g = torch.Generator().manual_seed(0)
    q, k, v = (torch.randn(2, 3, n, 8, generator=g) for n in (120, 37, 37))
    ref = nn.functional.scaled_dot_product_attention(q, k, v, scale=0.3)
    torch.testing.assert_close(blockwise_attention(q, k, v, 0.3, block), ref, atol=1e-5, rtol=0)


def test_tem_bf16_on_cpu_uses_blockwise_attention(monkeypatch):
    """Under bf16 autocast on CPU (inference), attention runs as blocks of matrix products,
    and the block stays within bf16 rounding of the fp32 block; fp32 keeps the fused kernel."""
    from satracker.models.layers import tem as tem_module
    calls = []
    blockwise = tem_module.blockwise_attention

    def spy(*args, **kwargs):
        calls.append(args[0].dtype)
        return blockwise(*args, **kwargs)

    monkeypatch.setattr(tem_module, 'blockwise_attention', spy)
    torch.manual_seed(0)
    tem = TargetEnhanceModule(16, 2).eval()
    t, s = _tem_inputs()
    with torch.no_grad():
        ref_t, ref_s = tem(t, s, (8, 8), (12, 10))
        assert calls == []
        with torch.autocast('cpu', dtype=torch.bfloat16):
            out_t, out_s = tem(t, s, (8, 8), (12, 10))
    assert calls == [torch.bfloat16] * 2  # template and search queries
    torch.testing.assert_close(out_s.float(), ref_s, atol=0.1, rtol=0.05)
    torch.testing.assert_close(out_t.float(), ref_t, atol=0.1, rtol=0.05)


def test_tem_modes_and_errors():
    t, s = _tem_inputs()
    s2 = torch.randn_like(s)
    outs = {}
    for mode in ('asymmetric', 'symmetric', 'self'):
        torch.manual_seed(0)
        tem = TargetEnhanceModule(16, 2, attn_mode=mode, act_cfg=dict(type='GELU')).eval()
        with torch.no_grad():
            outs[mode] = (tem(t, s, (8, 8), (12, 10)), tem(t, s2, (8, 8), (12, 10)))
    # template sees the search only in symmetric mode
    torch.testing.assert_close(outs['asymmetric'][0][0], outs['asymmetric'][1][0])
    torch.testing.assert_close(outs['self'][0][0], outs['self'][1][0])
    assert not torch.allclose(outs['symmetric'][0][0], outs['symmetric'][1][0])
    # the search sees the template except in self mode
    assert not torch.allclose(outs['asymmetric'][0][1], outs['self'][0][1])
    sym = TargetEnhanceModule(16, 2, attn_mode='symmetric')
    assert not sym.supports_cache
    with pytest.raises(RuntimeError, match='symmetric'):
        sym.forward_template(t, (8, 8))
    with pytest.raises(ValueError, match='attn_mode'):
        TargetEnhanceModule(16, 2, attn_mode='cross')
    with pytest.raises(ValueError, match='divisible'):
        TargetEnhanceModule(16, 3)


def test_tem_drop_path_only_in_training():
    torch.manual_seed(0)
    tem = TargetEnhanceModule(16, 2, drop_path_rate=0.5)
    t, s = _tem_inputs()
    tem.eval()
    with torch.no_grad():
        a = tem(t, s, (8, 8), (12, 10))
        b = tem(t, s, (8, 8), (12, 10))
    torch.testing.assert_close(a, b)


def _fusion_inputs(c=16, d=24, length=7):
    g = torch.Generator().manual_seed(0)
    t = torch.randn(2, c, 4, 4, generator=g)
    s = torch.randn(2, c, 6, 6, generator=g)
    text = torch.randn(2, length, d, generator=g)
    mask = torch.ones(2, length, dtype=torch.long)
    mask[1, 3:] = 0
    return t, s, text, mask


@pytest.mark.parametrize('cls', [SemanticAwareModule, ModaMixer])
def test_fusion_cache_and_padding(cls):
    torch.manual_seed(0)
    fusion = cls(16, 24, num_heads=2).eval()
    t, s, text, mask = _fusion_inputs()
    with torch.no_grad():
        jt, js, jx = fusion(t, s, text, mask)
        ct, cx, state = fusion.forward_template(t, text, mask)
        cs = fusion.forward_search(s, state)
        # padded text positions must not matter
        text2 = text.clone()
        text2[1, 3:] = torch.randn(4, 24)
        pt, ps, px = fusion(t, s, text2, mask)
    assert (jt.shape, js.shape, jx.shape) == (t.shape, s.shape, text.shape)
    assert state.shape == (2, 16)
    for a, b in ((jt, ct), (js, cs), (jx, cx), (js, ps), (jt, pt)):
        torch.testing.assert_close(a, b, atol=1e-6, rtol=0)
    real = mask.bool()
    torch.testing.assert_close(jx[real], px[real], atol=1e-6, rtol=0)


def test_sam_formula():
    """X_s' = X_s + Conv(BN(P(X_s) * sigmoid(a))); T' = T + W_CD(W_DC T + maxpool P(X_t))."""
    torch.manual_seed(0)
    sam = SemanticAwareModule(16, 24, num_heads=2).eval()
    t, s, text, mask = _fusion_inputs()
    with torch.no_grad():
        _, out_s, out_text = sam(t, s, text, mask)
        pooled = sam.visual_proj(t).amax((2, 3))
        tc = sam.text_proj(text)
        sel = sam._selector(pooled, tc, mask)
        ref_s = s + sam.out_conv(sam.norm(sam.visual_proj(s) * sel[:, :, None, None]))
        ref_text = text + sam.text_out(tc + pooled[:, None])
    assert ((sel > 0) & (sel < 1)).all()
    torch.testing.assert_close(out_s, ref_s)
    torch.testing.assert_close(out_text, ref_text)
    # the selector attends only to real tokens: sample 1's padded tokens get zero weight
    with torch.no_grad():
        tc2 = tc.clone()
        tc2[1, 3:] = 100.
        torch.testing.assert_close(sam._selector(pooled, tc2, mask), sel)


def test_sam_without_text_update():
    sam = SemanticAwareModule(16, 24, num_heads=2, text_update=False).eval()
    assert not hasattr(sam, 'text_out')
    t, s, text, mask = _fusion_inputs()
    with torch.no_grad():
        out_t, _, out_text = sam(t, s, text, mask)
    assert out_text is text and out_t is t


def test_modamixer_leaves_text_and_mixes_both_maps():
    mixer = ModaMixer(16, 24).eval()
    t, s, text, mask = _fusion_inputs()
    with torch.no_grad():
        out_t, out_s, out_text = mixer(t, s, text, mask)
    assert out_text is text
    assert not torch.allclose(out_t, t) and not torch.allclose(out_s, s)


def test_blocks_build_from_registry():
    for cfg in (dict(type='TargetEnhanceModule', embed_dims=16, num_heads=2),
                dict(type='SemanticAwareModule', embed_dims=16, text_dims=24,
                     num_heads=2), dict(type='ModaMixer', embed_dims=16, text_dims=24),
                dict(type='ConvTokenEmbedding', in_channels=3, embed_dims=8)):
        assert isinstance(MODELS.build(cfg), nn.Module)
