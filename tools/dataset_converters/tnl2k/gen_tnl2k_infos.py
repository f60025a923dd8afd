# Copyright (c) SATracker authors. Licensed under the Apache License 2.0.
"""Write the info files of TNL2K (and of the synthetic set, which has its layout).

Example:
    python tools/dataset_converters/tnl2k/gen_tnl2k_infos.py \
        -i data/TNL2K -o data/TNL2K/annotations --split all --check-images

Writes ``tnl2k_{train,test}_infos.txt`` (``video_path,ann_path,start,end,language``
lines, paths relative to the input root) and ``tnl2k_{train,test}_frames.json`` (each
video's frame files), which ``TNL2KDataset`` reads.
"""
from satracker_data.cli import converter_parser, run_converter
from satracker_data.converters import gen_tnl2k_infos


def parse_args(argv=None):
    parser = converter_parser(
        'TNL2K', 'TNL2K root, holding train/ and test/ (or '
        'TNL2K_train_subset/ and TNL2K_test_subset/)')
    parser.add_argument('--train-dir', help='name of the train folder under --input')
    parser.add_argument('--test-dir', help='name of the test folder under --input')
    return parser.parse_args(argv)


def main(argv=None):
    args = parse_args(argv)
    split_dirs = {k: v for k, v in (('train', args.train_dir), ('test', args.test_dir)) if v}
    run_converter(gen_tnl2k_infos, args, split_dirs=split_dirs)


if __name__ == '__main__':
    main()
