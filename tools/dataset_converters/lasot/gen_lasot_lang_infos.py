# Copyright (c) SATracker authors. Licensed under the Apache License 2.0.
"""Write the info files of LaSOT with its language descriptions.

Example:
    python tools/dataset_converters/lasot/gen_lasot_lang_infos.py \
        -i data/LaSOT/LaSOTBenchmark -o data/LaSOT/annotations --split all

Writes ``lasot_{train,test}_infos.txt``: MMTracking's LaSOT lines plus the ``nlp.txt``
column (MMTracking's own ``LaSOTDataset`` reads these files too). The test split is
LaSOT's official 280 videos; the train split all the others.
"""
import sys

from satracker_data.cli import converter_parser, run_converter
from satracker_data.converters import gen_lasot_lang_infos


def parse_args(argv=None):
    parser = converter_parser('LaSOT (with language)',
                              'the LaSOTBenchmark folder (class folders inside)')
    parser.add_argument(
        '--test-list', help='text file with test video names (default: the official '
        '280)')
    return parser.parse_args(argv)


def main(argv=None):
    args = parse_args(argv)
    test_videos = None
    if args.test_list:
        try:
            with open(args.test_list, encoding='utf-8') as f:
                test_videos = f.read().split()
        except OSError as e:
            sys.exit(f'error: --test-list: {e}')
    run_converter(gen_lasot_lang_infos, args, test_videos=test_videos)


if __name__ == '__main__':
    main()
