# The demo's vision-only ablation (paper Table 5 "w/o SAM"): the same tiny SATracker and
# budget with no Semantic Aware Module, so the sentence never reaches the search features.
# The dense matching loss still trains the text side (as in the paper's "w/o SAM" row).
_base_ = ['./satracker_tiny-minilm_2xb8_synthetic.py']

model = dict(backbone=dict(sam_stages=()))
