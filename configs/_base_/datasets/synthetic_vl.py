# The synthetic VL set (TNL2K layout) for the demo and the tests: training on its train
# split, validation / testing on its test split. Generate it with
#   python tools/dataset_converters/make_synthetic_vl.py --out data/synthetic_vl \
#       --train-videos 16 --test-videos 4 --frames 60 --seed 0
# which also writes the info files (data/synthetic_vl/annotations/). This base holds
# train and test keys: use it instead of vl_sot_train.py + a test base.
dataset_type = 'TNL2KDataset'
data_root = 'data/synthetic_vl/'
# None: the tokenizer of the model's text encoder directory (filled in by the tools).
tokenizer_path = None
text_max_length = 30
samples_per_epoch = 64

train_pipeline = [
    dict(type='VLPairSampling', max_frame_range=200, min_valid_frames=5),
    dict(
        type='TransformBroadcaster',
        share_random_params=True,
        transforms=[
            dict(type='LoadTrackImageFromFile'),
            dict(type='LoadTrackAnnotations', with_instance_id=False),
            dict(type='VLRandomFlip', prob=0.5, direction='horizontal')
        ]),
    dict(type='CheckBboxInImage', min_inside_ratio=0.5),
    dict(
        type='SeqBboxJitter',
        center_jitter_factor=[0, 4.5],
        scale_jitter_factor=[0, 0.5],
        crop_size_factor=[2, 5]),
    dict(
        type='SeqCropLikeStarkNp2',
        crop_size_factor=[2, 5],
        output_size=[128, 320]),
    dict(
        type='TransformBroadcaster',
        share_random_params=True,
        transforms=[dict(type='BrightnessAug', jitter_range=0.2)]),
    dict(type='CheckPadMaskValidity', stride=16),
    dict(
        type='TokenizeText',
        tokenizer_path=tokenizer_path,
        max_length=text_max_length),
    dict(type='PackVLTrackInputs', ref_prefix='search', num_template_frames=1)
]

test_pipeline = [
    dict(type='LoadTrackImageFromFile'),
    dict(type='LoadTrackAnnotations', with_instance_id=False),
    dict(
        type='TokenizeText',
        tokenizer_path=tokenizer_path,
        max_length=text_max_length),
    dict(type='PackVLTrackInputs', pack_single_img=True)
]

train_dataloader = dict(
    batch_size=4,
    num_workers=2,
    persistent_workers=True,
    sampler=dict(type='QuotaSampler', samples_per_epoch=samples_per_epoch),
    dataset=dict(
        type=dataset_type,
        data_root=data_root,
        ann_file='annotations/tnl2k_train_infos.txt',
        data_prefix=dict(img_path=''),
        pipeline=train_pipeline,
        test_mode=False))

val_dataloader = dict(
    batch_size=1,
    num_workers=2,
    persistent_workers=True,
    drop_last=False,
    sampler=dict(type='VideoSampler'),
    dataset=dict(
        type=dataset_type,
        data_root=data_root,
        ann_file='annotations/tnl2k_test_infos.txt',
        data_prefix=dict(img_path=''),
        pipeline=test_pipeline,
        test_mode=True))
test_dataloader = val_dataloader

val_evaluator = dict(type='VLSOTMetric')
test_evaluator = val_evaluator
