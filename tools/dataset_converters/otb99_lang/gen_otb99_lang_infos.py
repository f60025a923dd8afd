# Copyright (c) SATracker authors. Licensed under the Apache License 2.0.
"""Write the info files of OTB99-Lang.

Example:
    python tools/dataset_converters/otb99_lang/gen_otb99_lang_infos.py \
        -i data/OTB99-Lang -o data/OTB99-Lang/annotations --split all

The input holds ``OTB_videos/``, ``OTB_query_train/`` and ``OTB_query_test/``. Writes
``otb99_lang_{train,test}_infos.txt`` with MMTracking's OTB100 frame ranges per sequence
(BlurCar1/3/4, David, Tiger1, ...), the query file and the frame-name template.
"""
import argparse
import os.path as osp
import sys
import time


def _import_datasets_module(name):
    """``satracker.datasets.<name>``, without importing all of satracker (light_import.py)."""
    sys.path.insert(0, osp.dirname(osp.dirname(osp.abspath(__file__))))
    from light_import import import_datasets_module
    return import_datasets_module(name)


def parse_args(argv=None):
    parser = argparse.ArgumentParser(
        description='Generate the info files of OTB99-Lang')
    parser.add_argument('-i', '--input', required=True,
                        help='root with OTB_videos/, OTB_query_train/, OTB_query_test/')
    parser.add_argument('-o', '--output', required=True,
                        help='directory for the info files')
    parser.add_argument('--split', choices=['train', 'test', 'all'], default='all')
    parser.add_argument('--check-images', action='store_true',
                        help='decode every frame and list the unreadable ones up front')
    parser.add_argument('--workers', type=int, default=4,
                        help='threads for --check-images')
    return parser.parse_args(argv)


def main(argv=None):
    args = parse_args(argv)
    gen_otb99_lang_infos = _import_datasets_module('converters').gen_otb99_lang_infos
    t0 = time.time()
    summary = gen_otb99_lang_infos(args.input, args.output, split=args.split,
                                   check_images=args.check_images,
                                   num_workers=args.workers)
    for split, s in summary.items():
        print(f'{split}: {s["num_videos"]} videos -> {s["info_file"]}; '
              f'{len(s["skipped"])} skipped'
              + (f', {len(s["unreadable"])} unreadable images'
                 if args.check_images else ''))
    print(f'Done in {time.time() - t0:.2f} s')


if __name__ == '__main__':
    main()
