# SATracker's test data on any vision-language test split: the loader and metric of
# vl_sot_test.py with the test pipeline (load the frame and its box, tokenize the sentence,
# pack). The test bases (tnl2k.py, otb99_lang.py, lasot_lang.py; synthetic_vl.py through
# tnl2k.py) inherit it and add their dataset's type, root and info file to
# val_dataloader.dataset, then repeat `test_dataloader = val_dataloader`. (MMTracking's
# vision-only baselines inherit vl_sot_test.py with their own pipeline:
# configs/baselines/_base_/vl_test.py.)
_base_ = ['./vl_sot_test.py']

test_pipeline = [
    dict(type='LoadTrackImageFromFile'),
    dict(type='LoadTrackAnnotations', with_instance_id=False),
    # tokenizer_path=None: the model's text encoder directory (filled in by the tools).
    dict(type='TokenizeText', tokenizer_path=None, max_length=30),
    dict(type='PackVLTrackInputs', pack_single_img=True)
]
val_dataloader = dict(dataset=dict(pipeline=test_pipeline))
test_dataloader = val_dataloader
