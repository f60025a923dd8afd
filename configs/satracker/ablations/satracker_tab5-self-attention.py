# Table 5 'self attention': TEM replaced by plain CvT self-attention (template and search do
# not attend to each other).
# Everything else (data, schedule, phase-1 weights, TNL2K test) is the main recipe's.
_base_ = ['../../satracker_tnl2k.py']

model = dict(backbone=dict(attn_mode='self'))
