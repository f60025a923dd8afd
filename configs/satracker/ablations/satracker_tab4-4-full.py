# Table 4 (4) SATracker: TEM + SAM + dense matching loss: the paper's model, so this variant
# shares its phase 1 and phase 2 (same model, same phase-1 checkpoint).
_base_ = ['../../satracker_tnl2k.py']
