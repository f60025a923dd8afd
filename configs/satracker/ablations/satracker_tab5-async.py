# Table 5 'asynchronous': the full BERT runs once on the sentence and every SAM starts from its
# output (SAM updates still chain from stage to stage).
# Everything else (data, schedule, phase-1 weights, TNL2K test) is the main recipe's.
_base_ = ['../../satracker_tnl2k.py']

model = dict(backbone=dict(text_encoder=dict(mode='async')))
