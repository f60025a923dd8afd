# Fig. 5, SAM from stage 3, phase 2 (fine-tuning, then test on TNL2K), from its own phase 1.
_base_ = [
    '../../_base_/recipes/satracker_phase2_finetune_tnl2k-otb99-lasot_test-tnl2k.py',
    './_base_/fig5-sam-from-stage3.py'
]
load_from = 'data/pretrained/satracker_fig5-sam-from-stage3_phase1.pth'
load_from_config = 'configs/satracker/ablations/satracker_fig5-sam-from-stage3_phase1.py'
model = dict(backbone=dict(init_cfg=None))  # the phase-1 checkpoint holds every weight
