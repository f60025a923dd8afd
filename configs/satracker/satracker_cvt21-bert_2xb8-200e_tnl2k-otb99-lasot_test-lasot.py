# Test the fine-tuned SATracker on the LaSOT test split (VLSOTMetric, pytracking protocol,
# LaSOT visibility rule).
# tools/test.py THIS_FILE --checkpoint CKPT   (or tools/dist_test.sh THIS_FILE 2 --checkpoint CKPT)
_base_ = [
    '../_base_/datasets/lasot_lang.py', './satracker_cvt21-bert_2xb8-200e_tnl2k-otb99-lasot_base.py'
]
