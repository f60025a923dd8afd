# Fig. 5, SAM from stage 3: SAM in stage 3 only (0-based (2, )).
# The variant's model change, in one place: its phase-1 and phase-2 configs inherit it.
_base_ = ['../../../_base_/models/satracker.py']

model = dict(backbone=dict(sam_stages=(2, )))
