# Fig. 5, SAM from stage 1: SAM in stages 1, 2, 3 (0-based (0, 1, 2)), i.e. the paper's model.
# Everything else (data, schedule, phase-1 weights, TNL2K test) is the main recipe's.
_base_ = ['../../satracker_tnl2k.py']

model = dict(backbone=dict(sam_stages=(0, 1, 2)))
