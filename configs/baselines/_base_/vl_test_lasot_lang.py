# The LaSOT test split (280 videos; not-visible frames count as misses, as in LaSOT) for
# MMTracking's baselines, as configs/_base_/datasets/lasot_lang.py has it for SATracker.
_base_ = ['./vl_test.py']
val_dataloader = dict(
    dataset=dict(
        type='LaSOTLangDataset',
        data_root='data/LaSOT/',
        ann_file='annotations/lasot_test_infos.txt',
        data_prefix=dict(img_path='LaSOTBenchmark')))
test_dataloader = val_dataloader
val_evaluator = dict(use_visibility=True)
test_evaluator = val_evaluator
