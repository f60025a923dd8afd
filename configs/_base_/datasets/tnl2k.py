# TNL2K test split (700 videos) for validation and testing.
# Prepare: docs/dataset_prepare.md (tools/dataset_converters/tnl2k/gen_tnl2k_infos.py).
# Loader, test pipeline and metric: vl_sot_test_pipeline.py. Keys are disjoint from the train
# bases (vl_sot_train.py, stark_phase1_vl.py) and from the schedules (which hold val_cfg /
# test_cfg), so a config can inherit one of each.
_base_ = ['./vl_sot_test_pipeline.py']
dataset_type = 'TNL2KDataset'
data_root = 'data/TNL2K/'

val_dataloader = dict(
    dataset=dict(
        type=dataset_type, data_root=data_root, ann_file='annotations/tnl2k_test_infos.txt'))
test_dataloader = val_dataloader
