# Table 4 (1) baseline, phase 1 (STARK-ST1's recipe) with the variant's own model.
_base_ = [
    '../../_base_/recipes/satracker_phase1_stark-st1_got10k-lasot-trackingnet-coco.py',
    './_base_/tab4-1-baseline.py'
]
