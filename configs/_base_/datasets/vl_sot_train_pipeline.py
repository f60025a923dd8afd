# What every vision-language training set shares: the training pipeline (paper 4.1,
# docs/training.md). STARK-style sampling: one template and one search frame at most 200 frames
# apart; crops at area factors 2 / 5 to 128 / 320; centre jitter 4.5 and scale jitter 0.5 on
# the search; brightness jitter; horizontal flip that swaps "left"/"right" in the sentence.
# (STARK's 5 % grey augmentation is left out: sentences name colours.)
# The train bases (vl_sot_train.py, stark_phase1_vl.py, synthetic_vl.py) inherit it and give
# each dataset `pipeline=_base_.train_pipeline`. Its keys are disjoint from the test bases.
# None: the tokenizer of the model's text encoder directory (filled in by the tools).
tokenizer_path = None
text_max_length = 30

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
    dict(type='SeqCropLikeStarkNp2', crop_size_factor=[2, 5], output_size=[128, 320]),
    dict(
        type='TransformBroadcaster',
        share_random_params=True,
        transforms=[dict(type='BrightnessAug', jitter_range=0.2)]),
    dict(type='CheckPadMaskValidity', stride=16),
    dict(type='TokenizeText', tokenizer_path=tokenizer_path, max_length=text_max_length),
    dict(type='PackVLTrackInputs', ref_prefix='search', num_template_frames=1)
]
