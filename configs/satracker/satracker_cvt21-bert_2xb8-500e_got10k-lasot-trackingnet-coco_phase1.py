# Phase 1 of the paper ("we first train our model following the procedure of STARK"):
# STARK-ST1's schedule and sampling on GOT-10k, LaSOT, TrackingNet and COCO (60 000 samples an
# epoch, 500 epochs, lr / 10 at 400), from CvT-21 ImageNet weights and a pretrained BERT.
# Sentences: LaSOT's nlp.txt, "a {class}" for GOT-10k and COCO, empty for TrackingNet (the
# dense matching loss is masked for empty sentences). Validated on LaSOT's test split.
_base_ = [
    '../_base_/default_runtime.py', '../_base_/models/satracker.py',
    '../_base_/datasets/stark_phase1_vl.py', '../_base_/datasets/lasot_lang.py',
    '../_base_/schedules/adamw_500e_stark_st1.py'
]
default_hooks = dict(checkpoint=dict(type='CheckpointHook', interval=100))
