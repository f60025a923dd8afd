# Table 5 'symmetrical': template queries also attend to the search (nothing can be cached:
# the tracker runs the full forward on every frame).
# Everything else (data, schedule, phase-1 weights, TNL2K test) is the main recipe's.
_base_ = ['../../satracker_tnl2k.py']

model = dict(backbone=dict(attn_mode='symmetric'))
