# What the three demo trackers share (`make demo`): the synthetic VL data in TNL2K layout
# (data/synthetic_vl, written by tools/dataset_converters/make_synthetic_vl.py), small crops
# so that a training takes ~3 minutes on 2 CPU cores, and one training budget.
_base_ = [
    '../../_base_/default_runtime.py', '../../_base_/datasets/synthetic_vl.py',
    '../../_base_/schedules/adamw_200e_finetune.py'
]

# Demo sizes (the paper: 128 / 320). Both are multiples of 16; the feature maps are 4x4 and
# 10x10, so the corner heads use feat_size = search_size // 16.
template_size = 64
search_size = 160
# The synthetic sentences have at most ~10 word pieces: 16 tokens (the paper: 30) halve the
# text encoder's cost, which dominates the tiny model's step.
text_max_length = 16
demo_center_jitter = 1.5
demo_scale_jitter = 0.25
# Our choice for the demo (all three trackers): in this share of the training pairs the
# template crop is grey, so that it does not tell the target's colour; the sentence still does.
# The demo's videos fade in from grey (tools/synthetic_benchmark.py), so at test time the first
# box shows no colour either (docs/demo.md).
demo_template_gray_prob = 0.5

# The shared pipelines (configs/_base_/datasets/vl_sot_train_pipeline.py and
# vl_sot_test_pipeline.py, through synthetic_vl.py) at the demo's sizes: smaller crops, shorter
# sentences, and a milder jitter than the paper's 4.5 / 0.5: with only 300 steps from scratch,
# the demo's trackers must first learn targets near the crop centre, which is where tracking
# puts them on the slow synthetic motion.
train_pipeline = _base_.train_pipeline
train_pipeline[3].update(  # SeqBboxJitter
    center_jitter_factor=[0, demo_center_jitter],
    scale_jitter_factor=[0, demo_scale_jitter])
train_pipeline[4].output_size = [template_size, search_size]  # SeqCropLikeStarkNp2
train_pipeline[7].max_length = text_max_length  # TokenizeText
train_pipeline.insert(5, dict(type='TemplateGrayAug', prob=demo_template_gray_prob))
test_pipeline = _base_.test_pipeline
test_pipeline[2].max_length = text_max_length  # TokenizeText

# One budget for every demo tracker: 8 samples per process and step, 2 processes,
# 15 epochs of 320 samples = 300 steps (2.3 to 3.7 minutes a training on 2 idle CPU cores).
train_dataloader = dict(
    batch_size=8,
    num_workers=1,
    persistent_workers=True,
    sampler=dict(type='QuotaSampler', samples_per_epoch=320),
    dataset=dict(pipeline=train_pipeline))
test_dataloader = dict(num_workers=1, dataset=dict(pipeline=test_pipeline))
# No validation during the demo's short trainings (tools/synthetic_benchmark.py tests every
# tracker after).
val_dataloader = None
val_evaluator = None
val_cfg = None

train_cfg = dict(max_epochs=15, val_begin=1, val_interval=1)
param_scheduler = dict(type='MultiStepLR', milestones=[12], gamma=0.1, by_epoch=True)
# From scratch (no ImageNet weights), so both lrs are those of the head in the paper.
optim_wrapper = dict(
    optimizer=dict(lr=4e-4), paramwise_cfg=dict(custom_keys=dict(backbone=dict(lr_mult=1.0))))
default_hooks = dict(
    logger=dict(type='LoggerHook', interval=10),
    checkpoint=dict(type='AtomicCheckpointHook', interval=5, max_keep_ckpts=1))
randomness = dict(seed=0)

# A few visualised test frames (GT green, prediction red, the sentence, and for SATracker the
# dense-matching map over the search crop) under <work_dir>/vis/test/<video>/.
custom_hooks = [
    dict(
        type='VLTrackVisualizationHook',
        interval=15,
        max_videos=2,
        out_dir='vis',
        use_backends=False,
        # and one GIF of the first test video (every 2nd frame): <work_dir>/vis/test/*.gif
        clip_videos=1,
        clip_format='gif')
]
