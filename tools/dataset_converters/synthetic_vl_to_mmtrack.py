# Copyright (c) SATracker authors. Licensed under the Apache License 2.0.
"""Lay out the synthetic VL set (TNL2K layout) as the datasets MMTracking's SOT configs read.

Example (then MMTracking's STARK / SiamRPN++ configs run on it with only their data roots
changed, see configs/baselines/README.md):
    python tools/dataset_converters/make_synthetic_vl.py --out data/synthetic_vl \
        --train-videos 3 --test-videos 1 --frames 24
    python tools/dataset_converters/synthetic_vl_to_mmtrack.py \
        -i data/synthetic_vl -o data/synthetic_mmtrack --test-frames 5

MMTracking's training configs read GOT-10k, LaSOT, TrackingNet and COCO (STARK) or ImageNet
VID, COCO and ImageNet DET (SiamRPN++), each in its own folder layout, frame naming and
annotation format, all under one data root (``data/``). This tool writes that tree for a set
in TNL2K layout (``<split>/<video>/imgs/*`` + ``groundtruth.txt``, frames in name order),
with every frame a symbolic link to the source frame (a copy where links are not allowed):

- ``GOT10k/train/<video>/%08d.jpg`` (+ ``absence.label``, ``cover.label``) and
  ``GOT10k/annotations/got10k_train_vot_infos.txt``;
- ``LaSOT_full/LaSOTBenchmark/synthetic/<video>/img/%08d.jpg`` (+ ``full_occlusion.txt``,
  ``out_of_view.txt``, ``nlp.txt``) and ``LaSOT_full/annotations/lasot_{train,test}_infos.txt``
  (the test split cut to ``--test-frames`` frames per video);
- ``TrackingNet/TRAIN_0/frames/<video>/%d.jpg``, ``TrackingNet/TRAIN_0/anno/<video>.txt`` and
  ``TrackingNet/annotations/trackingnet_train_infos.txt``;
- ``coco/train2017/`` + ``coco/annotations/instances_train2017.json`` and
  ``ILSVRC/Data/DET/train/`` + ``ILSVRC/annotations/imagenet_det_30plus1cls.json``
  (COCO format; ``--images-per-video`` frames of each train video as still images);
- ``ILSVRC/Data/VID/train/<video>/%06d.JPEG`` + ``ILSVRC/annotations/imagenet_vid_train.json``
  (MMTracking's CocoVID format, one instance per video).

The synthetic target is never fully occluded nor out of view, so the visibility files say
"visible" everywhere (GOT-10k cover 8 = fully visible).
"""
import argparse
import json
import os
import os.path as osp
import shutil
import sys

from satracker_data.vl_sot_io import (MMTRACK_INFO_HEADER, list_frames, parse_gt_file,
                                      read_language, write_info_file)


def parse_args(argv=None):
    parser = argparse.ArgumentParser(
        description="Write MMTracking's SOT dataset layouts for a TNL2K-layout set")
    parser.add_argument(
        '-i',
        '--input',
        required=True,
        help='the set in TNL2K layout (train/, test/), e.g. data/synthetic_vl')
    parser.add_argument(
        '-o',
        '--output',
        required=True,
        help='the data root to write (data_root of the MMTracking configs)')
    parser.add_argument(
        '--test-frames',
        type=int,
        default=None,
        help='cut each test video to its first N frames (default: all)')
    parser.add_argument(
        '--images-per-video',
        type=int,
        default=4,
        help='frames of each train video used as COCO / ImageNet DET images')
    parser.add_argument(
        '--copy', action='store_true', help='copy the frames instead of linking them')
    args = parser.parse_args(argv)
    if args.test_frames is not None and args.test_frames < 2:
        parser.error('--test-frames must be at least 2 (frame 0 only initialises)')
    if args.images_per_video < 1:
        parser.error('--images-per-video must be at least 1')
    return args


def read_video(video_dir: str):
    """Frames (sorted paths) and ground truth (x, y, w, h rows) of one TNL2K-layout video."""
    img_dir = osp.join(video_dir, 'imgs')
    gt_path = osp.join(video_dir, 'groundtruth.txt')
    if not osp.isdir(img_dir) or not osp.isfile(gt_path):
        raise FileNotFoundError(f'{video_dir}: expected imgs/ and groundtruth.txt (TNL2K '
                                'layout, as make_synthetic_vl.py writes it)')
    frames = [osp.join(img_dir, name) for name in list_frames(img_dir)]
    boxes = parse_gt_file(gt_path).tolist()
    if len(boxes) != len(frames) or not frames:
        raise ValueError(f'{gt_path}: {len(boxes)} boxes for {len(frames)} frames in '
                         f'{img_dir}')
    return frames, boxes, read_language(osp.join(video_dir, 'language.txt'))


def read_split(root: str, split: str):
    """``[(name, frames, boxes, text)]`` of ``<root>/<split>/*`` in name order."""
    split_dir = osp.join(root, split)
    if not osp.isdir(split_dir):
        return []
    return [(name, *read_video(osp.join(split_dir, name)))
            for name in sorted(os.listdir(split_dir)) if osp.isdir(osp.join(split_dir, name))]


class Writer:
    """Links (or copies) frames and writes text files under one output root."""

    def __init__(self, out_root: str, copy: bool = False):
        self.out_root = out_root
        self.copy = copy

    def path(self, rel: str) -> str:
        path = osp.join(self.out_root, rel)
        os.makedirs(osp.dirname(path), exist_ok=True)
        return path

    def frame(self, src: str, rel: str) -> None:
        dst = self.path(rel)
        if osp.lexists(dst):
            os.remove(dst)
        if not self.copy:
            try:
                os.symlink(osp.abspath(src), dst)
                return
            except OSError:  # e.g. Windows without the privilege: fall back to a copy
                pass
        shutil.copyfile(src, dst)

    def text(self, rel: str, content: str) -> None:
        with open(self.path(rel), 'w', encoding='utf-8') as f:
            f.write(content)

    def json(self, rel: str, obj) -> None:
        with open(self.path(rel), 'w') as f:
            json.dump(obj, f)

    def info_file(self, rel: str, rows) -> str:
        """MMTracking's info file (its header, one line per video); returns ``rel``."""
        write_info_file(self.path(rel), rows, header=MMTRACK_INFO_HEADER)
        return rel


def _gt_text(boxes, sep=','):
    return '\n'.join(sep.join(f'{v:g}' for v in b) for b in boxes) + '\n'


def _image_size(path: str):
    import cv2
    img = cv2.imread(path)
    if img is None:
        raise ValueError(f'{path}: unreadable image')
    return img.shape[1], img.shape[0]


def write_got10k(w: Writer, videos) -> str:
    rows = []
    for name, frames, boxes, _ in videos:
        rel = f'train/{name}'
        for i, src in enumerate(frames, 1):
            w.frame(src, f'GOT10k/{rel}/{i:08d}.jpg')
        w.text(f'GOT10k/{rel}/groundtruth.txt', _gt_text(boxes))
        w.text(f'GOT10k/{rel}/absence.label', '0\n' * len(frames))
        w.text(f'GOT10k/{rel}/cover.label', '8\n' * len(frames))
        rows.append((rel, f'{rel}/groundtruth.txt', 1, len(frames)))
    return w.info_file('GOT10k/annotations/got10k_train_vot_infos.txt', rows)


def write_lasot(w: Writer, videos, split: str, max_frames=None) -> str:
    rows = []
    for name, frames, boxes, text in videos:
        n = len(frames) if max_frames is None else min(len(frames), max_frames)
        rel = f'synthetic/{name}'
        for i, src in enumerate(frames[:n], 1):
            w.frame(src, f'LaSOT_full/LaSOTBenchmark/{rel}/img/{i:08d}.jpg')
        w.text(f'LaSOT_full/LaSOTBenchmark/{rel}/groundtruth.txt', _gt_text(boxes[:n]))
        w.text(f'LaSOT_full/LaSOTBenchmark/{rel}/full_occlusion.txt', ','.join(['0'] * n))
        w.text(f'LaSOT_full/LaSOTBenchmark/{rel}/out_of_view.txt', ','.join(['0'] * n))
        w.text(f'LaSOT_full/LaSOTBenchmark/{rel}/nlp.txt', text + '\n')
        rows.append((f'{rel}/img', f'{rel}/groundtruth.txt', 1, n))
    return w.info_file(f'LaSOT_full/annotations/lasot_{split}_infos.txt', rows)


def write_trackingnet(w: Writer, videos) -> str:
    rows = []
    for name, frames, boxes, _ in videos:
        for i, src in enumerate(frames):
            w.frame(src, f'TrackingNet/TRAIN_0/frames/{name}/{i}.jpg')
        w.text(f'TrackingNet/TRAIN_0/anno/{name}.txt', _gt_text(boxes))
        rows.append((f'TRAIN_0/frames/{name}', f'TRAIN_0/anno/{name}.txt', 0, len(frames) - 1))
    return w.info_file('TrackingNet/annotations/trackingnet_train_infos.txt', rows)


def _still_images(videos, per_video: int):
    """``(name, src, box)`` of ``per_video`` frames spread over each video."""
    for name, frames, boxes, _ in videos:
        n = min(per_video, len(frames))
        for k in range(n):
            i = k * (len(frames) - 1) // max(n - 1, 1)
            yield f'{name}_{i + 1:05d}', frames[i], boxes[i]


def _category():
    return [dict(id=1, name='object', supercategory='object')]


def write_coco(w: Writer, videos, img_dir: str, ann_file: str, per_video: int) -> str:
    images, annotations = [], []
    for img_id, (stem, src, box) in enumerate(_still_images(videos, per_video), 1):
        file_name = f'{stem}.jpg'
        w.frame(src, f'{img_dir}/{file_name}')
        width, height = _image_size(src)
        images.append(dict(id=img_id, file_name=file_name, width=width, height=height))
        annotations.append(
            dict(
                id=img_id,
                image_id=img_id,
                category_id=1,
                bbox=list(box),
                area=float(box[2] * box[3]),
                iscrowd=0))
    w.json(ann_file, dict(images=images, annotations=annotations, categories=_category()))
    return ann_file


def write_imagenet_vid(w: Writer, videos) -> str:
    vids, images, annotations = [], [], []
    for vid_id, (name, frames, boxes, _) in enumerate(videos, 1):
        vids.append(dict(id=vid_id, name=f'train/{name}'))
        width, height = _image_size(frames[0])
        for i, (src, box) in enumerate(zip(frames, boxes)):
            file_name = f'train/{name}/{i:06d}.JPEG'
            w.frame(src, f'ILSVRC/Data/VID/{file_name}')
            img_id = len(images) + 1
            images.append(
                dict(
                    id=img_id,
                    file_name=file_name,
                    width=width,
                    height=height,
                    frame_id=i,
                    video_id=vid_id))
            annotations.append(
                dict(
                    id=img_id,
                    image_id=img_id,
                    video_id=vid_id,
                    instance_id=vid_id,
                    category_id=1,
                    bbox=list(box),
                    area=float(box[2] * box[3]),
                    iscrowd=False,
                    occluded=False,
                    generated=False))
    ann_file = 'ILSVRC/annotations/imagenet_vid_train.json'
    w.json(ann_file,
           dict(videos=vids, images=images, annotations=annotations, categories=_category()))
    return ann_file


def synthetic_vl_to_mmtrack(src: str,
                            out: str,
                            test_frames=None,
                            images_per_video: int = 4,
                            copy: bool = False) -> list:
    """Write the MMTracking layouts (see the module docstring).

    Args:
        src (str): The set in TNL2K layout.
        out (str): The output data root.
        test_frames (int, optional): Cut each test video to its first N frames.
        images_per_video (int): Frames of each train video used as still images.
        copy (bool): Copy frames instead of linking them.

    Returns:
        list[str]: The annotation files written, relative to ``out``.
    """
    train, test = read_split(src, 'train'), read_split(src, 'test')
    if not train and not test:
        raise FileNotFoundError(f'{src}: no videos in train/ or test/ (TNL2K layout expected)')
    w = Writer(out, copy=copy)
    written = []
    if train:
        written += [
            write_got10k(w, train),
            write_lasot(w, train, 'train'),
            write_trackingnet(w, train),
            write_coco(w, train, 'coco/train2017', 'coco/annotations/instances_train2017.json',
                       images_per_video),
            write_imagenet_vid(w, train),
            write_coco(w, train, 'ILSVRC/Data/DET', 'ILSVRC/annotations/'
                       'imagenet_det_30plus1cls.json', images_per_video),
        ]
    if test:
        written.append(write_lasot(w, test, 'test', test_frames))
    return written


def main(argv=None):
    args = parse_args(argv)
    try:
        written = synthetic_vl_to_mmtrack(args.input, args.output, args.test_frames,
                                          args.images_per_video, args.copy)
    except (FileNotFoundError, ValueError) as e:
        sys.exit(f'error: {e}')
    for rel in written:
        print(osp.join(args.output, rel))


if __name__ == '__main__':
    main()
