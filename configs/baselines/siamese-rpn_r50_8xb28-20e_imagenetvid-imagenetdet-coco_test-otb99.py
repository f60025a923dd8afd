# MMTracking's SiamRPN++ (ResNet-50, trained on ImageNet VID, ImageNet DET and COCO) on the
# OTB99-Lang test split with VLSOTMetric, scored as SATracker's
# configs/satracker/satracker_cvt21-bert_2xb8-200e_tnl2k-otb99-lasot_test-otb99.py is. Test
# settings: MMTracking's published OTB100 ones, the nearest benchmark (OTB99-Lang is OTB100 with
# sentences)
# (mmtrack::sot/siamese_rpn/siamese-rpn_r50_8xb16-20e_imagenetvid-imagenetdet-coco_test-otb100.py:
# penalty_k 0.4, window influence 0.5, lr 0.4), not tuned on any test data. Only the test settings
# come from that config; its training changes (GrayAug, batch 16) are not repeated, as this config
# only tests. Weights: MMTracking's OTB100 checkpoint
# siamese_rpn_r50_20e_otb100_20220421_144232-6b8f1730.pth (URL in configs/baselines/README.md). A
# test-only config: to train, run MMTracking's own config through tools/train.py.
#   python tools/test.py THIS_FILE --checkpoint CKPT
_base_ = [
    'mmtrack::sot/siamese_rpn/siamese-rpn_r50_8xb28-20e_imagenetvid-imagenetdet-coco_base.py',
    './_base_/vl_test_otb99_lang.py'
]

model = dict(test_cfg=dict(rpn=dict(penalty_k=0.4, window_influence=0.5, lr=0.4)))
