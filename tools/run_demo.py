# Copyright (c) SATracker authors. Licensed under the Apache License 2.0.
"""The main job behind ``make demo``: synthetic VL data -> 3 trainings -> tests -> table + plots.

Steps (each shows its progress and its wall time):

1. generate a small synthetic vision-language dataset in TNL2K layout (``data/synthetic_vl``,
   deterministic; skipped when present);
2. train, each with ``tools/dist_train.sh CONFIG 2`` (two CPU processes, gloo, or two GPUs):
   a tiny SATracker whose text encoder is the real pretrained all-MiniLM-L6-v2 split into
   three stages, its vision-only ablation (no SAM, same budget), and a tiny MMTracking
   STARK-ST1 (same data, same budget);
3. publish each last checkpoint weights-only and test it with ``tools/test.py`` on the
   synthetic test videos (VLSOTMetric, pytracking protocol; per-frame time measured);
4. print one table (SUC / NPRE / PRE / ms per frame) and write success and precision plots and
   a few visualised frames under ``work_dirs/demo/``.

Usage:
    python tools/run_demo.py [--work-dir work_dirs/demo] [--procs 2] [--only satracker,stark]
"""
import argparse
import glob
import json
import os
import os.path as osp
import shutil
import subprocess
import sys
import time

from satracker.evaluation.plots import (format_results_table, load_tracker_result,
                                        plot_all)

ROOT = osp.dirname(osp.dirname(osp.abspath(__file__)))
#: Where configs/_base_/datasets/synthetic_vl.py reads the synthetic set.
DATA_ROOT = 'data/synthetic_vl'

#: (name in the table, config) of the three demo trackers.
TRACKERS = (
    ('SATracker', 'configs/demo/satracker_tiny-minilm_2xb8_synthetic.py'),
    ('SATracker w/o SAM', 'configs/demo/satracker_tiny-minilm-wo-sam_2xb8_synthetic.py'),
    ('STARK-ST1', 'configs/demo/stark-st1_tiny-r18_2xb8_synthetic.py'),
)


def log(msg: str) -> None:
    print(f'[demo {time.strftime("%H:%M:%S")}] {msg}', flush=True)


def run(cmd, **kwargs) -> float:
    """Run a command from the repo root, streaming its output; return its wall time."""
    log('$ ' + ' '.join(cmd))
    start = time.time()
    env = dict(os.environ, PYTHONPATH=osp.join(ROOT, 'projects'), HF_HUB_OFFLINE='1')
    subprocess.run(cmd, cwd=ROOT, check=True, env=env, **kwargs)
    return time.time() - start


def parse_args(argv=None):
    parser = argparse.ArgumentParser(description='SATracker CPU demo (make demo)')
    parser.add_argument('--work-dir', default='work_dirs/demo')
    parser.add_argument('--procs', type=int, default=2, help='training processes')
    parser.add_argument('--only', default=None,
                        help='comma-separated subset of: satracker, wo-sam, stark')
    parser.add_argument('--cfg-options', nargs='*', default=[],
                        help='extra --cfg-options for every training and test (e.g. for a '
                        'quick check: train_cfg.max_epochs=1)')
    return parser.parse_args(argv)


def selected(only):
    keys = {'SATracker': 'satracker', 'SATracker w/o SAM': 'wo-sam', 'STARK-ST1': 'stark'}
    if not only:
        return list(TRACKERS)
    wanted = set(only.split(','))
    unknown = wanted - set(keys.values())
    if unknown:
        raise SystemExit(f'--only: unknown tracker(s) {sorted(unknown)}; choose from '
                         f'{sorted(keys.values())}')
    return [t for t in TRACKERS if keys[t[0]] in wanted]


def generate_data(data_root: str) -> float:
    if osp.isdir(osp.join(ROOT, data_root, 'train')) and osp.isdir(
            osp.join(ROOT, data_root, 'test')):
        log(f'synthetic data already in {data_root} (make clean-demo to regenerate)')
        return 0.0
    log(f'1/4 generating the synthetic VL dataset in {data_root}')
    return run([sys.executable, 'tools/dataset_converters/make_synthetic_vl.py', '--out',
                data_root, '--train-videos', '24', '--test-videos', '8', '--frames', '60',
                '--seed', '0'])


def last_checkpoint(work_dir: str) -> str:
    marker = osp.join(work_dir, 'last_checkpoint')
    if osp.isfile(marker):
        with open(marker) as f:
            return f.read().strip()
    ckpts = sorted(glob.glob(osp.join(work_dir, 'epoch_*.pth')),
                   key=lambda p: int(osp.basename(p)[6:-4]))
    if not ckpts:
        raise RuntimeError(f'no checkpoint was written in {work_dir}')
    return ckpts[-1]


def main(argv=None):
    args = parse_args(argv)
    work_dir = osp.join(ROOT, args.work_dir)
    os.makedirs(work_dir, exist_ok=True)
    start = time.time()
    timings = dict(data=generate_data(DATA_ROOT))
    cfg_options = list(args.cfg_options)

    results = []
    trackers = selected(args.only)
    for i, (name, config) in enumerate(trackers):
        slug = osp.splitext(osp.basename(config))[0]
        run_dir = osp.join(work_dir, slug)
        log(f'2/4 training {name} ({i + 1}/{len(trackers)}) with {args.procs} processes')
        shutil.rmtree(run_dir, ignore_errors=True)
        extra = ['--cfg-options', *cfg_options] if cfg_options else []
        timings[f'train {name}'] = run([
            'bash', 'tools/dist_train.sh', config, str(args.procs), '--work-dir', run_dir,
            *extra
        ])
        published = run_dir + '/published.pth'
        run([sys.executable, 'tools/misc/publish_model.py', last_checkpoint(run_dir), published,
             '--trust-checkpoint'])
        published = sorted(glob.glob(run_dir + '/published-*.pth'))[-1]
        log(f'3/4 testing {name}')
        test_dir = osp.join(run_dir, 'test')
        timings[f'test {name}'] = run([
            sys.executable, 'tools/test.py', config, '--checkpoint', published, '--work-dir',
            test_dir, '--cfg-options', f'test_evaluator.out_dir={test_dir}/results',
            f'test_evaluator.tracker_name={name}', *cfg_options
        ])
        results.append(load_tracker_result(osp.join(test_dir, 'results'), name))

    log('4/4 comparing')
    table = format_results_table(results)
    plots = plot_all(results, work_dir, title_suffix=' on synthetic VL (test split)')
    with open(osp.join(work_dir, 'results.md'), 'w') as f:
        f.write(table + '\n')
    with open(osp.join(work_dir, 'timings.json'), 'w') as f:
        json.dump(timings, f, indent=2)
    print('\n' + table + '\n')
    log('plots: ' + ', '.join(osp.relpath(p, ROOT) for p in plots.values()))
    log('visualised frames: ' + ', '.join(
        osp.relpath(d, ROOT) for d in sorted(glob.glob(osp.join(work_dir, '*', 'test', 'vis')))))
    log('wall time per step (s): ' + ', '.join(f'{k} {v:.0f}' for k, v in timings.items()))
    log(f'demo finished in {time.time() - start:.0f} s; table, plots and visualised frames in '
        f'{args.work_dir}/')


if __name__ == '__main__':
    main()
