# OTB99-Lang test split (48 videos) for validation and testing.
# Prepare: docs/dataset_prepare.md (tools/dataset_converters/otb99_lang/gen_otb99_lang_infos.py).
# Loader, test pipeline and metric: vl_sot_test_pipeline.py. Keys are disjoint from the train
# bases and the schedules (see tnl2k.py).
_base_ = ['./vl_sot_test_pipeline.py']
dataset_type = 'OTB99LangDataset'
data_root = 'data/OTB99-Lang/'

val_dataloader = dict(
    dataset=dict(
        type=dataset_type, data_root=data_root, ann_file='annotations/otb99_lang_test_infos.txt'))
test_dataloader = val_dataloader
