# Copyright (c) SATracker authors. Licensed under the Apache License 2.0.
r"""Track a target given by a box and a sentence through a video or a folder of frames.

    python tools/demo.py demo.mp4 --text "the red car on the left" --bbox 120,80,60,40 \
        --config CONFIG --checkpoint CKPT --out work_dirs/demo_out.mp4 [--show-score-map]

``--bbox`` is ``x,y,w,h`` in the first frame's pixels. ``--out`` is a video (``.mp4``,
``.gif``, ...: ``satracker.visualization.write_clip``) or a folder of ``%06d.jpg`` frames. The
drawing (prediction red, sentence on a band below the frame, ``--show-score-map``: the dense
matching map) is ``VLTrackLocalVisualizer``'s. The checkpoint is read weights-only; without it
the model has its config's initial weights (random for the demo configs).
"""
import argparse
import logging
import os.path as osp
import re
import sys
import warnings

import mmcv
import numpy as np
from mmengine.config import DictAction
from mmengine.logging import MMLogger
from mmengine.utils import ProgressBar

from satracker.apis import inference_vlsot, init_model
from satracker.visualization import (CLIP_EXTENSIONS, FrameReader, FrameReadError,
                                     VLTrackLocalVisualizer, write_clip)


class DemoInputError(ValueError):
    """A command-line value of the demo (box, config, output, fps) that cannot be used."""


def parse_args(argv=None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description='SATracker demo: box + sentence -> track')
    parser.add_argument('input', help='a video file or a folder of frames (sorted by name)')
    parser.add_argument('--text', required=True, help='the sentence (may be "")')
    parser.add_argument('--bbox', required=True, help='the first-frame target: x,y,w,h')
    parser.add_argument('--config', required=True, help='the tracker config file')
    parser.add_argument('--checkpoint', help='weights-only checkpoint (tools/misc/publish_model)')
    parser.add_argument('--out', required=True, help='output video (.mp4, .gif) or folder')
    parser.add_argument('--device', default='cpu', help='device, e.g. cpu or cuda:0')
    parser.add_argument('--bf16', action='store_true', help='track under bfloat16 autocast')
    parser.add_argument('--fps', type=float, help='output fps (default: the input\'s, or 30)')
    parser.add_argument('--show-score-map', action='store_true', help='draw the matching map')
    parser.add_argument('--cfg-options', nargs='+', action=DictAction, default={}, help='key=value')
    parser.add_argument('--verbose', action='store_true', help='keep the model-build log')
    return parser.parse_args(argv)


def parse_bbox(text: str) -> np.ndarray:
    """``x,y,w,h`` (commas and/or spaces) as a (4,) float array; w and h must be > 0."""
    try:
        box = np.array([float(p) for p in re.split(r'[,\s]+', str(text).strip()) if p])
    except ValueError:
        box = np.zeros(0)
    if box.shape != (4, ) or not np.all(np.isfinite(box)):
        raise DemoInputError(f'--bbox "{text}" is malformed: expected four numbers x,y,w,h '
                             '(first-frame pixels: top-left corner, width, height)')
    if box[2] <= 0 or box[3] <= 0:
        raise DemoInputError(f'--bbox "{text}" has width {box[2]:g} and height {box[3]:g}: '
                             'both must be > 0')
    return box


def check_bbox_in_frame(box: np.ndarray, frame_shape, source: str, tol: float = 1.0) -> None:
    """Refuse an ``x, y, w, h`` box that sticks out of the (H, W) first frame by > ``tol``."""
    (h, w), (x, y, bw, bh) = frame_shape[:2], box
    if x < -tol or y < -tol or x + bw > w + tol or y + bh > h + tol:
        raise DemoInputError(f'--bbox {x:g},{y:g},{bw:g},{bh:g} lies outside the first frame '
                             f'of "{source}", which is {w}x{h} (width x height)')


def main(argv=None) -> list:
    """Run the demo; return every frame's box as ``[x, y, w, h]`` (the first: ``--bbox``)."""
    args = parse_args(argv)
    box = parse_bbox(args.bbox)
    if not osp.isfile(args.config):
        raise DemoInputError(f'config file "{args.config}" does not exist')
    ext = osp.splitext(args.out)[1].lower()
    if ext and ext not in CLIP_EXTENSIONS and not osp.isdir(args.out):
        raise DemoInputError(f'--out "{args.out}" names a single image or an unknown format; '
                             f'give a folder or a video ({", ".join(CLIP_EXTENSIONS)})')
    if args.fps is not None and not args.fps > 0:
        raise DemoInputError(f'--fps {args.fps:g} must be > 0')
    frames = FrameReader(args.input)
    check_bbox_in_frame(box, frames.first.shape, (frames.files or [args.input])[0])

    options = dict(args.cfg_options)
    if args.show_score_map:
        options['model.test_cfg.with_score_map'] = True
    if args.bf16:
        options['model.test_cfg.precision'] = 'bf16'
    logger = MMLogger.get_current_instance()
    level = logger.level
    logger.setLevel(level if args.verbose else logging.WARNING)
    try:
        model = init_model(args.config, args.checkpoint, args.device, cfg_options=options)
    finally:
        logger.setLevel(level)
    visualizer = VLTrackLocalVisualizer(name='satracker_demo')
    init_xyxy = [box[0], box[1], box[0] + box[2], box[1] + box[3]]
    boxes = []

    def drawn_frames():
        # file: today's stdout (ProgressBar's default is the stdout of when mmengine was imported)
        progress = ProgressBar(len(frames), file=sys.stdout)
        for frame_id, frame in enumerate(frames):
            result = inference_vlsot(model, frame, init_xyxy, args.text, frame_id)
            x1, y1, x2, y2 = result.pred_track_instances.bboxes[0].float().tolist()
            boxes.append([x1, y1, x2 - x1, y2 - y1])
            if args.show_score_map and frame_id == 1 and 'dm_score_map' not in result:
                warnings.warn('--show-score-map: this model gives no dense matching map')
            # the packed sample's GT is the first box, repeated: only the prediction is drawn
            drawn = visualizer.draw_vl_datasample(frame[..., ::-1], result, draw_gt=False)
            yield drawn[..., ::-1]
            progress.update()

    if ext and not osp.isdir(args.out):
        write_clip(drawn_frames(), args.out, args.fps or frames.fps or 30.0)
    else:
        for frame_id, drawn in enumerate(drawn_frames()):
            mmcv.imwrite(drawn, osp.join(args.out, f'{frame_id:06d}.jpg'))
    print(f'\n{len(boxes)} frames tracked; written to {osp.abspath(args.out)}')
    return boxes


if __name__ == '__main__':
    try:
        main()
    except (DemoInputError, FrameReadError, FileNotFoundError) as error:
        sys.exit(f'demo.py: error: {error}')
