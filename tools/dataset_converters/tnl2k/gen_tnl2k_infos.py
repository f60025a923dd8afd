# Copyright (c) SATracker authors. Licensed under the Apache License 2.0.
"""Write the info files of TNL2K (and of the synthetic set, which has its layout).

Example:
    python tools/dataset_converters/tnl2k/gen_tnl2k_infos.py \
        -i data/TNL2K -o data/TNL2K/annotations --split all --check-images

Writes ``tnl2k_{train,test}_infos.txt`` (``video_path,ann_path,start,end,language``
lines, paths relative to the input root) and ``tnl2k_{train,test}_frames.json`` (each
video's frame files), which ``TNL2KDataset`` reads.
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
    parser = argparse.ArgumentParser(description='Generate the info files of TNL2K')
    parser.add_argument('-i', '--input', required=True,
                        help='TNL2K root, holding train/ and test/ (or '
                        'TNL2K_train_subset/ and TNL2K_test_subset/)')
    parser.add_argument('-o', '--output', required=True,
                        help='directory for the info files (e.g. <input>/annotations)')
    parser.add_argument('--split', choices=['train', 'test', 'all'], default='all')
    parser.add_argument('--train-dir', help='name of the train folder under --input')
    parser.add_argument('--test-dir', help='name of the test folder under --input')
    parser.add_argument('--check-images', action='store_true',
                        help='decode every frame and list the unreadable ones up front')
    parser.add_argument('--workers', type=int, default=4,
                        help='threads for --check-images')
    return parser.parse_args(argv)


def main(argv=None):
    args = parse_args(argv)
    gen_tnl2k_infos = _import_datasets_module('converters').gen_tnl2k_infos
    t0 = time.time()
    split_dirs = {k: v for k, v in (('train', args.train_dir), ('test', args.test_dir))
                  if v}
    summary = gen_tnl2k_infos(args.input, args.output, split=args.split,
                              check_images=args.check_images, num_workers=args.workers,
                              split_dirs=split_dirs)
    for split, s in summary.items():
        print(f'{split}: {s["num_videos"]} videos -> {s["info_file"]} '
              f'(+ {s["frames_file"]}); {len(s["skipped"])} skipped'
              + (f', {len(s["unreadable"])} unreadable images'
                 if args.check_images else ''))
    print(f'Done in {time.time() - t0:.2f} s')


if __name__ == '__main__':
    main()
