# Table 5 'self attention', phase 2 (fine-tuning, then test on TNL2K), from its own phase 1.
_base_ = [
    '../../_base_/recipes/satracker_phase2_finetune_tnl2k-otb99-lasot_test-tnl2k.py',
    './_base_/tab5-self-attention.py'
]
load_from = 'data/pretrained/satracker_tab5-self-attention_phase1.pth'
load_from_config = 'configs/satracker/ablations/satracker_tab5-self-attention_phase1.py'
model = dict(backbone=dict(init_cfg=None))  # the phase-1 checkpoint holds every weight
