# Table 5 'reversed': SAM before the TEM blocks in every stage.
# The variant's model change, in one place: its phase-1 and phase-2 configs inherit it.
_base_ = ['../../../_base_/models/satracker.py']

model = dict(backbone=dict(sam_order='sam_first'))
