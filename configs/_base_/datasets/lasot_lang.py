# LaSOT test split (280 videos) with language, for validation and testing. Frames where
# the target is fully occluded or out of view count as not visible (use_visibility=True).
# Prepare: docs/dataset_prepare.md (tools/dataset_converters/lasot/gen_lasot_lang_infos.py;
# MMTracking's lasot_test_infos.txt works too: nlp.txt is then found next to img/).
# Loader, test pipeline and metric: vl_sot_test_pipeline.py. Keys are disjoint from the train
# bases and the schedules (see tnl2k.py).
_base_ = ['./vl_sot_test_pipeline.py']
dataset_type = 'LaSOTLangDataset'
data_root = 'data/LaSOT/'

val_dataloader = dict(
    dataset=dict(
        type=dataset_type,
        data_root=data_root,
        ann_file='annotations/lasot_test_infos.txt',
        data_prefix=dict(img_path='LaSOTBenchmark')))
test_dataloader = val_dataloader

val_evaluator = dict(use_visibility=True)
test_evaluator = val_evaluator
