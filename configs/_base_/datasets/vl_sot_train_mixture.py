# What the two training mixtures (vl_sot_train.py: phase 2, stark_phase1_vl.py: phase 1) share:
# the shared training pipeline (vl_sot_train_pipeline.py) and the loader, 8 pairs per GPU drawn
# by QuotaSampler from a RandomSampleConcatDataset, samples_per_epoch pairs an epoch. Each
# mixture adds its datasets and their sampling weights (dataset_sampling_weights).
_base_ = ['./vl_sot_train_pipeline.py']
samples_per_epoch = 60000

train_dataloader = dict(
    batch_size=8,  # per GPU: 16 in total on 2 GPUs
    num_workers=4,
    persistent_workers=True,
    sampler=dict(type='QuotaSampler', samples_per_epoch=samples_per_epoch),
    dataset=dict(type='RandomSampleConcatDataset'))
