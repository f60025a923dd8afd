# Phase 1 training data (paper 4.1: "follows STARK"; docs/training.md): STARK-ST1's mixture of
# GOT-10k, LaSOT, TrackingNet and COCO through MMTracking's dataset classes, with
# sentences where the data has them: LaSOT's nlp.txt, "a {class}" for GOT-10k
# (meta_info.ini) and COCO (category), the empty sentence for TrackingNet (its dense
# matching loss is masked through text_valid=False). Same sampling and augmentation as
# phase 2: the training pipeline of vl_sot_train_pipeline.py. Keys are disjoint from the test
# bases and the schedules.
_base_ = ['./vl_sot_train_mixture.py']
got10k_data_root = 'data/GOT10k/'
lasot_data_root = 'data/LaSOT/'
trackingnet_data_root = 'data/TrackingNet/'
coco_data_root = 'data/coco/'
# Sampling weights of [GOT-10k, LaSOT, TrackingNet, COCO] (STARK: equal).
train_sampling_weights = [1, 1, 1, 1]

# What each training set shares (a name starting with __ stays out of the resolved config).
__train_set = dict(data_prefix=dict(img_path=''), pipeline=_base_.train_pipeline, test_mode=False)
# yapf: disable
train_dataloader = dict(dataset=dict(
    dataset_sampling_weights=train_sampling_weights,
    datasets=[
        dict(__train_set, type='GOT10kLangDataset', data_root=got10k_data_root,
             ann_file='annotations/got10k_train_vot_infos.txt'),
        dict(__train_set, type='LaSOTLangDataset', data_root=lasot_data_root,
             ann_file='annotations/lasot_train_infos.txt',
             data_prefix=dict(img_path='LaSOTBenchmark')),
        dict(__train_set, type='TrackingNetLangDataset', data_root=trackingnet_data_root,
             ann_file='annotations/trackingnet_train_infos.txt'),
        dict(__train_set, type='SOTCocoLangDataset', data_root=coco_data_root,
             ann_file='annotations/instances_train2017.json',
             data_prefix=dict(img_path='train2017'))
    ]))
# yapf: enable
