# Table 4 ② (w/ TEM): asymmetric TEM, no SAM (vision only), no neck, no dense matching loss;
# no text encoder (nothing would use it).
# Same model as Table 5 'w/o SAM'.
# Everything else (data, schedule, phase-1 weights, TNL2K test) is the main recipe's.
_base_ = ['../../satracker_tnl2k.py']

model = dict(
    backbone=dict(sam_stages=(), text_encoder=None), head=dict(loss_dm=None))
