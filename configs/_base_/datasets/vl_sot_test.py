# What every vision-language test split shares: one video at a time (VideoSampler, batch 1),
# VLSOTMetric (pytracking protocol). vl_sot_test_pipeline.py adds SATracker's test pipeline
# (for tnl2k.py, otb99_lang.py, lasot_lang.py and synthetic_vl.py), configs/baselines/_base_/
# vl_test.py a vision-only one; a test base then adds its dataset's type, root and info file to
# val_dataloader.dataset and repeats `test_dataloader = val_dataloader`.
val_dataloader = dict(
    batch_size=1,
    num_workers=2,
    persistent_workers=True,
    drop_last=False,
    sampler=dict(type='VideoSampler'),
    dataset=dict(data_prefix=dict(img_path=''), test_mode=True))
test_dataloader = val_dataloader

val_evaluator = dict(type='VLSOTMetric')
test_evaluator = val_evaluator
