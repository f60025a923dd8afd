# Phase 1 "follows STARK" (docs/training.md): STARK-ST1's schedule, 500 epochs, lr / 10 at
# 400, AdamW
# (lr 1e-4 head, 1e-5 backbone, wd 1e-4), gradient clipping 0.1.
_base_ = ['./adamw_200e_finetune.py']

train_cfg = dict(max_epochs=500, val_begin=500, val_interval=100)
param_scheduler = dict(milestones=[400])
