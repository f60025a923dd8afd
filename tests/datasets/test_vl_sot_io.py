# Copyright (c) SATracker authors. Licensed under the Apache License 2.0.
"""Parsing rules shared by the datasets and converters."""
import os.path as osp

import numpy as np
import pytest

from satracker.datasets.vl_sot_io import (DatasetDefectWarning, class_phrase,
                                          list_frames, parse_gt_file,
                                          read_info_file, read_language,
                                          write_info_file)


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
    for name in ('img10.jpg', 'img2.JPG', 'img1.png', '.DS_Store', 'Thumbs.db',
                 '00492.pn_error'):
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
