# Phase 1 training data (paper 4.1: "follows STARK"; docs/training.md): STARK-ST1's mixture of
# GOT-10k, LaSOT, TrackingNet and COCO through MMTracking's dataset classes, with
# sentences where the data has them: LaSOT's nlp.txt, "a {class}" for GOT-10k
# (meta_info.ini) and COCO (category), the empty sentence for TrackingNet (its dense
# matching loss is masked through text_valid=False). Same sampling and augmentation as
# vl_sot_train.py. Keys are disjoint from the test bases and the schedules.
# None: the tokenizer of the model's text encoder directory (filled in by the tools).
tokenizer_path = None
text_max_length = 30
got10k_data_root = 'data/GOT10k/'
lasot_data_root = 'data/LaSOT/'
trackingnet_data_root = 'data/TrackingNet/'
coco_data_root = 'data/coco/'
# Sampling weights of [GOT-10k, LaSOT, TrackingNet, COCO] (STARK: equal).
train_sampling_weights = [1, 1, 1, 1]
samples_per_epoch = 60000

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

train_dataloader = dict(
    batch_size=8,  # per GPU: 16 in total on 2 GPUs
    num_workers=4,
    persistent_workers=True,
    sampler=dict(type='QuotaSampler', samples_per_epoch=samples_per_epoch),
    dataset=dict(
        type='RandomSampleConcatDataset',
        dataset_sampling_weights=train_sampling_weights,
        datasets=[
            dict(
                type='GOT10kLangDataset',
                data_root=got10k_data_root,
                ann_file='annotations/got10k_train_vot_infos.txt',
                data_prefix=dict(img_path=''),
                pipeline=train_pipeline,
                test_mode=False),
            dict(
                type='LaSOTLangDataset',
                data_root=lasot_data_root,
                ann_file='annotations/lasot_train_infos.txt',
                data_prefix=dict(img_path='LaSOTBenchmark'),
                pipeline=train_pipeline,
                test_mode=False),
            dict(
                type='TrackingNetLangDataset',
                data_root=trackingnet_data_root,
                ann_file='annotations/trackingnet_train_infos.txt',
                data_prefix=dict(img_path=''),
                pipeline=train_pipeline,
                test_mode=False),
            dict(
                type='SOTCocoLangDataset',
                data_root=coco_data_root,
                ann_file='annotations/instances_train2017.json',
                data_prefix=dict(img_path='train2017'),
                pipeline=train_pipeline,
                test_mode=False)
        ]))
