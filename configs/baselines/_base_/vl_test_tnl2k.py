# The TNL2K test split (700 videos) for MMTracking's baselines, as
# configs/_base_/datasets/tnl2k.py has it for SATracker (see vl_test.py).
_base_ = ['./vl_test.py']
val_dataloader = dict(
    dataset=dict(
        type='TNL2KDataset', data_root='data/TNL2K/', ann_file='annotations/tnl2k_test_infos.txt'))
test_dataloader = val_dataloader
