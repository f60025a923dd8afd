# Table 5 'even-split', phase 1 (STARK-ST1's recipe) with the variant's own model.
_base_ = [
    '../../_base_/recipes/satracker_phase1_stark-st1_got10k-lasot-trackingnet-coco.py',
    './_base_/tab5-even-split.py'
]
