# Phase 2 (fine-tuning on TNL2K + OTB99-Lang + LaSOT), validated and tested on TNL2K's test
# split: everything but the model and load_from. The ablations' phase-2 configs use it.
_base_ = ['./satracker_phase2_finetune_tnl2k-otb99-lasot.py', '../datasets/tnl2k.py']
