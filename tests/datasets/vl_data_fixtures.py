# Copyright (c) SATracker authors. Licensed under the Apache License 2.0.
"""Tiny dataset trees in the real layouts of TNL2K, OTB99-Lang and LaSOT, each with the
defects of the public releases (the tests write them in tmp_path), and small writers."""
import json
import os
import os.path as osp

import cv2
import numpy as np

IMG_W, IMG_H = 64, 48
_JPEG_CACHE = {}


def write_img(path, ext='.jpg', value=90):
    """Write a small valid image (a grey frame with a darker square)."""
    key = (ext, value)
    if key not in _JPEG_CACHE:
        img = np.full((IMG_H, IMG_W, 3), value, np.uint8)
        img[10:30, 20:40] = (30, 30, 200)
        ok, buf = cv2.imencode(ext, img)
        assert ok
        _JPEG_CACHE[key] = buf.tobytes()
    os.makedirs(osp.dirname(path), exist_ok=True)
    with open(path, 'wb') as f:
        f.write(_JPEG_CACHE[key])


def write_text(path, text, encoding='utf-8'):
    os.makedirs(osp.dirname(path), exist_ok=True)
    with open(path, 'wb') as f:
        f.write(text.encode(encoding) if isinstance(text, str) else text)


def gt_lines(n, sep=',', box=(20, 10, 20, 20)):
    x, y, w, h = box
    return '\n'.join(sep.join(str(v) for v in (x + i % 3, y, w, h)) for i in range(n)) + '\n'


def make_tnl2k_tree(root):
    """A TNL2K release with each defect; returns what the tests expect of it."""
    train, test = osp.join(root, 'train'), osp.join(root, 'test')

    def video(split_dir, name, frame_names, gt_text, lang, lang_encoding='utf-8'):
        vdir = osp.join(split_dir, name)
        for fn in frame_names:
            write_img(osp.join(vdir, 'imgs', fn), osp.splitext(fn)[1])
        if not frame_names:
            os.makedirs(osp.join(vdir, 'imgs'), exist_ok=True)
        if gt_text is not None:
            write_text(osp.join(vdir, 'groundtruth.txt'), gt_text)
        if lang is not None:
            write_text(osp.join(vdir, 'language.txt'), lang, lang_encoding)
        return vdir

    # Names and extensions vary between videos (TNL2K): png, jpg, prefixed names.
    video(train, 'Good_video', [f'{i:05d}.png' for i in range(1, 9)], gt_lines(8),
          'the red car on the left\n')
    video(train, 'Extra_rows', [f'img_{i}.jpg' for i in range(1, 7)], gt_lines(8),
          'a man in black\n')
    video(train, 'Few_rows', [f'{i:04d}.jpg' for i in range(0, 8)], gt_lines(6, '\t'),
          'the white dog\n')
    video(train, 'Empty_lang', [f'{i:05d}.jpg' for i in range(1, 9)], gt_lines(8, ' '),
          '')
    video(train, 'No_lang', [f'{i:05d}.jpg' for i in range(1, 9)], gt_lines(8), None)
    video(train, 'Empty_folder', [], gt_lines(8), 'nothing here\n')
    invalid = ('20,10,20,20\n0,0,0,0\nNaN,NaN,NaN,NaN\n20,10,-5,20\n'
               '60,40,30,30\n20,10,20,20\n21,10,20,20\n22,10,20,20\n')
    video(train, 'Invalid_boxes', [f'{i:05d}.jpg' for i in range(1, 9)], invalid,
          'the blue ball\n')
    vdir = video(train, 'Non_utf8', [f'{i:05d}.jpg' for i in range(1, 9)], gt_lines(8),
                 'the caf\xe9 sign on the right\n', 'cp1252')
    write_text(osp.join(vdir, 'imgs', '00009.pn_error'), b'\x00garbage')

    video(test, 'Test_video_1', [f'{i:05d}.jpg' for i in range(1, 7)], gt_lines(6),
          'the red car\n')
    write_text(osp.join(test, 'Test_video_1', 'imgs', '00003.jpg'), b'not a jpeg at all')
    video(test, 'Test_video_2', [f'{i:05d}.jpg' for i in range(1, 6)], gt_lines(5),
          'the 红色 ball near the café\n')
    return dict(
        # In the converter's (natural, case-insensitive) order.
        train_videos=['Empty_lang', 'Extra_rows', 'Few_rows', 'Good_video',
                      'Invalid_boxes', 'No_lang', 'Non_utf8'],
        train_lengths=[8, 6, 6, 8, 8, 8, 8],
        test_lengths=[6, 5],
        unreadable=osp.join(test, 'Test_video_1', 'imgs', '00003.jpg'))


def make_otb99_tree(root):
    """An OTB99-Lang release: Board (5-digit names), Tiger1 (starts at 6), BlurCar3
    (starts at 3), the shared Jogging folder, Human4 (.2 ground truth), a missing one."""
    vids = osp.join(root, 'OTB_videos')
    for i in range(1, 7):
        write_img(osp.join(vids, 'Board', 'img', f'{i:05d}.jpg'))
    write_text(osp.join(vids, 'Board', 'groundtruth_rect.txt'), gt_lines(6))
    for i in range(1, 13):
        write_img(osp.join(vids, 'Tiger1', 'img', f'{i:04d}.jpg'))
    tiger = '\n'.join(f'{10 + i}\t10\t20\t20' for i in range(12)) + '\n'
    write_text(osp.join(vids, 'Tiger1', 'groundtruth_rect.txt'), tiger)
    for i in range(1, 11):
        write_img(osp.join(vids, 'BlurCar3', 'img', f'{i:04d}.jpg'))
    write_text(osp.join(vids, 'BlurCar3', 'groundtruth_rect.txt'), gt_lines(8))
    for i in range(1, 9):
        write_img(osp.join(vids, 'Jogging', 'img', f'{i:04d}.jpg'))
    write_text(osp.join(vids, 'Jogging', 'groundtruth_rect.1.txt'), gt_lines(8, ' '))
    write_text(osp.join(vids, 'Jogging', 'groundtruth_rect.2.txt'),
               gt_lines(8, ',', box=(5, 5, 10, 30)))
    for i in range(1, 8):
        write_img(osp.join(vids, 'Human4', 'img', f'{i:04d}.jpg'))
    write_text(osp.join(vids, 'Human4', 'groundtruth_rect.1.txt'), '')
    write_text(osp.join(vids, 'Human4', 'groundtruth_rect.2.txt'), gt_lines(7))
    q_train, q_test = osp.join(root, 'OTB_query_train'), osp.join(root, 'OTB_query_test')
    write_text(osp.join(q_train, 'Board.txt'), 'the board held by the man\n')
    write_text(osp.join(q_train, 'Tiger1.txt'), 'the toy tiger\n')
    write_text(osp.join(q_train, 'Jogging-1.txt'), 'the woman jogging on the left\n')
    write_text(osp.join(q_test, 'BlurCar3.txt'), 'the black car\n')
    write_text(osp.join(q_test, 'Jogging-2.txt'), 'the man in white\n')
    write_text(osp.join(q_test, 'Human4.txt'), '')
    write_text(osp.join(q_test, 'Ghost.txt'), 'a video that is not there\n')


LASOT_SEQS = {
    # name: (frames, gt rows, nlp)
    'airplane-1': (8, 8, 'white airplane flying in the sky'),  # official test video
    'airplane-2': (8, 8, 'the plane on the ground'),
    'cat-1': (6, 6, 'black cat on the sofa'),  # official test video
    'cat-2': (6, 9, 'grey cat'),  # more rows than frames
}


def make_lasot_tree(root):
    """LaSOTBenchmark/<class>/<class>-<n>/ with occlusion / out-of-view labels."""
    bench = osp.join(root, 'LaSOTBenchmark')
    for name, (n, rows, nlp) in LASOT_SEQS.items():
        vdir = osp.join(bench, name.split('-')[0], name)
        for i in range(1, n + 1):
            write_img(osp.join(vdir, 'img', f'{i:08d}.jpg'))
        write_text(osp.join(vdir, 'groundtruth.txt'), gt_lines(rows))
        occ = ['0'] * rows
        oov = ['0'] * rows
        occ[2] = '1'
        oov[3] = '1'
        write_text(osp.join(vdir, 'full_occlusion.txt'), ','.join(occ))
        write_text(osp.join(vdir, 'out_of_view.txt'), ','.join(oov))
        write_text(osp.join(vdir, 'nlp.txt'), nlp + '\n')
    # A folder without images is skipped.
    os.makedirs(osp.join(bench, 'dog', 'dog-3', 'img'))
    return bench


def dump_json(path, obj):
    os.makedirs(osp.dirname(path), exist_ok=True)
    with open(path, 'w') as f:
        json.dump(obj, f)
