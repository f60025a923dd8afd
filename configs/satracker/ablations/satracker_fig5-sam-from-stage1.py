# Fig. 5, SAM from stage 1: SAM in stages 1, 2, 3: the paper's model, so this variant
# shares its phase 1 and phase 2 (same model, same phase-1 checkpoint).
_base_ = ['../../satracker_tnl2k.py']
