# The OTB99-Lang test split (48 videos) for MMTracking's baselines, as
# configs/_base_/datasets/otb99_lang.py has it for SATracker (see vl_test.py).
_base_ = ['./vl_test.py']
val_dataloader = dict(
    dataset=dict(
        type='OTB99LangDataset',
        data_root='data/OTB99-Lang/',
        ann_file='annotations/otb99_lang_test_infos.txt'))
test_dataloader = val_dataloader
