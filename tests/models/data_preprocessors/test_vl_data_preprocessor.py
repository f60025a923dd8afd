# Copyright (c) SATracker authors. Licensed under the Apache License 2.0.
import pytest
import torch
from mmtrack.registry import MODELS
from mmtrack.structures import TrackDataSample

import satracker  # noqa: F401

MEAN, STD = [123.675, 116.28, 103.53], [58.395, 57.12, 57.375]


def _pre():
    return MODELS.build(dict(type='VLTrackDataPreprocessor', mean=MEAN, std=STD, bgr_to_rgb=True))


def _batch(n=2, length=6, with_text=True):
    inputs = dict(img=[], search_img=[])
    samples = []
    for i in range(n):
        inputs['img'].append(torch.randint(0, 255, (1, 3, 16, 16), dtype=torch.uint8))
        inputs['search_img'].append(torch.randint(0, 255, (1, 3, 40, 40), dtype=torch.uint8))
        ds = TrackDataSample()
        if with_text:
            ds.text_ids = torch.arange(length) + 100 * i
            ds.text_mask = (torch.arange(length) < 3 + i).long()
        samples.append(ds)
    return dict(inputs=inputs, data_samples=samples)


def test_stacks_text_after_the_images():
    data = _batch()
    out = _pre()(data, training=True)
    inputs = out['inputs']
    assert inputs['img'].shape == (2, 1, 3, 16, 16)
    assert inputs['search_img'].shape == (2, 1, 3, 40, 40)
    assert inputs['text_ids'].shape == (2, 6) and inputs['text_ids'].dtype == torch.long
    assert inputs['text_ids'][1, 0] == 100
    assert inputs['text_mask'].sum(1).tolist() == [3, 4]
    # images were normalised (bgr -> rgb), token ids untouched
    raw = data['inputs']['img'][0][0].float()
    expected = (raw[[2, 1, 0]] - torch.tensor(MEAN).view(3, 1, 1)) / torch.tensor(STD).view(3, 1, 1)
    assert torch.allclose(inputs['img'][0, 0], expected, atol=1e-5)
    assert 'search_batch_input_shape' in out['data_samples'][0]


def test_without_text_inputs_stay_images_only():
    out = _pre()(_batch(with_text=False))
    assert set(out['inputs']) == {'img', 'search_img'}


def test_mixed_batch_is_an_error():
    data = _batch()
    del data['data_samples'][1].text_ids
    del data['data_samples'][1].text_mask
    with pytest.raises(ValueError, match='text_ids'):
        _pre()(data)
