# Copyright (c) SATracker authors. Licensed under the Apache License 2.0.
"""Tiny dataset trees in the real layouts of TNL2K, OTB99-Lang and LaSOT, each with the
defects of the public releases (the tests write them in tmp_path), of the phase-1 sets
GOT-10k, TrackingNet and COCO, and small writers."""
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


def make_tnl2k_tree(root, defects=True):
    """A TNL2K release with each defect; returns what the tests expect of it.

    With ``defects=False`` only videos without defects are written (Good_video and
    Tab_video in train, both test videos with all frames readable): a set that trains and
    tests end to end.
    """
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
    test_videos = [('Test_video_1', [f'{i:05d}.jpg' for i in range(1, 7)], 6, 'the red car\n'),
                   ('Test_video_2', [f'{i:05d}.jpg'
                                     for i in range(1, 6)], 5, 'the 红色 ball near the café\n')]
    for name, frames, n, lang in test_videos:
        video(test, name, frames, gt_lines(n), lang)
    if not defects:
        video(train, 'Tab_video', [f'{i:04d}.jpg' for i in range(0, 8)], gt_lines(8, '\t'),
              'the white dog\n')
        return dict(
            train_videos=['Good_video', 'Tab_video'],
            train_lengths=[8, 8],
            test_videos=[v[0] for v in test_videos],
            test_lengths=[6, 5])
    video(train, 'Few_rows', [f'{i:04d}.jpg' for i in range(0, 8)], gt_lines(6, '\t'),
          'the white dog\n')
    video(train, 'Extra_rows', [f'img_{i}.jpg' for i in range(1, 7)], gt_lines(8),
          'a man in black\n')
    video(train, 'Empty_lang', [f'{i:05d}.jpg' for i in range(1, 9)], gt_lines(8, ' '), '')
    video(train, 'No_lang', [f'{i:05d}.jpg' for i in range(1, 9)], gt_lines(8), None)
    video(train, 'Empty_folder', [], gt_lines(8), 'nothing here\n')
    invalid = ('20,10,20,20\n0,0,0,0\nNaN,NaN,NaN,NaN\n20,10,-5,20\n'
               '60,40,30,30\n20,10,20,20\n21,10,20,20\n22,10,20,20\n')
    video(train, 'Invalid_boxes', [f'{i:05d}.jpg' for i in range(1, 9)], invalid, 'the blue ball\n')
    vdir = video(train, 'Non_utf8', [f'{i:05d}.jpg' for i in range(1, 9)], gt_lines(8),
                 'the caf\xe9 sign on the right\n', 'cp1252')
    write_text(osp.join(vdir, 'imgs', '00009.pn_error'), b'\x00garbage')

    write_text(osp.join(test, 'Test_video_1', 'imgs', '00003.jpg'), b'not a jpeg at all')
    return dict(
        # In the converter's (natural, case-insensitive) order.
        train_videos=[
            'Empty_lang', 'Extra_rows', 'Few_rows', 'Good_video', 'Invalid_boxes', 'No_lang',
            'Non_utf8'
        ],
        train_lengths=[8, 6, 6, 8, 8, 8, 8],
        test_videos=[v[0] for v in test_videos],
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
    write_text(
        osp.join(vids, 'Jogging', 'groundtruth_rect.2.txt'), gt_lines(8, ',', box=(5, 5, 10, 30)))
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


# ----------------------------------------------------------------- phase-1 sets
#: MMTracking's header of the GOT-10k / TrackingNet info files.
MMTRACK_INFO_HEADER = ('The format of each line in this txt is '
                       '(video_path,annotation_path,start_frame_id,end_frame_id)')


def make_got10k_tree(root):
    """GOT-10k ``train/GOT-10k_Train_00000{1,2}/`` (8 frames each, absence / cover labels)
    and MMTracking's ``annotations/got10k_train_vot_infos.txt``; video 1 is an ant (its
    ``meta_info.ini``), video 2 has no ``meta_info.ini`` (empty sentence, a warning)."""
    from satracker_data.vl_sot_io import write_info_file
    for k, cls in ((1, 'ant'), (2, None)):
        v = osp.join(root, 'train', f'GOT-10k_Train_00000{k}')
        for i in range(1, 9):
            write_img(osp.join(v, f'{i:08d}.jpg'))
        write_text(osp.join(v, 'groundtruth.txt'), gt_lines(8))
        write_text(osp.join(v, 'absence.label'), '0\n' * 8)
        write_text(osp.join(v, 'cover.label'), '8\n' * 8)
        if cls:
            write_text(
                osp.join(v, 'meta_info.ini'),
                f'[METAINFO]\nurl: x\nobject_class: {cls}\nmotion_class: walking\n')
    write_info_file(
        osp.join(root, 'annotations', 'got10k_train_vot_infos.txt'),
        [(f'train/GOT-10k_Train_00000{k}', f'train/GOT-10k_Train_00000{k}/groundtruth.txt', 1, 8)
         for k in (1, 2)],
        header=MMTRACK_INFO_HEADER)


def make_trackingnet_tree(root):
    """TrackingNet ``TRAIN_0/frames/vid_a/{0..7}.jpg`` + ``TRAIN_0/anno/vid_a.txt`` and
    MMTracking's ``annotations/trackingnet_train_infos.txt`` (no language)."""
    from satracker_data.vl_sot_io import write_info_file
    v = osp.join(root, 'TRAIN_0', 'frames', 'vid_a')
    for i in range(8):
        write_img(osp.join(v, f'{i}.jpg'))
    write_text(osp.join(root, 'TRAIN_0', 'anno', 'vid_a.txt'), gt_lines(8))
    write_info_file(
        osp.join(root, 'annotations', 'trackingnet_train_infos.txt'),
        [('TRAIN_0/frames/vid_a', 'TRAIN_0/anno/vid_a.txt', 0, 7)],
        header=MMTRACK_INFO_HEADER)


def make_coco_tree(root):
    """COCO ``train2017/000001.jpg`` with ``annotations/instances_train2017.json``: one car
    and one crowd person (which the SOT dataset leaves out)."""
    write_img(osp.join(root, 'train2017', '000001.jpg'))
    dump_json(
        osp.join(root, 'annotations', 'instances_train2017.json'),
        dict(
            images=[dict(id=1, file_name='000001.jpg', height=IMG_H, width=IMG_W)],
            annotations=[
                dict(id=1, image_id=1, category_id=3, bbox=[20, 10, 20, 20], area=400, iscrowd=0),
                dict(id=2, image_id=1, category_id=5, bbox=[1, 1, 10, 10], area=100, iscrowd=1)
            ],
            categories=[dict(id=3, name='car'), dict(id=5, name='person')]))


def info_dataset(cls, root, info_file, img_path='', **kwargs):
    """The dataset class ``cls`` on ``<root>/annotations/<info_file>``, images under
    ``<root>/<img_path>``, with no pipeline: the videos as the class reads them."""
    return cls(
        data_root=root,
        ann_file=f'annotations/{info_file}',
        data_prefix=dict(img_path=img_path),
        pipeline=[],
        **kwargs)
