# The synthetic VL set (TNL2K layout) for the demo and the tests: training on its train
# split, validation / testing on its test split. Generate it with
#   python tools/dataset_converters/make_synthetic_vl.py --out data/synthetic_vl \
#       --train-videos 16 --test-videos 4 --frames 60 --seed 0
# which also writes the info files (data/synthetic_vl/annotations/). This base holds
# train and test keys: use it instead of vl_sot_train.py + a test base. The set has TNL2K's
# layout, so its test data is tnl2k.py's at another root; its training data takes the shared
# training pipeline (vl_sot_train_pipeline.py).
_base_ = ['./vl_sot_train_pipeline.py', './tnl2k.py']
data_root = 'data/synthetic_vl/'
samples_per_epoch = 64

train_dataloader = dict(
    batch_size=4,
    num_workers=2,
    persistent_workers=True,
    sampler=dict(type='QuotaSampler', samples_per_epoch=samples_per_epoch),
    dataset=dict(
        type=_base_.dataset_type,
        data_root=data_root,
        ann_file='annotations/tnl2k_train_infos.txt',
        data_prefix=dict(img_path=''),
        pipeline=_base_.train_pipeline,
        test_mode=False))

val_dataloader = dict(dataset=dict(data_root=data_root))
test_dataloader = val_dataloader
