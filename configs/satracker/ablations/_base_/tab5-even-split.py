# Table 5 'even-split': BERT's 12 layers split 4 / 4 / 4 over the three stages.
# The variant's model change, in one place: its phase-1 and phase-2 configs inherit it.
_base_ = ['../../../_base_/models/satracker.py']

model = dict(backbone=dict(text_encoder=dict(layer_split=(4, 4, 4))))
