# Copyright (c) SATracker authors. Licensed under the Apache License 2.0.
"""Text transforms: tokenisation, packing, flip with left/right swap, sampling."""
import pickle

import numpy as np
import pytest
import torch
from mmtrack.registry import TRANSFORMS

from satracker.datasets.transforms import (CheckBboxInImage, PackVLTrackInputs, TokenizeText,
                                           VLPairSampling, VLRandomFlip, swap_left_right)
from satracker.utils import MINILM_PACKAGE

CLS, SEP, PAD = 101, 102, 0


@pytest.fixture(scope='module')
def tok():
    return TokenizeText(MINILM_PACKAGE, max_length=30)


def test_tokenize_plain_sentence(tok):
    out = tok.transform(dict(text='The RED car'))
    ids, mask = out['text_ids'], out['text_mask']
    assert ids.dtype == np.int64 and ids.shape == (30, ) and mask.shape == (30, )
    decoded = tok.tokenizer.convert_ids_to_tokens(ids[:int(mask.sum())].tolist())
    assert decoded == ['[CLS]', 'the', 'red', 'car', '[SEP]']
    assert (ids[int(mask.sum()):] == PAD).all() and out['text_valid'] is True


def test_tokenize_non_ascii(tok):
    out = tok.transform(dict(text='Der Käfer vor dem CAFÉ, 红色的车 → links'))
    ids, mask = out['text_ids'], out['text_mask']
    n = int(mask.sum())
    tokens = tok.tokenizer.convert_ids_to_tokens(ids[:n].tolist())
    assert tokens[0] == '[CLS]' and tokens[-1] == '[SEP]'
    assert 'cafe' in tokens  # lower-cased, accents stripped (bert-base-uncased)
    # CJK characters are split one per token: known ones kept, others [UNK].
    assert tokens[tokens.index(',') + 1:tokens.index(',') + 5] == ['[UNK]', '[UNK]', '的', '[UNK]']
    assert (mask[:n] == 1).all() and (mask[n:] == 0).all()


def test_tokenize_empty_sentence_is_cls_sep_and_flagged(tok):
    for text in ('', '   ', [''], None):
        out = tok.transform(dict(text=text))
        assert out['text_ids'][:3].tolist() == [CLS, SEP, PAD]
        assert int(out['text_mask'].sum()) == 2
        assert out['text_valid'] is False


def test_tokenize_over_long_sentence_is_truncated(tok):
    out = tok.transform(dict(text=' '.join(['word'] * 100)))
    assert out['text_ids'].shape == (30, )
    assert int(out['text_mask'].sum()) == 30
    assert out['text_ids'][0] == CLS and out['text_ids'][-1] == SEP


def test_tokenize_uses_the_template_sentence_and_caches(tok):
    out = tok.transform(dict(text=['a red ball', 'a red ball']))
    again = tok.transform(dict(text='a red ball'))
    np.testing.assert_array_equal(out['text_ids'], again['text_ids'])
    assert 'a red ball' in tok._cache
    state = pickle.loads(pickle.dumps(tok))
    assert state._tokenizer is None and len(state._cache) == 0


def test_tokenizer_path_errors_are_clear(tmp_path):
    t = TokenizeText(str(tmp_path / 'nowhere'))
    with pytest.raises(FileNotFoundError, match='tokenizer directory'):
        t.transform(dict(text='x'))


def test_swap_left_right():
    assert swap_left_right('the car on the left, Right of the LEFT tree') == \
        'the car on the right, Left of the RIGHT tree'
    assert swap_left_right('the leftmost man walking rightwards') == \
        'the rightmost man walking leftwards'
    assert swap_left_right('bright lefty') == 'bright lefty'


def test_vl_random_flip_swaps_words_and_boxes():
    flip = TRANSFORMS.build(dict(type='VLRandomFlip', prob=1.0, direction='horizontal'))
    assert isinstance(flip, VLRandomFlip)
    img = np.zeros((10, 20, 3), np.uint8)
    out = flip(
        dict(
            img=img, gt_bboxes=np.array([[1., 2., 5., 6.]], np.float32),
            text='the dog on the left'))
    assert out['text'] == 'the dog on the right' and out['flip']
    np.testing.assert_allclose(out['gt_bboxes'], [[15, 2, 19, 6]])
    no = TRANSFORMS.build(dict(type='VLRandomFlip', prob=0.0))
    assert no(dict(img=img, text='left'))['text'] == 'left'


def test_pair_sampling_range_validity_and_text():
    sampler = VLPairSampling(max_frame_range=3, min_valid_frames=2)
    n = 50
    visible = np.ones(n, bool)
    visible[10:20] = False
    isvalid = np.ones(n, bool)
    isvalid[30] = False
    info = dict(
        img_paths=[f'{i}.jpg' for i in range(n)],
        frame_ids=np.arange(n),
        video_id=3,
        video_length=n,
        bboxes=np.ones((n, 4)),
        visible=visible,
        bboxes_isvalid=isvalid,
        text='the cat')
    for _ in range(200):
        out = sampler.transform([info, info])
        t, s = out['frame_id']
        assert abs(t - s) <= 3 and t != s
        assert visible[[t, s]].all() and isvalid[[t, s]].all()
        assert out['text'] == ['the cat', 'the cat']
        assert len(out['img_path']) == 2 and len(out['instances']) == 2
    few = dict(info, visible=np.zeros(n, bool))
    assert sampler.transform([few, few]) is None
    image = dict(
        info,
        img_paths=['a.jpg'],
        frame_ids=np.arange(1),
        video_length=1,
        bboxes=np.ones((1, 4)),
        visible=np.ones(1, bool),
        bboxes_isvalid=np.ones(1, bool))
    del image['text']
    out = sampler.transform([image, image])
    assert out['frame_id'] == [0, 0] and out['text'] == ['', '']


def test_check_bbox_in_image():
    check = CheckBboxInImage(min_inside_ratio=0.5)
    shape = (48, 64, 3)
    ok = dict(gt_bboxes=[np.array([[10., 10., 30., 30.]])] * 2, img_shape=[shape] * 2)
    assert check(ok) is ok
    for bad in ([60., 40., 90., 70.], [10., 10., 10., 30.], [np.nan, 1., 5., 5.]):
        results = dict(
            gt_bboxes=[np.array([[10., 10., 30., 30.]]),
                       np.array([bad])], img_shape=[shape] * 2)
        assert check(results) is None


def test_pack_test_sample_text_fields():
    pack = PackVLTrackInputs(pack_single_img=True)
    results = dict(
        img=np.zeros((6, 8, 3), np.uint8),
        img_path='v/imgs/1.jpg',
        frame_id=0,
        video_length=3,
        ori_shape=(6, 8),
        img_shape=(6, 8),
        gt_bboxes=np.array([[1, 1, 4, 4]], np.float32),
        gt_bboxes_labels=np.array([0]),
        gt_ignore_flags=np.array([False]),
        instances=[dict(bbox=np.array([1, 1, 4, 4.]), visible=True)],
        text='the cat',
        text_ids=np.arange(30),
        text_mask=np.ones(30, np.int64),
        text_valid=True,
        video_name='v')
    out = pack(results)
    sample = out['data_samples']
    assert out['inputs']['img'].shape == (1, 3, 6, 8)
    assert 'text_ids' not in out['inputs']
    assert sample.text_ids.dtype == torch.long and sample.text_ids.shape == (30, )
    assert sample.text_mask.dtype == torch.long
    assert sample.metainfo['text'] == 'the cat'
    assert sample.metainfo['text_valid'] is True
    assert sample.metainfo['video_name'] == 'v'


def test_replace_text_empties_strings_and_lists_and_needs_text():
    from satracker.datasets.transforms import ReplaceText
    t = TRANSFORMS.build(dict(type='ReplaceText'))
    assert t(dict(text='the red car'))['text'] == ''
    assert t(dict(text=['a', 'b']))['text'] == ['', '']
    assert ReplaceText('the blue car')(dict(text='x'))['text'] == 'the blue car'
    with pytest.raises(KeyError, match='no "text"'):
        t(dict(img=np.zeros((2, 2, 3))))
    with pytest.raises(TypeError, match='must be a str'):
        ReplaceText(None)
