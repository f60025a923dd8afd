# Copyright (c) SATracker authors. Licensed under the Apache License 2.0.
"""CvT weight conversion (official / HuggingFace names -> SLB names) and cvt2slb.py."""
import os.path as osp
import subprocess
import sys

import pytest
import torch

from satracker.utils import convert_cvt_state_dict
from satracker.utils.cvt_converter import detect_cvt_source

DIMS, DEPTHS, HEADS = (16, 32, 48), (1, 2, 3), (1, 2, 3)

# HF -> original CvT names, the rules of HF's conversion script (see the notes)
HF_TO_OFFICIAL = [
    ('cvt.encoder.stages.', 'stage'),
    ('.embedding.convolution_embeddings.projection.', '.patch_embed.proj.'),
    ('.embedding.convolution_embeddings.normalization.', '.patch_embed.norm.'),
    ('.layers.', '.blocks.'),
] + [(f'.attention.attention.convolution_projection_{hf}.convolution_projection.'
      f'convolution.', f'.attn.conv_proj_{o}.conv.')
     for hf, o in (('query', 'q'), ('key', 'k'), ('value', 'v'))] + [
         (f'.attention.attention.convolution_projection_{hf}.convolution_projection.'
          f'normalization.', f'.attn.conv_proj_{o}.bn.')
         for hf, o in (('query', 'q'), ('key', 'k'), ('value', 'v'))
     ] + [(f'.attention.attention.projection_{hf}.', f'.attn.proj_{o}.')
          for hf, o in (('query', 'q'), ('key', 'k'), ('value', 'v'))] + [
              ('.attention.output.dense.', '.attn.proj.'),
              ('.intermediate.dense.', '.mlp.fc1.'),
              ('.output.dense.', '.mlp.fc2.'),
              ('.layernorm_before.', '.norm1.'),
              ('.layernorm_after.', '.norm2.'),
          ]


def hf_classifier():
    from transformers import CvtConfig, CvtForImageClassification
    torch.manual_seed(0)
    config = CvtConfig(
        embed_dim=list(DIMS), depth=list(DEPTHS), num_heads=list(HEADS),
        num_labels=10)  # cls token in the last stage, as CvT-21
    model = CvtForImageClassification(config)
    for p in model.parameters():
        p.data.uniform_(-1, 1)
    return model


def to_official(hf_state):
    out = {}
    for k, v in hf_state.items():
        if k.startswith('layernorm.'):
            out['norm.' + k[len('layernorm.'):]] = v
            continue
        if k.startswith('classifier.'):
            out['head.' + k[len('classifier.'):]] = v
            continue
        for a, b in HF_TO_OFFICIAL:
            k = k.replace(a, b)
        out[k] = v
    return out


def test_official_and_hf_give_the_same_slb_weights():
    hf_state = hf_classifier().state_dict()
    official = to_official(hf_state)
    assert 'stage2.cls_token' in official and 'stage0.patch_embed.proj.weight' in official
    assert 'stage1.blocks.1.attn.conv_proj_k.bn.running_var' in official
    assert detect_cvt_source(official) == 'official' and detect_cvt_source(hf_state) == 'hf'
    a, rep_a = convert_cvt_state_dict(official, source='official', return_report=True)
    b, rep_b = convert_cvt_state_dict(hf_state, source='hf', return_report=True)
    assert list(a) == list(b)
    for k in a:
        assert torch.equal(a[k], b[k]), k
    for rep in (rep_a, rep_b):
        assert rep['missing'] == [] and rep['unexpected'] == []
        assert len(rep['dropped']) == 5  # cls token, final norm (2), classifier (2)
    assert detect_cvt_source(a) == 'slb'
    # exactly the CvT part of an SLB
    from mmtrack.registry import MODELS

    import satracker  # noqa: F401
    slb = MODELS.build(
        dict(
            type='SynchronousLearningBackbone',
            embed_dims=DIMS,
            depths=DEPTHS,
            num_heads=HEADS,
            sam_stages=(),
            text_encoder=None))
    assert sorted(slb.state_dict()) == sorted(a)
    slb.load_state_dict(a, strict=True)


def test_module_prefix_and_missing_unexpected_are_reported():
    official = to_official(hf_classifier().state_dict())
    official = {'module.' + k: v for k, v in official.items()}
    del official['module.stage1.blocks.0.mlp.fc2.bias']
    del official['module.stage0.patch_embed.norm.weight']
    official['module.stage0.pos_embed'] = torch.zeros(1)
    official['module.something.else'] = torch.zeros(1)
    out, rep = convert_cvt_state_dict(official, source='official', return_report=True)
    assert rep['missing'] == ['stages.0.cte.norm.weight', 'stages.1.blocks.0.mlp.fc2.bias']
    assert rep['unexpected'] == ['module.stage0.pos_embed', 'module.something.else']
    assert 'stages.0.blocks.0.attn.proj_q.weight' in out
    with pytest.raises(KeyError, match='missing'):
        convert_cvt_state_dict(official, source='official', strict=True)
    # a plain call still returns the converted dict (and logs the warnings)
    assert isinstance(convert_cvt_state_dict(official, source='official'), dict)


def test_missing_weights_file_is_a_clear_error(tmp_path):
    from satracker.utils.cvt_converter import load_state_dict_file
    with pytest.raises(FileNotFoundError, match='never downloaded'):
        load_state_dict_file(str(tmp_path / 'cvt21.pth'))


def test_bad_source():
    with pytest.raises(ValueError, match='source'):
        convert_cvt_state_dict({}, source='timm')
    with pytest.raises(ValueError, match='neither'):
        detect_cvt_source({'foo.bar': torch.zeros(1)})


def test_cvt2slb_tool(repo_root, tmp_path):
    official = to_official(hf_classifier().state_dict())
    src, dst = tmp_path / 'cvt.pth', tmp_path / 'out' / 'slb.pth'
    torch.save(official, src)
    done = subprocess.run(
        [sys.executable, 'tools/model_converters/cvt2slb.py',
         str(src), str(dst)],
        cwd=repo_root,
        capture_output=True,
        text=True,
        timeout=300)
    assert done.returncode == 0, done.stderr
    assert 'source format: official' in done.stdout and 'dropped: 5' in done.stdout
    assert 'missing: 0' in done.stdout and 'unexpected: 0' in done.stdout
    out = torch.load(dst, weights_only=True)
    expected = convert_cvt_state_dict(official, source='official')
    assert list(out) == list(expected)


def test_cvt2slb_strict_refuses_incomplete(repo_root, tmp_path, monkeypatch, capsys):
    import runpy
    official = to_official(hf_classifier().state_dict())
    del official['stage2.blocks.2.norm2.bias']
    src, dst = tmp_path / 'cvt.pth', tmp_path / 'slb.pth'
    torch.save(official, src)
    tool = runpy.run_path(osp.join(repo_root, 'tools/model_converters/cvt2slb.py'))
    monkeypatch.setattr(sys, 'argv', ['cvt2slb.py', str(src), str(dst), '--strict'])
    assert tool['main']() == 2
    assert 'stages.2.blocks.2.norm2.bias' in capsys.readouterr().out
    assert not osp.isfile(dst)
    monkeypatch.setattr(sys, 'argv', ['cvt2slb.py', str(src), str(dst)])
    assert tool['main']() == 0 and osp.isfile(dst)
