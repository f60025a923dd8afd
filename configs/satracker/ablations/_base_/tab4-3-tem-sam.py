# Table 4 (3) w/o DM: TEM + SAM, trained without the dense matching loss.
# The variant's model change, in one place: its phase-1 and phase-2 configs inherit it.
_base_ = ['../../../_base_/models/satracker.py']

model = dict(head=dict(loss_dm=None))
