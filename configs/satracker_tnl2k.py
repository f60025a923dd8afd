# SATracker, the paper's model and recipe: the file to run.
#   tools/dist_train.sh configs/satracker_tnl2k.py 2       (2 GPUs, or 2 CPU processes)
# Phase-2 fine-tuning on TNL2K + OTB99-Lang + LaSOT (with language) from the phase-1 weights
# (load_from), validated on the TNL2K test split every 10 epochs. Everything is in the bases:
#   satracker/satracker_cvt21-bert_2xb8-200e_tnl2k-otb99-lasot_base.py  model, data, schedule
#   _base_/datasets/tnl2k.py                                            validation / test data
# Data and weight paths are config values (data/TNL2K, data/OTB99-Lang, data/LaSOT,
# data/pretrained/...): see docs/dataset_prepare.md, or override them with --cfg-options.
_base_ = [
    './_base_/datasets/tnl2k.py',
    './satracker/satracker_cvt21-bert_2xb8-200e_tnl2k-otb99-lasot_base.py'
]
