# Copyright (c) SATracker authors. Licensed under the Apache License 2.0.
"""Generate the synthetic vision-language tracking set (TNL2K layout).

Example (the demo's data):
    python tools/dataset_converters/make_synthetic_vl.py --out data/synthetic_vl \
        --train-videos 16 --test-videos 4 --frames 60 --seed 0

Moving coloured shapes on textured backgrounds, with look-alike distractors that cross
and occlude the target; each video's sentence names what tells the target apart
(colour, shape or position in the first frame). The same seed gives identical files.
The info files are written to ``<out>/annotations`` so that
``configs/_base_/datasets/synthetic_vl.py`` reads the folder directly.
"""
import argparse
import sys
import time

from satracker_data.synthetic_vl import make_synthetic_vl


def _size(text):
    w, _, h = text.lower().partition('x')
    return int(w), int(h)


def parse_args(argv=None):
    parser = argparse.ArgumentParser(
        description='Generate a synthetic VL tracking set in TNL2K layout')
    parser.add_argument('--out', required=True, help='output folder')
    parser.add_argument('--train-videos', type=int, default=16)
    parser.add_argument('--test-videos', type=int, default=4)
    parser.add_argument('--frames', type=int, default=60, help='frames per video')
    parser.add_argument('--seed', type=int, default=0)
    parser.add_argument(
        '--size', type=_size, default=(320, 240), help='frame size WxH (default 320x240)')
    parser.add_argument(
        '--no-infos', action='store_true', help='do not write the info files (annotations/)')
    parser.add_argument(
        '--fade-prob',
        type=float,
        default=0.0,
        help='share of videos that start grey and fade in to colour over '
        'their first frames (default 0)')
    parser.add_argument(
        '--mode-weights',
        type=float,
        nargs=3,
        default=None,
        metavar=('COLOUR', 'SHAPE', 'POSITION'),
        help='relative frequency of colour / shape / position videos '
        '(default: equal)')
    return parser.parse_args(argv)


def main(argv=None):
    args = parse_args(argv)
    t0 = time.time()
    try:
        summary = make_synthetic_vl(
            args.out,
            train_videos=args.train_videos,
            test_videos=args.test_videos,
            num_frames=args.frames,
            seed=args.seed,
            width=args.size[0],
            height=args.size[1],
            write_infos=not args.no_infos,
            progress=True,
            fade_prob=args.fade_prob,
            mode_weights=args.mode_weights)
    except (ValueError, RuntimeError) as e:  # bad sizes; a frame too small to plan in
        sys.exit(f'error: {e}')
    for split, s in summary.items():
        print(f'{split}: {len(s["videos"])} videos' +
              (f' -> {s["info_file"]}' if 'info_file' in s else ''))
    print(f'Done in {time.time() - t0:.2f} s: {args.out}')


if __name__ == '__main__':
    main()
