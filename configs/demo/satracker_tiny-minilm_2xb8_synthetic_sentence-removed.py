# The demo's language check, part 1 ("sentence removed"): the trained demo SATracker tested
# with the empty sentence on every test video (the text encoder sees [CLS][SEP] only).
# Same checkpoint, frames and metric as configs/demo/satracker_tiny-minilm_2xb8_synthetic.py.
_base_ = ['./satracker_tiny-minilm_2xb8_synthetic.py']

test_pipeline = [
    dict(type='LoadTrackImageFromFile'),
    dict(type='LoadTrackAnnotations', with_instance_id=False),
    dict(type='ReplaceText', text=''),
    dict(type='TokenizeText', tokenizer_path=None, max_length={{_base_.text_max_length}}),
    dict(type='PackVLTrackInputs', pack_single_img=True)
]
test_dataloader = dict(dataset=dict(pipeline=test_pipeline))
