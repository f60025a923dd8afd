# Table 5 'w/o SAM': a pure visual tracker with TEM only (no SAM, no text encoder,
# so no dense matching loss);
# the same model as Table 4 ②.
# Everything else (data, schedule, phase-1 weights, TNL2K test) is the main recipe's.
_base_ = ['../../satracker_tnl2k.py']

model = dict(
    backbone=dict(sam_stages=(), text_encoder=None), head=dict(loss_dm=None))
