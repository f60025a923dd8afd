# Fig. 5, SAM from stage 2: SAM in stages 2 and 3 only.
# Everything else (data, schedule, phase-1 weights, TNL2K test) is the main recipe's.
_base_ = ['../../satracker_tnl2k.py']

model = dict(backbone=dict(sam_stages=(1, 2)))
