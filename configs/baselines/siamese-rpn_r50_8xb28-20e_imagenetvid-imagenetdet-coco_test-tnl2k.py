# MMTracking's SiamRPN++ (ResNet-50, trained on ImageNet VID, ImageNet DET and COCO) on the TNL2K
# test split with VLSOTMetric, scored as SATracker's
# configs/satracker/satracker_cvt21-bert_2xb8-200e_tnl2k-otb99-lasot_test-tnl2k.py is. Test
# settings: MMTracking's published LaSOT ones, the nearest benchmark with published settings (long
# videos, many classes)
# (mmtrack::sot/siamese_rpn/siamese-rpn_r50_8xb28-20e_imagenetvid-imagenetdet-coco_test-lasot.py:
# penalty_k 0.05, window influence 0.42, lr 0.38), not tuned on any test data. Weights:
# MMTracking's LaSOT checkpoint siamese_rpn_r50_20e_lasot_20220420_181845-dd0f151e.pth (URL in
# configs/baselines/README.md). A test-only config: to train, run MMTracking's own config through
# tools/train.py.
#   python tools/test.py THIS_FILE --checkpoint CKPT
_base_ = [
    'mmtrack::sot/siamese_rpn/siamese-rpn_r50_8xb28-20e_imagenetvid-imagenetdet-coco_base.py',
    './_base_/vl_test_tnl2k.py'
]
