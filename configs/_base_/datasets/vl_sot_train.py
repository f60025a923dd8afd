# Phase 2 training data (paper 4.1, docs/training.md): the training splits of TNL2K,
# OTB99-Lang and LaSOT (with language), mixed with configurable weights, through the shared
# training pipeline of vl_sot_train_pipeline.py (STARK-style pairs, tokenized sentence).
# Keys are disjoint from the test bases (tnl2k.py, ...) and the schedules.
_base_ = ['./vl_sot_train_mixture.py']
tnl2k_data_root = 'data/TNL2K/'
otb99_data_root = 'data/OTB99-Lang/'
lasot_data_root = 'data/LaSOT/'
# Sampling weights of [TNL2K, OTB99-Lang, LaSOT].
train_sampling_weights = [1, 1, 1]

# What each training set shares (a name starting with __ stays out of the resolved config).
__train_set = dict(data_prefix=dict(img_path=''), pipeline=_base_.train_pipeline, test_mode=False)
# yapf: disable
train_dataloader = dict(dataset=dict(
    dataset_sampling_weights=train_sampling_weights,
    datasets=[
        dict(__train_set, type='TNL2KDataset', data_root=tnl2k_data_root,
             ann_file='annotations/tnl2k_train_infos.txt'),
        dict(__train_set, type='OTB99LangDataset', data_root=otb99_data_root,
             ann_file='annotations/otb99_lang_train_infos.txt'),
        dict(__train_set, type='LaSOTLangDataset', data_root=lasot_data_root,
             ann_file='annotations/lasot_train_infos.txt',
             data_prefix=dict(img_path='LaSOTBenchmark'))
    ]))
# yapf: enable
