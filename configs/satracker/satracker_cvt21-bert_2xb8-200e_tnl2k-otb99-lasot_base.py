# The primitive SATracker config (paper 4.1, DESIGN §5): the paper's model fine-tuned ("phase 2")
# on the training splits of TNL2K, OTB99-Lang and LaSOT with language; 200 epochs, lr / 10 after
# epoch 160; AdamW, wd 1e-4; lr 1e-5 for the whole backbone (CvT part, BERT, TEM, SAM) and 1e-4
# for the head (corner head + dense-matching projection); batch 8 per GPU x 2 GPUs = 16.
# It defines no val/test data: configs/satracker_tnl2k.py and the _test-* children add those.
_base_ = [
    '../_base_/default_runtime.py', '../_base_/models/satracker.py',
    '../_base_/datasets/vl_sot_train.py', '../_base_/schedules/adamw_200e_finetune.py'
]

# Phase 1 ("follows STARK", satracker_cvt21-bert_2xb8-500e_got10k-lasot-trackingnet-coco_
# phase1.py) gives the starting weights: publish that run's last checkpoint weights-only
#   python tools/misc/publish_model.py work_dirs/<phase1>/epoch_500.pth \
#       data/pretrained/satracker_phase1.pth --trust-checkpoint
# and put the printed file here (or --cfg-options load_from=PATH). A missing file stops the
# run with its name.
load_from = 'data/pretrained/satracker_phase1.pth'

# CvT-21 ImageNet weights are not needed on top of the phase-1 checkpoint.
model = dict(backbone=dict(init_cfg=None))
