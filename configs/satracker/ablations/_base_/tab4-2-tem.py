# Table 4 (2) w/ TEM: asymmetric TEM, no SAM, no neck, no dense matching loss, no text
# encoder (nothing would use it). The same model as Table 5 'w/o SAM'.
# The variant's model change, in one place: its phase-1 and phase-2 configs inherit it.
_base_ = ['../../../_base_/models/satracker.py']

model = dict(backbone=dict(sam_stages=(), text_encoder=None), head=dict(loss_dm=None))
