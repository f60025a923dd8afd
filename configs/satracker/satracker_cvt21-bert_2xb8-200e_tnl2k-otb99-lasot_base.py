# The primitive SATracker config (paper 4.1, docs/training.md): the paper's model fine-tuned
# ("phase 2") on the training splits of TNL2K, OTB99-Lang and LaSOT with language; 200 epochs,
# lr / 10 after epoch 160; AdamW, wd 1e-4; lr 1e-5 for the whole backbone (CvT part, BERT,
# TEM, SAM) and 1e-4 for the head (corner head + dense-matching projection); batch 8 per GPU
# x 2 GPUs = 16. It defines no val/test data: configs/satracker_tnl2k.py and the _test-*
# children add those.
_base_ = [
    '../_base_/recipes/satracker_phase2_finetune_tnl2k-otb99-lasot.py',
    '../_base_/models/satracker.py'
]

# Phase 2 starts from phase 1's weights: the published last checkpoint of load_from_config
#   tools/dist_train.sh configs/satracker/satracker_cvt21-bert_2xb8-500e_got10k-lasot-\
#       trackingnet-coco_phase1.py 2
#   python tools/misc/publish_model.py work_dirs/satracker_cvt21-bert_2xb8-500e_got10k-lasot-\
#       trackingnet-coco_phase1 data/pretrained/satracker_phase1.pth --trust-checkpoint --no-hash
# (or --cfg-options load_from=PATH). A missing file stops the run with these commands.
load_from = 'data/pretrained/satracker_phase1.pth'
load_from_config = ('configs/satracker/'
                    'satracker_cvt21-bert_2xb8-500e_got10k-lasot-trackingnet-coco_phase1.py')
# CvT-21 ImageNet weights are not needed on top of the phase-1 checkpoint.
model = dict(backbone=dict(init_cfg=None))
