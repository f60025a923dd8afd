# Copyright (c) SATracker authors. Licensed under the Apache License 2.0.
"""What the info-file converter command lines share: their options, run and summary."""
import argparse
import sys
import time
from typing import Callable, Dict

__all__ = ['converter_parser', 'run_converter']


def converter_parser(dataset: str, input_help: str) -> argparse.ArgumentParser:
    """A parser with the options of every info-file converter.

    ``-i/--input``, ``-o/--output``, ``--split train|test|all``, ``--check-images`` and
    ``--workers``; a converter adds its own.

    Args:
        dataset (str): The release, for the description ('TNL2K').
        input_help (str): What ``--input`` is, in that release's layout.

    Returns:
        argparse.ArgumentParser: The parser.
    """
    parser = argparse.ArgumentParser(description=f'Generate the info files of {dataset}')
    parser.add_argument('-i', '--input', required=True, help=input_help)
    parser.add_argument(
        '-o',
        '--output',
        required=True,
        help='directory for the info files (e.g. <input>/annotations)')
    parser.add_argument('--split', choices=['train', 'test', 'all'], default='all')
    parser.add_argument(
        '--check-images',
        action='store_true',
        help='decode every frame and list the unreadable ones up front')
    parser.add_argument('--workers', type=int, default=4, help='threads for --check-images')
    return parser


def run_converter(convert: Callable[..., Dict[str, dict]], args: argparse.Namespace,
                  **kwargs) -> Dict[str, dict]:
    """Run a converter of :mod:`satracker_data.converters` and print its summary.

    Bad input (a missing folder, unparsable ground truth) ends the program with the
    converter's message, which names the files, and exit status 1.

    Args:
        convert (Callable): ``gen_*_infos(input, output, split=..., check_images=...,
            num_workers=..., **kwargs)``.
        args (argparse.Namespace): From :func:`converter_parser`.
        **kwargs: The converter's own options.

    Returns:
        dict: The converter's summary per split.
    """
    t0 = time.time()
    try:
        summary = convert(
            args.input,
            args.output,
            split=args.split,
            check_images=args.check_images,
            num_workers=args.workers,
            **kwargs)
    except (FileNotFoundError, ValueError) as e:
        sys.exit(f'error: {e}')
    for split, s in summary.items():
        frames = f' (+ {s["frames_file"]})' if 'frames_file' in s else ''
        unreadable = (f', {len(s["unreadable"])} unreadable images' if args.check_images else '')
        print(f'{split}: {s["num_videos"]} videos -> {s["info_file"]}{frames}; '
              f'{len(s["skipped"])} skipped{unreadable}')
    print(f'Done in {time.time() - t0:.2f} s')
    return summary
