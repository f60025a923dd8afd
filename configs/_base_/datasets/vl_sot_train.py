# Phase 2 training data (paper 4.1, docs/training.md): the training splits of TNL2K,
# OTB99-Lang and LaSOT (with language), mixed with configurable weights. STARK-style
# sampling: one template and one search frame at most 200 frames apart; crops at area
# factors 2 / 5 to 128 / 320; centre jitter 4.5 and scale jitter 0.5 on the search;
# brightness jitter; horizontal flip that swaps "left"/"right" in the sentence.
# (STARK's 5 % grey augmentation is left out: sentences name colours.)
# Keys are disjoint from the test bases (tnl2k.py, ...) and the schedules.
# None: the tokenizer of the model's text encoder directory (filled in by the tools).
tokenizer_path = None
text_max_length = 30
tnl2k_data_root = 'data/TNL2K/'
otb99_data_root = 'data/OTB99-Lang/'
lasot_data_root = 'data/LaSOT/'
# Sampling weights of [TNL2K, OTB99-Lang, LaSOT].
train_sampling_weights = [1, 1, 1]
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
                type='TNL2KDataset',
                data_root=tnl2k_data_root,
                ann_file='annotations/tnl2k_train_infos.txt',
                data_prefix=dict(img_path=''),
                pipeline=train_pipeline,
                test_mode=False),
            dict(
                type='OTB99LangDataset',
                data_root=otb99_data_root,
                ann_file='annotations/otb99_lang_train_infos.txt',
                data_prefix=dict(img_path=''),
                pipeline=train_pipeline,
                test_mode=False),
            dict(
                type='LaSOTLangDataset',
                data_root=lasot_data_root,
                ann_file='annotations/lasot_train_infos.txt',
                data_prefix=dict(img_path='LaSOTBenchmark'),
                pipeline=train_pipeline,
                test_mode=False)
        ]))
