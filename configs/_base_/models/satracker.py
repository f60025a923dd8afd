# SATracker, the paper's model (paper Tab. 1; docs/model.md): CvT-21 sizes, BERT-base split
# [layer0] [layer1:4] [layer5:11], TEM (asymmetric attention) + SAM in all three stages,
# plain corner head, loss 2 * GIoU + 5 * L1 + 1 * DM; template 128, search 320, 30 tokens.
# Pretrained weights are local files only (nothing is downloaded): point these two paths at
# a HuggingFace bert-base-uncased directory and at CvT-21 ImageNet weights converted with
# `tools/model_converters/cvt2slb.py` (or override them with --cfg-options).
text_encoder_path = 'data/pretrained/bert-base-uncased'
cvt_checkpoint = 'data/pretrained/cvt-21-slb.pth'

model = dict(
    type='SATracker',
    data_preprocessor=dict(
        type='VLTrackDataPreprocessor',
        mean=[123.675, 116.28, 103.53],
        std=[58.395, 57.12, 57.375],
        bgr_to_rgb=True),
    backbone=dict(
        type='SynchronousLearningBackbone',
        embed_dims=(64, 192, 384),
        depths=(1, 4, 16),
        num_heads=(1, 3, 6),
        patch_sizes=(7, 3, 3),
        patch_strides=(4, 2, 2),
        patch_paddings=(2, 1, 1),
        mlp_ratio=4.0,
        kv_stride=2,
        drop_path_rate=(0., 0., 0.1),  # CvT-21's, per stage
        act_cfg=dict(type='QuickGELU'),
        attn_mode='asymmetric',
        sam_stages=(0, 1, 2),
        sam_order='tem_first',
        # Any registered module with the fusion interface (docs/model.md) can go here.
        fusion=dict(type='SemanticAwareModule', text_update=True),
        text_encoder=dict(
            type='StagedBertEncoder',
            pretrained=text_encoder_path,
            layer_split=(1, 4, 7),
            mode='sync'),
        init_cfg=dict(type='Pretrained', checkpoint=cvt_checkpoint)),
    head=dict(
        type='SATrackerHead',
        bbox_head=dict(
            type='CornerPredictorHead', inplanes=384, channel=256, feat_size=20, stride=16),
        loss_bbox=dict(type='mmdet.L1Loss', loss_weight=5.0),
        loss_iou=dict(type='mmdet.GIoULoss', loss_weight=2.0),
        loss_dm=dict(
            type='DenseMatchingLoss',
            upsample_size=(40, 40),
            temperature=0.07,
            reduction='mean',
            loss_weight=1.0),
        text_dims=768),
    test_cfg=dict(
        template_factor=2.0,
        template_size=128,
        search_factor=5.0,
        search_size=320,
        use_cache=True,
        with_score_map=False))
