# Table 4 (1) baseline: plain CvT (self-attention only), no SAM, TransT's ECA + CFA fusion
# as the neck, corner head, no dense matching loss, no text encoder (a purely visual tracker).
# The variant's model change, in one place: its phase-1 and phase-2 configs inherit it.
_base_ = ['../../../_base_/models/satracker.py']

# yapf: disable
model = dict(
    backbone=dict(attn_mode='self', sam_stages=(), text_encoder=None),
    neck=dict(
        type='TransTFusionNeck', in_channels=384, embed_dims=256, num_heads=8, num_layers=4,
        feedforward_channels=2048, dropout=0.1),
    head=dict(bbox_head=dict(inplanes=256), loss_dm=None))
# yapf: enable
