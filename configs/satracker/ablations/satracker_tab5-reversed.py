# Table 5 'reversed': SAM before the TEM blocks in every stage.
# Everything else (data, schedule, phase-1 weights, TNL2K test) is the main recipe's.
_base_ = ['../../satracker_tnl2k.py']

model = dict(backbone=dict(sam_order='sam_first'))
