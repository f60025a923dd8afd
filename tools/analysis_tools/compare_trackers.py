# Copyright (c) SATracker authors. Licensed under the Apache License 2.0.
"""Compare trackers on one test set: one table (SUC / NPRE / PRE [/ ms per frame]) and plots.

Each RESULT_DIR is a folder written by ``VLSOTMetric(out_dir=...)`` (``tools/test.py`` of
SATracker, its ablations, or MMTracking's STARK / SiamRPN++ run through our ``tools/test.py``
with ``VLSOTMetric`` as the test evaluator): its ``vl_sot_eval.json`` holds the numbers and the
mean curves, so no ground truth is needed. With ``--gt-dir`` the ``<video>.txt`` predictions of
each folder are (re)scored against ``<gt-dir>/<video>.txt`` instead (any tracker's raw results,
e.g. those published by other authors, in ``x,y,w,h`` per line).

Examples:
    python tools/analysis_tools/compare_trackers.py \\
        work_dirs/satracker/results work_dirs/stark/results \\
        --names SATracker STARK --out work_dirs/compare
    python tools/analysis_tools/compare_trackers.py results/A results/B \\
        --gt-dir data/TNL2K/gt_rect --absent-dir data/TNL2K/absent --protocol tnl2k_official \\
        --out work_dirs/compare_tnl2k

Writes ``<out>/success_plot.png``, ``<out>/precision_plot.png``,
``<out>/norm_precision_plot.png`` and ``<out>/results.md`` (the table).
"""
import argparse
import os
import os.path as osp
import sys

from satracker.evaluation.functional import PROTOCOLS
from satracker.evaluation.plots import format_results_table, plot_all
from satracker.evaluation.result_files import load_tracker_result


def parse_args(argv=None):
    parser = argparse.ArgumentParser(
        description='Compare trackers: SUC / NPRE / PRE table and success / precision plots')
    parser.add_argument(
        'result_dirs',
        nargs='+',
        metavar='RESULT_DIR',
        help='folders written by VLSOTMetric (vl_sot_eval.json and/or '
        '<video>.txt files)')
    parser.add_argument(
        '--names',
        nargs='+',
        help='display names, one per RESULT_DIR '
        "(default: the JSON's tracker_name, else the folder name)")
    parser.add_argument('--out', required=True, help='output folder for the plots and table')
    parser.add_argument(
        '--gt-dir',
        help='folder of <video>.txt ground truth (x,y,w,h); '
        'rescore the <video>.txt predictions instead of reading the JSON')
    parser.add_argument(
        '--absent-dir',
        help='with --gt-dir: folder of <video>.txt 0/1 '
        'flags, 1 = target absent (LaSOT/TNL2K); absent frames are misses')
    parser.add_argument(
        '--protocol',
        choices=PROTOCOLS,
        default=None,
        help='scoring protocol with --gt-dir (default pytracking); without '
        'it, only checks that the JSONs were scored with this protocol')
    parser.add_argument(
        '--title', default='', help="appended to the plot titles, e.g. "
        "' on TNL2K'")
    args = parser.parse_args(argv)
    if args.names is not None and len(args.names) != len(args.result_dirs):
        parser.error(f'--names has {len(args.names)} names for {len(args.result_dirs)} '
                     'result folders')
    if args.absent_dir is not None and args.gt_dir is None:
        parser.error('--absent-dir needs --gt-dir')
    return args


def main(argv=None):
    args = parse_args(argv)
    names = args.names or [None] * len(args.result_dirs)
    results = []
    for result_dir, name in zip(args.result_dirs, names):
        if not osp.isdir(result_dir):
            sys.exit(f'error: result folder {result_dir} does not exist')
        try:
            results.append(
                load_tracker_result(
                    result_dir,
                    name,
                    gt_dir=args.gt_dir,
                    absent_dir=args.absent_dir,
                    protocol=args.protocol))
        except (FileNotFoundError, ValueError) as e:
            sys.exit(f'error: {e}')
    protocols = {r['protocol'] for r in results}
    if len(protocols) > 1:
        print(
            f'warning: the trackers were scored with different protocols {protocols}',
            file=sys.stderr)
    video_sets = {tuple(sorted(r['video_names'])) for r in results if r['video_names']}
    if len(video_sets) > 1:
        print('warning: the trackers were scored on different sets of videos', file=sys.stderr)
    table = format_results_table(results)
    print(table)
    os.makedirs(args.out, exist_ok=True)
    with open(osp.join(args.out, 'results.md'), 'w') as f:
        f.write(table + '\n')
    paths = plot_all(results, args.out, title_suffix=args.title)
    for path in paths.values():
        print(f'saved {path}')


if __name__ == '__main__':
    main()
