# Table 5 'ModaMixer': SAM's fusion replaced by VLTTT's ModaMixer.
# Everything else (data, schedule, phase-1 weights, TNL2K test) is the main recipe's.
_base_ = ['../../satracker_tnl2k.py']

model = dict(backbone=dict(fusion='modamixer'))
