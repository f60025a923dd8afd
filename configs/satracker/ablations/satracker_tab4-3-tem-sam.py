# Table 4 ③ (w/o DM): TEM + SAM, trained without the dense matching loss.
# Everything else (data, schedule, phase-1 weights, TNL2K test) is the main recipe's.
_base_ = ['../../satracker_tnl2k.py']

model = dict(head=dict(loss_dm=None))
