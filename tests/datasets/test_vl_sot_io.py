# Copyright (c) SATracker authors. Licensed under the Apache License 2.0.
"""Parsing rules shared by the datasets and converters (satracker_data.vl_sot_io)."""
import os.path as osp

import numpy as np
import pytest

from satracker_data.vl_sot_io import (DatasetDefectWarning, add_sentences, class_phrase,
                                      fit_gt_rows, list_frames, parse_gt_file, read_info_file,
                                      read_language, write_info_file)


def _write(path, data):
    with open(path, 'wb') as f:
        f.write(data if isinstance(data, bytes) else data.encode('utf-8'))
    return str(path)


@pytest.mark.parametrize('text', [
    '1,2,3,4\n5,6,7,8\n',
    '1\t2\t3\t4\n5\t6\t7\t8',
    '1 2 3 4\n5  6 7 8\n\n\n',
    '1, 2, 3, 4\r\n5,\t6 7,8\r\n',
])
def test_gt_separators(tmp_path, text):
    boxes = parse_gt_file(_write(tmp_path / 'gt.txt', text))
    np.testing.assert_array_equal(boxes, [[1, 2, 3, 4], [5, 6, 7, 8]])


def test_gt_nan_is_kept(tmp_path):
    boxes = parse_gt_file(_write(tmp_path / 'gt.txt', '1,2,3,4\nNaN,NaN,NaN,NaN\n'))
    assert boxes.shape == (2, 4) and np.isnan(boxes[1]).all()


@pytest.mark.parametrize('text, line', [('1,2,3,4\n1,2,3\n', 2), ('1,2,x,4\n', 1),
                                        ('1,2,3,4\n\n1,2,3,4\n', 2)])
def test_gt_unparsable_line_names_file_and_line(tmp_path, text, line):
    path = _write(tmp_path / 'gt.txt', text)
    with pytest.raises(ValueError, match=rf'gt\.txt, line {line}: cannot parse'):
        parse_gt_file(path)


def test_gt_missing_file(tmp_path):
    with pytest.raises(FileNotFoundError, match='gt.txt'):
        parse_gt_file(str(tmp_path / 'gt.txt'))


def test_language_utf8_bom_and_first_line(tmp_path):
    path = _write(tmp_path / 'l.txt', '\ufeff\n  the  red   car \nsecond line\n')
    assert read_language(path) == 'the red car'
    path = _write(tmp_path / 'u.txt', 'der Käfer 红色\n')
    assert read_language(path) == 'der Käfer 红色'


def test_language_fallback_never_crashes(tmp_path):
    path = _write(tmp_path / 'l.txt', 'caf\xe9'.encode('cp1252'))
    with pytest.warns(DatasetDefectWarning, match=r'l\.txt is not valid UTF-8'):
        assert read_language(path) == 'caf\xe9'
    path = _write(tmp_path / 'b.txt', bytes(range(128, 256)))
    with pytest.warns(DatasetDefectWarning, match='not valid UTF-8'):
        assert isinstance(read_language(path), str)


def test_language_empty_or_missing(tmp_path):
    path = _write(tmp_path / 'e.txt', ' \n\n')
    with pytest.warns(DatasetDefectWarning, match=r'empty: .*e\.txt'):
        assert read_language(path) == ''
    with pytest.warns(DatasetDefectWarning, match=r'not found: .*m\.txt'):
        assert read_language(str(tmp_path / 'm.txt')) == ''


def test_list_frames_natural_order_and_stray_files(tmp_path):
    d = tmp_path / 'imgs'
    d.mkdir()
    for name in ('img10.jpg', 'img2.JPG', 'img1.png', '.DS_Store', 'Thumbs.db', '00492.pn_error'):
        _write(d / name, b'x')
    with pytest.warns(DatasetDefectWarning, match='00492.pn_error'):
        assert list_frames(str(d)) == ['img1.png', 'img2.JPG', 'img10.jpg']
    assert list_frames(str(tmp_path / 'missing')) == []


def test_info_file_round_trip(tmp_path):
    path = str(tmp_path / 'a' / 'infos.txt')
    assert write_info_file(path, [('v/img', 'v/gt.txt', 1, 5, 'v/l.txt')]) == 1
    with open(path) as f:
        assert not f.read().endswith('\n')  # MMTracking's loaders split on \n
    assert read_info_file(path) == [['v/img', 'v/gt.txt', '1', '5', 'v/l.txt']]
    with pytest.raises(ValueError, match='comma separated'):
        write_info_file(path, [('a,b', 'x', 0, 1)])
    assert osp.isfile(path)


def test_class_phrase():
    assert class_phrase('airplane') == 'an airplane'
    assert class_phrase('giant_panda') == 'a giant panda'
    assert class_phrase('') == ''


def test_gt_rows_rule_cuts_or_pads_with_one_warning(recwarn):
    boxes = np.arange(12, dtype=float).reshape(3, 4)
    with pytest.warns(
            DatasetDefectWarning,
            match=r'gt\.txt has 3 rows for 2 frames: the '
            'last 1 rows are dropped'):
        np.testing.assert_array_equal(fit_gt_rows(boxes, 2, 'gt.txt'), boxes[:2])
    with pytest.warns(DatasetDefectWarning, match='last 2 frames have no box'):
        assert len(fit_gt_rows(boxes, 5, 'gt.txt')) == 3  # the converters' usable length
    messages = []
    padded = fit_gt_rows(boxes, 5, 'gt.txt', pad=True, warn=messages.append)  # datasets
    assert padded.shape == (5, 4) and np.isnan(padded[3:]).all()
    np.testing.assert_array_equal(padded[:3], boxes)
    assert len(messages) == 1 and 'frames are not used' in messages[0]
    recwarn.clear()
    np.testing.assert_array_equal(fit_gt_rows(boxes, 3, 'gt.txt', pad=True), boxes)
    assert not recwarn.list  # equal counts: no warning


def test_add_sentences_from_the_language_column_or_a_default_file(tmp_path):
    (tmp_path / 'a').mkdir()
    _write(tmp_path / 'a' / 'nlp.txt', 'the cat\n')
    _write(tmp_path / 'b.txt', 'a dog\n')
    info = str(tmp_path / 'infos.txt')
    write_info_file(info, [('a/img', 'a/gt.txt', 1, 3), ('b/img', 'b/gt.txt', 1, 3, 'b.txt')])
    data_list = [dict(), dict()]
    rows = add_sentences(data_list, info, str(tmp_path), default_name='nlp.txt')
    assert [r[0] for r in rows] == ['a/img', 'b/img']
    assert data_list == [
        dict(lang_path='a/nlp.txt', text='the cat'),
        dict(lang_path='b.txt', text='a dog')
    ]
    data_list = [dict(), dict()]
    with pytest.warns(DatasetDefectWarning, match=r'infos\.txt: no language file for "a/img"'):
        add_sentences(data_list, info, str(tmp_path))
    assert data_list[0] == dict(lang_path=None, text='') and data_list[1]['text'] == 'a dog'


def test_old_module_paths_re_export_the_same_objects():
    """``satracker.datasets.{vl_sot_io,converters,synthetic_vl,lasot_splits}`` still work,
    and name the very objects of satracker_data: one DatasetDefectWarning class."""
    import satracker.datasets as datasets
    import satracker_data
    from satracker.datasets import converters, lasot_splits, synthetic_vl, vl_sot_io
    from satracker_data import converters as new_converters
    from satracker_data import lasot_splits as new_splits
    from satracker_data import synthetic_vl as new_synthetic
    from satracker_data import vl_sot_io as new_io
    assert datasets.DatasetDefectWarning is vl_sot_io.DatasetDefectWarning
    assert vl_sot_io.DatasetDefectWarning is satracker_data.DatasetDefectWarning
    for old, new in ((vl_sot_io, new_io), (converters, new_converters), (lasot_splits, new_splits),
                     (synthetic_vl, new_synthetic)):
        assert new.__all__ and set(new.__all__) <= set(old.__all__)
        for name in new.__all__:
            assert getattr(old, name) is getattr(new, name), (old.__name__, name)
