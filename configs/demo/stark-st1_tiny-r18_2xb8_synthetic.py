# A tiny MMTracking STARK-ST1 (ResNet-18 to layer 3, one encoder and one decoder layer,
# width 64, random init) on the demo's synthetic data with the demo's budget. STARK is
# vision-only: it ignores the sentence the pipeline carries.
_base_ = ['./_base_/demo_synthetic.py']

embed_dims = 64
stark_attn = dict(
    type='MultiheadAttention',
    embed_dims=embed_dims,
    num_heads=4,
    attn_drop=0.1,
    dropout_layer=dict(type='Dropout', drop_prob=0.1))
stark_ffn = dict(feedforward_channels=4 * embed_dims, embed_dims=embed_dims, ffn_drop=0.1)
# MMTracking's STARK-ST1 (mmtrack::sot/stark/stark-st1_r50_8xb16-500e_got10k-lasot-
# trackingnet-coco_base.py) with ResNet-50 -> ResNet-18 (layer 3: 256 channels, stride 16),
# 6+6 -> 1+1 transformer layers, width 256 -> 64, and random init (no torchvision weights).
model = dict(
    type='Stark',
    data_preprocessor=dict(
        type='TrackDataPreprocessor',
        mean=[123.675, 116.28, 103.53],
        std=[58.395, 57.12, 57.375],
        bgr_to_rgb=True),
    backbone=dict(
        type='mmdet.ResNet',
        depth=18,
        num_stages=3,
        strides=(1, 2, 2),
        dilations=[1, 1, 1],
        out_indices=[2],
        frozen_stages=-1,
        norm_eval=False,
        norm_cfg=dict(type='BN', requires_grad=True),
        init_cfg=None),
    neck=dict(
        type='mmdet.ChannelMapper',
        in_channels=[256],
        out_channels=embed_dims,
        kernel_size=1,
        act_cfg=None),
    head=dict(
        type='StarkHead',
        num_query=1,
        transformer=dict(
            type='StarkTransformer',
            encoder=dict(
                type='mmdet.DetrTransformerEncoder',
                num_layers=1,
                transformerlayers=dict(
                    type='BaseTransformerLayer',
                    attn_cfgs=[stark_attn],
                    ffn_cfgs=stark_ffn,
                    operation_order=('self_attn', 'norm', 'ffn', 'norm'))),
            decoder=dict(
                type='mmdet.DetrTransformerDecoder',
                return_intermediate=False,
                num_layers=1,
                transformerlayers=dict(
                    type='BaseTransformerLayer',
                    attn_cfgs=stark_attn,
                    ffn_cfgs=stark_ffn,
                    operation_order=('self_attn', 'norm', 'cross_attn', 'norm', 'ffn', 'norm')))),
        positional_encoding=dict(
            type='mmdet.SinePositionalEncoding', num_feats=embed_dims // 2, normalize=True),
        bbox_head=dict(
            type='CornerPredictorHead',
            inplanes=embed_dims,
            channel=embed_dims,
            feat_size=10,  # search_size // 16
            stride=16),
        loss_bbox=dict(type='mmdet.L1Loss', loss_weight=5.0),
        loss_iou=dict(type='mmdet.GIoULoss', loss_weight=2.0)),
    test_cfg=dict(
        search_factor=5.0,
        search_size=160,  # the demo base's search_size
        template_factor=2.0,
        template_size=64,
        num_templates=2))

# STARK's own sampling (two templates) and packing, at the demo's crop sizes.
train_pipeline = [
    dict(
        type='TridentSampling',
        num_search_frames=1,
        num_template_frames=2,
        max_frame_range=[200],
        cls_pos_prob=0.5,
        train_cls_head=False),
    dict(
        type='TransformBroadcaster',
        share_random_params=True,
        transforms=[
            dict(type='LoadTrackImageFromFile'),
            dict(type='LoadTrackAnnotations', with_instance_id=False),
            dict(type='GrayAug', prob=0.05),
            dict(type='RandomFlip', prob=0.5, direction='horizontal')
        ]),
    # the demo base's milder jitter (demo_center_jitter 1.5, demo_scale_jitter 0.25)
    dict(
        type='SeqBboxJitter',
        center_jitter_factor=[0, 0, 1.5],
        scale_jitter_factor=[0, 0, 0.25],
        crop_size_factor=[2, 2, 5]),
    dict(type='SeqCropLikeStarkNp2', crop_size_factor=[2, 2, 5], output_size=[64, 64, 160]),
    # the demo base's grey templates (both of STARK's templates, together)
    dict(type='TemplateGrayAug', prob={{_base_.demo_template_gray_prob}}, num_template_frames=2),
    dict(
        type='TransformBroadcaster',
        share_random_params=True,
        transforms=[dict(type='BrightnessAug', jitter_range=0.2)]),
    dict(type='CheckPadMaskValidity', stride=16),
    dict(type='PackTrackInputs', ref_prefix='search', num_template_frames=2)
]
train_dataloader = dict(dataset=dict(pipeline=train_pipeline))
