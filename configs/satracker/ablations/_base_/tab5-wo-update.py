# Table 5 'w/o update': the SAMs do not update the text features.
# The variant's model change, in one place: its phase-1 and phase-2 configs inherit it.
_base_ = ['../../../_base_/models/satracker.py']

model = dict(backbone=dict(fusion=dict(text_update=False)))
