# Fig. 5, SAM from stage 2: SAM in stages 2 and 3 only (0-based (1, 2)).
# The variant's model change, in one place: its phase-1 and phase-2 configs inherit it.
_base_ = ['../../../_base_/models/satracker.py']

model = dict(backbone=dict(sam_stages=(1, 2)))
