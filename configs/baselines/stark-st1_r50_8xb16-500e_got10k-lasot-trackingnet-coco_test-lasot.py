# MMTracking's STARK-ST1 (ResNet-50, trained on GOT-10k, LaSOT, TrackingNet and COCO) on the LaSOT
# test split (the sentences unused) with VLSOTMetric, scored as SATracker's
# configs/satracker/satracker_cvt21-bert_2xb8-200e_tnl2k-otb99-lasot_test-lasot.py is. Test
# settings: MMTracking's published LaSOT ones
# (mmtrack::sot/stark/stark-st1_r50_8xb16-500e_got10k-lasot-trackingnet-coco_test-lasot.py: search
# region 5.0 x / 320 px, template 2.0 x / 128 px, 2 templates; stage 1 has no score head, so the
# second template is never updated). Weights: MMTracking's LaSOT checkpoint
# stark_st1_r50_500e_lasot_20220414_185654-9c19e39e.pth (URL in configs/baselines/README.md). A
# test-only config: to train, run MMTracking's own config through tools/train.py.
#   python tools/test.py THIS_FILE --checkpoint CKPT
_base_ = [
    'mmtrack::sot/stark/stark-st1_r50_8xb16-500e_got10k-lasot-trackingnet-coco_base.py',
    './_base_/vl_test_lasot_lang.py'
]
