# Table 5 'even-split': BERT's 12 layers split 4 / 4 / 4 over the three stages.
# Everything else (data, schedule, phase-1 weights, TNL2K test) is the main recipe's.
_base_ = ['../../satracker_tnl2k.py']

model = dict(backbone=dict(text_encoder=dict(layer_split=(4, 4, 4))))
