# The TNL2K test split (700 videos) for MMTracking's vision-only baselines in configs/baselines/:
# the dataset and evaluator of configs/_base_/datasets/tnl2k.py, with a test pipeline without the
# tokenizer (STARK and SiamRPN++ ignore the sentence). A separate file because MMTracking's
# configs define `data_root` as well and mmengine refuses a key that two bases define;
# tests/test_baseline_configs.py checks that it stays in step with tnl2k.py.
custom_imports = dict(imports=['satracker'], allow_failed_imports=False)

baseline_test_pipeline = [
    dict(type='LoadTrackImageFromFile'),
    dict(type='LoadTrackAnnotations', with_instance_id=False),
    # SATracker's packer keeps the dataset's video name, which names the result files
    dict(type='PackVLTrackInputs', pack_single_img=True)
]

val_dataloader = dict(
    batch_size=1,
    num_workers=2,
    persistent_workers=True,
    drop_last=False,
    sampler=dict(type='VideoSampler'),
    dataset=dict(
        type='TNL2KDataset',
        data_root='data/TNL2K/',
        ann_file='annotations/tnl2k_test_infos.txt',
        data_prefix=dict(img_path=''),
        pipeline=baseline_test_pipeline,
        test_mode=True))
test_dataloader = val_dataloader

val_evaluator = dict(type='VLSOTMetric')
test_evaluator = val_evaluator

# MMTracking's configs take their loops from their dataset bases, which these replace.
val_cfg = dict(type='ValLoop')
test_cfg = dict(type='TestLoop')
