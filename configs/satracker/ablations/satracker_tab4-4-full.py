# Table 4 ④ (SATracker): TEM + SAM + dense matching loss, i.e. the paper's model unchanged.
# Everything else (data, schedule, phase-1 weights, TNL2K test) is the main recipe's.
_base_ = ['../../satracker_tnl2k.py']


