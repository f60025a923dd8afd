# Phase 1 of the paper ("we first train our model following the procedure of STARK"),
# everything but the model: STARK-ST1's schedule and sampling on GOT-10k, LaSOT, TrackingNet
# and COCO (60 000 samples an epoch, 500 epochs, lr / 10 at 400), validated on LaSOT's test
# split. Sentences: LaSOT's nlp.txt, "a {class}" for GOT-10k and COCO, empty for TrackingNet
# (the dense matching loss is masked for empty sentences). See docs/training.md.
# A phase-1 config adds a model: _base_ = [THIS_FILE, MODEL_FILE].
_base_ = [
    '../default_runtime.py', '../datasets/stark_phase1_vl.py', '../datasets/lasot_lang.py',
    '../schedules/adamw_500e_stark_st1.py'
]
default_hooks = dict(checkpoint=dict(type='AtomicCheckpointHook', interval=100))
