# Copyright (c) SATracker authors. Licensed under the Apache License 2.0.
"""Print the full config after inheritance and ``--cfg-options`` (MMTracking's tool).

Example:
    python tools/misc/print_config.py configs/satracker_tnl2k.py \
        --cfg-options train_dataloader.batch_size=4
"""
import argparse

from mmengine.config import DictAction

from satracker.cli import load_config


def parse_args(argv=None):
    parser = argparse.ArgumentParser(description='Print the whole config')
    parser.add_argument('config', help='config file path (or PACKAGE::path)')
    parser.add_argument(
        '--cfg-options',
        nargs='+',
        action=DictAction,
        help='override settings, key=value (see tools/train.py)')
    args = parser.parse_args(argv)
    args.work_dir, args.launcher = None, 'none'
    return args


def main(argv=None):
    args = parse_args(argv)
    cfg = load_config(args)
    print(f'Config:\n{cfg.pretty_text}')


if __name__ == '__main__':
    main()
