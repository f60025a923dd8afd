# Copyright (c) SATracker authors. Licensed under the Apache License 2.0.
"""Write the info files of LaSOT with its language descriptions.

Example:
    python tools/dataset_converters/lasot/gen_lasot_lang_infos.py \
        -i data/LaSOT/LaSOTBenchmark -o data/LaSOT/annotations --split all

Writes ``lasot_{train,test}_infos.txt``: MMTracking's LaSOT lines plus the ``nlp.txt``
column (MMTracking's own ``LaSOTDataset`` reads these files too). The test split is
LaSOT's official 280 videos; the train split all the others.
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
        description='Generate the info files of LaSOT (with language)')
    parser.add_argument('-i', '--input', required=True,
                        help='the LaSOTBenchmark folder (class folders inside)')
    parser.add_argument('-o', '--output', required=True,
                        help='directory for the info files')
    parser.add_argument('--split', choices=['train', 'test', 'all'], default='all')
    parser.add_argument('--test-list',
                        help='text file with test video names (default: the official '
                        '280)')
    parser.add_argument('--check-images', action='store_true',
                        help='decode every frame and list the unreadable ones up front')
    parser.add_argument('--workers', type=int, default=4,
                        help='threads for --check-images')
    return parser.parse_args(argv)


def main(argv=None):
    args = parse_args(argv)
    gen_lasot_lang_infos = _import_datasets_module('converters').gen_lasot_lang_infos
    t0 = time.time()
    test_videos = None
    if args.test_list:
        with open(args.test_list, encoding='utf-8') as f:
            test_videos = f.read().split()
    summary = gen_lasot_lang_infos(args.input, args.output, split=args.split,
                                   check_images=args.check_images,
                                   num_workers=args.workers, test_videos=test_videos)
    for split, s in summary.items():
        print(f'{split}: {s["num_videos"]} videos -> {s["info_file"]}; '
              f'{len(s["skipped"])} skipped'
              + (f', {len(s["unreadable"])} unreadable images'
                 if args.check_images else ''))
    print(f'Done in {time.time() - t0:.2f} s')


if __name__ == '__main__':
    main()
