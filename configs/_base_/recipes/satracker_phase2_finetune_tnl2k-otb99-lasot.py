# Phase 2 of the paper (fine-tuning), everything but the model and the test data: the
# training splits of TNL2K, OTB99-Lang and LaSOT with language; 200 epochs, lr / 10 after
# epoch 160; AdamW, wd 1e-4; lr 1e-5 for the whole backbone and 1e-4 for the head; batch 8
# per GPU x 2 GPUs = 16. See docs/training.md.
# A phase-2 config adds a model, load_from (its own phase-1 checkpoint) and test data.
_base_ = [
    '../default_runtime.py', '../datasets/vl_sot_train.py', '../schedules/adamw_200e_finetune.py'
]
