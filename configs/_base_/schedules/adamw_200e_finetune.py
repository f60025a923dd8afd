# Phase 2 of the paper (4.1): 200 epochs, lr / 10 after epoch 160, AdamW (the paper says ADAM
# with weight decay 1e-4; STARK, whose procedure it follows, uses AdamW), lr 1e-5 for the whole
# backbone (CvT part, BERT, TEM, SAM) and 1e-4 for the prediction head (corner head and the
# dense-matching projection), gradient clipping 0.1 as STARK.
train_cfg = dict(type='EpochBasedTrainLoop', max_epochs=200, val_begin=10, val_interval=10)
val_cfg = dict(type='ValLoop')
test_cfg = dict(type='TestLoop')

optim_wrapper = dict(
    type='OptimWrapper',
    optimizer=dict(type='AdamW', lr=1e-4, weight_decay=1e-4),
    clip_grad=dict(max_norm=0.1, norm_type=2),
    paramwise_cfg=dict(custom_keys=dict(backbone=dict(lr_mult=0.1))))

param_scheduler = dict(type='MultiStepLR', milestones=[160], gamma=0.1, by_epoch=True)

# 16 in total: 8 per GPU on 2 GPUs. `--auto-scale-lr` rescales for another total.
auto_scale_lr = dict(enable=False, base_batch_size=16)
