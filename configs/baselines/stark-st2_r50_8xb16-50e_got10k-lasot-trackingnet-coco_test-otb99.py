# MMTracking's STARK-ST2 (ResNet-50, trained on GOT-10k, LaSOT, TrackingNet and COCO) on the
# OTB99-Lang test split with VLSOTMetric, scored as SATracker's
# configs/satracker/satracker_cvt21-bert_2xb8-200e_tnl2k-otb99-lasot_test-otb99.py is. Test
# settings: MMTracking's published LaSOT ones
# (mmtrack::sot/stark/stark-st2_r50_8xb16-50e_got10k-lasot-trackingnet-coco_test-lasot.py: search
# region 5.0 x / 320 px, template 2.0 x / 128 px, 2 templates, the second one updated every 300
# frames when the score exceeds 0.5). Weights: MMTracking's LaSOT checkpoint
# stark_st2_r50_50e_lasot_20220416_170201-b1484149.pth (URL in configs/baselines/README.md). A
# test-only config: to train, run MMTracking's own config through tools/train.py.
#   python tools/test.py THIS_FILE --checkpoint CKPT
_base_ = [
    'mmtrack::sot/stark/stark-st2_r50_8xb16-50e_got10k-lasot-trackingnet-coco_base.py',
    './_base_/vl_test_otb99_lang.py'
]

model = dict(test_cfg=dict(update_intervals=[300]))
