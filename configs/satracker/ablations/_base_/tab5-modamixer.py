# Table 5 'ModaMixer': SAM's fusion replaced by VLTTT's ModaMixer.
# The variant's model change, in one place: its phase-1 and phase-2 configs inherit it.
_base_ = ['../../../_base_/models/satracker.py']

model = dict(backbone=dict(fusion=dict(_delete_=True, type='ModaMixer')))
