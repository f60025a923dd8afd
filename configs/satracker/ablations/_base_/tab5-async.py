# Table 5 'asynchronous': the full BERT runs once on the sentence and every SAM starts
# from its output (SAM updates still chain from stage to stage).
# The variant's model change, in one place: its phase-1 and phase-2 configs inherit it.
_base_ = ['../../../_base_/models/satracker.py']

model = dict(backbone=dict(text_encoder=dict(mode='async')))
