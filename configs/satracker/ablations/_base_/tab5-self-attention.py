# Table 5 'self attention': TEM replaced by plain CvT self-attention (template and search
# do not attend to each other); SAM kept.
# The variant's model change, in one place: its phase-1 and phase-2 configs inherit it.
_base_ = ['../../../_base_/models/satracker.py']

model = dict(backbone=dict(attn_mode='self'))
