# Copyright (c) SATracker authors. Licensed under the Apache License 2.0.
"""TemplateGrayAug greys the template crops only, all or none of them per sample."""
import numpy as np
import pytest
from mmtrack.registry import TRANSFORMS

import satracker  # noqa: F401  (registration)


def _pair(n=2):
    rng = np.random.default_rng(0)
    return dict(img=[rng.integers(0, 256, (8, 8, 3)).astype(np.uint8) for _ in range(n)])


@pytest.mark.parametrize('num_templates', [1, 2])
def test_templates_grey_search_untouched(num_templates):
    t = TRANSFORMS.build(dict(type='TemplateGrayAug', prob=1.0, num_template_frames=num_templates))
    before = _pair(num_templates + 1)
    search = before['img'][-1].copy()
    originals = [img.copy() for img in before['img']]
    out = t(before)
    for i in range(num_templates):
        img = out['img'][i]
        assert img.dtype == np.uint8 and img.shape == (8, 8, 3)
        assert (img[..., 0] == img[..., 1]).all() and (img[..., 1] == img[..., 2]).all()
        b, g, r = (originals[i][..., c].astype(float) for c in range(3))
        np.testing.assert_allclose(
            img[..., 0], (0.114 * b + 0.587 * g + 0.299 * r).astype(np.uint8), atol=1)
    np.testing.assert_array_equal(out['img'][-1], search)


def test_probability_is_per_sample():
    t = TRANSFORMS.build(dict(type='TemplateGrayAug', prob=0.5))
    np.random.seed(0)
    greyed = 0
    for _ in range(400):
        img = t(_pair())['img'][0]
        greyed += bool((img[..., 0] == img[..., 2]).all())
    assert 150 < greyed < 250
    never = TRANSFORMS.build(dict(type='TemplateGrayAug', prob=0.0))
    assert not (never(_pair())['img'][0][..., 0] == _pair()['img'][0][..., 2]).all()


def test_bad_arguments_and_inputs():
    with pytest.raises(ValueError, match='prob must be in'):
        TRANSFORMS.build(dict(type='TemplateGrayAug', prob=1.5))
    with pytest.raises(ValueError, match='num_template_frames must be'):
        TRANSFORMS.build(dict(type='TemplateGrayAug', prob=0.5, num_template_frames=0))
    with pytest.raises(ValueError, match='after the crop'):
        TRANSFORMS.build(dict(type='TemplateGrayAug', prob=1.0))(dict(img=np.zeros((4, 4, 3))))
