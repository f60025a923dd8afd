# What MMTracking's vision-only baselines in configs/baselines/ share on every vision-language
# test split: the loader and metric of configs/_base_/datasets/vl_sot_test.py (SATracker's), a
# test pipeline without the tokenizer (STARK and SiamRPN++ ignore the sentence), and the loops
# that MMTracking's configs take from the dataset bases these replace. vl_test_<split>.py add
# the split's dataset (kept separate from configs/_base_/datasets/<split>.py, which brings
# SATracker's `test_pipeline` and a `data_root` that MMTracking's base configs define too:
# mmengine refuses a key that two bases define; tests/test_baseline_configs.py checks that the
# two stay in step).
_base_ = ['../../_base_/datasets/vl_sot_test.py']
custom_imports = dict(imports=['satracker'], allow_failed_imports=False)

baseline_test_pipeline = [
    dict(type='LoadTrackImageFromFile'),
    dict(type='LoadTrackAnnotations', with_instance_id=False),
    # SATracker's packer keeps the dataset's video name, which names the result files
    dict(type='PackVLTrackInputs', pack_single_img=True)
]
val_dataloader = dict(dataset=dict(pipeline=baseline_test_pipeline))
test_dataloader = val_dataloader

val_cfg = dict(type='ValLoop')
test_cfg = dict(type='TestLoop')
