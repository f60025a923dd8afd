# Table 5 'symmetrical': template queries also attend to the search (nothing can be
# cached: the tracker runs the full forward on every frame).
# The variant's model change, in one place: its phase-1 and phase-2 configs inherit it.
_base_ = ['../../../_base_/models/satracker.py']

model = dict(backbone=dict(attn_mode='symmetric'))
