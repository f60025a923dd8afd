# Copyright (c) SATracker authors. Licensed under the Apache License 2.0.
"""Check a config end to end on your data and weights, in minutes (docs/training.md).

Trains the config for a few iterations (batch 1, no dataloader workers, no validation) with
``tools/train.py``, then tests the trained checkpoint on the first frames of the first test
video(s) with ``tools/test.py``: the same commands as a real run, with a few overrides. It
prints the losses, the size of the model, the test scores and speed, the peak memory and
where the files are. Missing data or weights stop it before anything runs, with the paths.

Examples:
    python tools/misc/check_setup.py configs/satracker_tnl2k.py
    python tools/misc/check_setup.py \
        configs/satracker/satracker_cvt21-bert_2xb8-500e_got10k-lasot-trackingnet-coco_phase1.py \
        --iters 2 --test-frames 5 --cfg-options \
        model.backbone.text_encoder.pretrained=/data/pretrained/bert-base-uncased

What it overrides (everything else is the config's): ``train_dataloader.batch_size``,
``num_workers=0``, the ``QuotaSampler``'s ``samples_per_epoch`` (= iterations x batch),
``train_cfg.max_epochs=1``, the logger interval (1), a checkpoint without the optimizer
state, no validation loop; for the test,
``test_dataloader.dataset.ann_file`` becomes a shortened copy of the config's info file
(first ``--test-videos`` videos, first ``--test-frames`` frames) in the work dir.
"""
import argparse
import glob
import json
import math
import os
import os.path as osp
import re
import shlex
import subprocess
import sys
import time
from typing import Tuple

from mmengine.config import DictAction

REPO_ROOT = osp.dirname(osp.dirname(osp.dirname(osp.abspath(__file__))))
TRAIN_TOOL = osp.join(REPO_ROOT, 'tools', 'train.py')
TEST_TOOL = osp.join(REPO_ROOT, 'tools', 'test.py')


class SetupError(Exception):
    """A problem of the user's setup; reported as a short message, without a traceback.

    Args:
        message (str): The message.
        code (int): The exit status (2 for missing files, as tools/train.py's check).
    """

    def __init__(self, message: str, code: int = 1):
        super().__init__(message)
        self.code = code


def parse_args(argv=None):
    parser = argparse.ArgumentParser(
        description='Train a config for a few iterations and test a few frames, to check '
        'the data, weights and install before a real run')
    parser.add_argument('config', help='config file path')
    parser.add_argument('--iters', type=int, default=2, help='training iterations (default 2)')
    parser.add_argument('--batch-size', type=int, default=1, help='training batch size (default 1)')
    parser.add_argument(
        '--test-videos',
        type=int,
        default=1,
        help='test videos, the first ones of the test set (default 1)')
    parser.add_argument(
        '--test-frames',
        type=int,
        default=5,
        help='frames of each test video (default 5; 0 skips the test)')
    parser.add_argument(
        '--work-dir',
        help='where logs, the checkpoint and results go (default '
        'work_dirs/check_setup/<config name>)')
    parser.add_argument(
        '--verbose',
        action='store_true',
        help="also print the training and test output (always in the logs)")
    from satracker.cli import add_passed_on_cfg_options
    add_passed_on_cfg_options(
        parser, 'overrides for both runs, as for tools/train.py (data roots, weights, ...)')
    args = parser.parse_args(argv)
    if args.iters < 1 or args.batch_size < 1 or args.test_videos < 1 or args.test_frames < 0:
        parser.error('--iters, --batch-size and --test-videos must be >= 1, '
                     '--test-frames >= 0')
    return args


# ----------------------------------------------------------------------------- checks
def _parse_options(options: list) -> dict:
    """``KEY=VALUE`` strings parsed as the tools' ``--cfg-options`` (mmengine's DictAction)."""
    namespace = argparse.Namespace(options=None)
    DictAction(option_strings=['--cfg-options'], dest='options')(None, namespace, options)
    return namespace.options or {}


def _load(config: str, options: list):
    """The config as the tools see it with these ``--cfg-options``."""
    from satracker.cli import load_config
    config_args = argparse.Namespace(
        config=config, cfg_options=_parse_options(options), work_dir=None, launcher='none')
    try:
        return load_config(config_args)
    except (FileNotFoundError, SyntaxError, KeyError, ValueError, TypeError) as e:
        raise SetupError(f'cannot load {config}: {e}') from None


def preflight(config: str, train_cfg, test_cfg=None) -> None:
    """Stop before anything runs when the training (or test) run would miss a file.

    Uses the check of ``tools/train.py`` / ``tools/test.py`` (``--check-only``); the test
    data are checked too, so a missing test set does not show up after the training.

    Raises:
        SetupError: Listing every missing file with the command that makes it.
    """
    from satracker.utils.prerequisites import EXIT_MISSING, find_missing, format_missing
    sampler = (train_cfg.get('train_dataloader') or {}).get('sampler', {}).get('type')
    if sampler != 'QuotaSampler':
        raise SetupError(f'train_dataloader.sampler is {sampler!r}: check_setup sets the '
                         'iterations through QuotaSampler.samples_per_epoch (the sampler of '
                         'the SATracker and STARK configs); give a training config')
    missing = find_missing(train_cfg, 'train')
    if test_cfg is not None:
        seen = {m.path for m in missing}
        missing += [
            m for m in find_missing(test_cfg, 'test')
            if m.key.startswith('test_dataloader') and m.path not in seen
        ]
    if missing:
        raise SetupError(format_missing(missing, config), code=EXIT_MISSING)


# ----------------------------------------------------------------------------- test data
def shorten_test_set(cfg, out_dir: str, num_videos: int, num_frames: int) -> str:
    """Write the first videos of the config's test info file, cut to their first frames.

    Info files are MMTracking's (``video_path,annotation_path,start_frame_id,end_frame_id``
    plus optional columns); only the end frame changes. A frame list that goes with the
    info file (``<name>_frames.json``, TNL2K's) is copied next to the copy.

    Returns:
        str: The shortened info file (absolute), for ``test_dataloader.dataset.ann_file``.

    Raises:
        SetupError: When the test set is not described by such an info file.
    """
    from satracker.datasets.tnl2k_dataset import default_frames_file
    from satracker.datasets.vl_sot_io import read_info_file, write_info_file
    dataset = cfg.test_dataloader.dataset
    ann = dataset.get('ann_file') or ''
    if not osp.isabs(ann) and dataset.get('data_root'):
        ann = osp.join(dataset.data_root, ann)
    with open(ann, encoding='utf-8') as f:
        header = f.readline().rstrip('\n')
    rows = read_info_file(ann)[:num_videos]
    for i, row in enumerate(rows):
        try:
            start, end = int(row[2]), int(row[3])
        except (IndexError, ValueError):
            raise SetupError(
                f'{ann}, line {i + 2}: not "video_path,annotation_path,start,end,...": '
                'check_setup shortens MMTracking-style info files only; use '
                '--test-frames 0 to skip the test') from None
        row[3] = str(min(end, start + num_frames - 1))
    if not rows:
        raise SetupError(f'{ann} lists no video')
    short = osp.abspath(osp.join(out_dir, osp.basename(ann)))
    write_info_file(short, rows, header=header)
    frames_file = default_frames_file(ann)
    if osp.isfile(frames_file):
        with open(frames_file, encoding='utf-8') as f:
            frames = json.load(f)
        with open(default_frames_file(short), 'w', encoding='utf-8') as f:
            json.dump({row[0]: frames[row[0]] for row in rows if row[0] in frames}, f)
    return short


# ----------------------------------------------------------------------------- runs
_EXCEPTION_LINE = re.compile(r'^[A-Za-z_][\w.]*(Error|Exception|Interrupt|Exit)\b.*')


def run_tool(cmd: list, log_file: str, verbose: bool) -> Tuple[float, float]:
    """Run a tool in a subprocess, its output into ``log_file``.

    Returns:
        tuple[float, float]: The seconds it took and its peak resident memory in GB.

    Raises:
        SetupError: When it fails, with the error it printed last and the log's path.
    """
    t0 = time.time()
    env = dict(os.environ)
    env['PYTHONPATH'] = os.pathsep.join(
        p for p in (osp.join(REPO_ROOT, 'projects'), env.get('PYTHONPATH')) if p)
    lines = []
    with open(log_file, 'w', encoding='utf-8') as log:
        log.write(shlex.join(cmd) + '\n')
        # In the caller's directory: relative paths of the config mean the same there.
        proc = subprocess.Popen(
            cmd,
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
            errors='replace')
        for line in proc.stdout:
            log.write(line)
            lines.append(line.rstrip('\n'))
            if verbose:
                print(line, end='', flush=True)
        proc.stdout.close()
        # wait4 gives this child's own resource usage (ru_maxrss in KiB on Linux)
        _, status, usage = os.wait4(proc.pid, 0)
        rc = proc.returncode = os.waitstatus_to_exitcode(status)
    if rc != 0:
        errors = [ln for ln in lines if _EXCEPTION_LINE.match(ln)]
        reason = errors[-1] if errors else '\n'.join(lines[-12:]) or 'no output'
        raise SetupError(f'{osp.basename(cmd[1])} failed (exit {rc}): {reason}\n'
                         f'  full output: {log_file}')
    return time.time() - t0, usage.ru_maxrss / 2**20


def last_scalars(work_dir: str) -> dict:
    """The last training record with losses of the run's ``vis_data/scalars.json``."""
    files = sorted(glob.glob(osp.join(work_dir, '*', 'vis_data', 'scalars.json')))
    if not files:
        raise SetupError(f'no vis_data/scalars.json under {work_dir}: nothing was logged')
    record = {}
    with open(files[-1], encoding='utf-8') as f:
        for line in f:
            entry = json.loads(line)
            if any(k.startswith('loss') for k in entry):
                record = entry
    return record


def checkpoint_size(checkpoint: str) -> float:
    """Millions of values in the checkpoint's state dict (parameters and buffers)."""
    import torch

    # The run's own checkpoint, written by tools/train.py just now (trusted as when
    # resuming); mmap reads only the tensor headers, not the optimizer state.
    ckpt = torch.load(checkpoint, map_location='cpu', mmap=True, weights_only=False)
    return sum(v.numel() for v in ckpt['state_dict'].values()) / 1e6


def _show(path: str) -> str:
    """A path as printed: relative when it lies under the current directory."""
    rel = osp.relpath(path)
    return path if rel.startswith('..') else rel


def train_options(args) -> list:
    """What check_setup changes in the training run (after the user's options)."""
    return [
        f'train_dataloader.batch_size={args.batch_size}',
        'train_dataloader.num_workers=0',
        'train_dataloader.persistent_workers=False',
        f'train_dataloader.sampler.samples_per_epoch={args.iters * args.batch_size}',
        'train_cfg.max_epochs=1',
        'default_hooks.logger.interval=1',
        # weights only (not the optimizer state, twice their size): enough to test the
        # checkpoint and to start the next phase from it; a check is never resumed
        'default_hooks.checkpoint.save_optimizer=False',
        'val_dataloader=None',
        'val_cfg=None',
        'val_evaluator=None'
    ]


def test_options(short_ann_file: str, results_dir: str, cfg) -> list:
    """What check_setup changes in the test run (after the user's options)."""
    options = [
        f'test_dataloader.dataset.ann_file={short_ann_file}', 'test_dataloader.num_workers=0',
        'test_dataloader.persistent_workers=False'
    ]
    evaluator = cfg.get('test_evaluator')
    if isinstance(evaluator, dict) and evaluator.get('type') == 'VLSOTMetric':
        options.append(f'test_evaluator.out_dir={results_dir}')
    return options


def main(argv=None) -> dict:
    """Run the check; print the summary and return it (see the end of this function).

    Raises:
        SetupError: With the message to show (``__main__`` prints it, no traceback).
    """
    args = parse_args(argv)
    t_start = time.time()
    user = list(args.cfg_options)
    train_cfg = _load(args.config, user + train_options(args))
    test_cfg = _load(args.config, user) if args.test_frames > 0 else None
    if test_cfg is not None and not test_cfg.get('test_dataloader'):
        test_cfg = None  # a training-only config (e.g. a _base_ one)
    preflight(args.config, train_cfg, test_cfg)

    name = osp.splitext(osp.basename(args.config))[0]
    work_dir = osp.abspath(args.work_dir or osp.join('work_dirs', 'check_setup', name))
    train_dir, test_dir = osp.join(work_dir, 'train'), osp.join(work_dir, 'test')
    results_dir = osp.join(test_dir, 'results')
    os.makedirs(work_dir, exist_ok=True)

    print(
        f'check_setup: training {args.iters} iteration(s) of batch {args.batch_size} '
        f'(log: {_show(train_dir)}.log)',
        flush=True)
    train_cmd = [
        sys.executable, TRAIN_TOOL, args.config, '--work-dir', train_dir, '--cfg-options', *user,
        *train_options(args)
    ]
    train_s, train_gb = run_tool(train_cmd, train_dir + '.log', args.verbose)
    with open(osp.join(train_dir, 'last_checkpoint'), encoding='utf-8') as f:
        checkpoint = f.read().strip()
    scalars = last_scalars(train_dir)
    losses = {k: v for k, v in scalars.items() if k.startswith('loss')}
    size = checkpoint_size(checkpoint)

    results, test_s, test_gb = None, 0.0, 0.0
    if test_cfg is not None:
        short = shorten_test_set(test_cfg, osp.join(work_dir, 'test_data'), args.test_videos,
                                 args.test_frames)
        print(
            f'check_setup: testing {args.test_frames} frame(s) of {args.test_videos} '
            f'video(s) (log: {_show(test_dir)}.log)',
            flush=True)
        test_cmd = [
            sys.executable, TEST_TOOL, args.config, '--checkpoint', checkpoint,
            '--trust-checkpoint', '--work-dir', test_dir, '--cfg-options', *user,
            *test_options(short, results_dir, test_cfg)
        ]
        test_s, test_gb = run_tool(test_cmd, test_dir + '.log', args.verbose)
        results_json = osp.join(results_dir, 'vl_sot_eval.json')
        if osp.isfile(results_json):
            with open(results_json, encoding='utf-8') as f:
                results = json.load(f)

    print('\ncheck_setup summary')
    print(f'  config       {args.config}')
    print(f'  model        {size:.1f} M values in the state dict')
    print(f'  train        {args.iters} iter(s) x batch {args.batch_size} in {train_s:.0f} s; '
          f'losses at iter {scalars.get("iter", "?")}: ' +
          ', '.join(f'{k} {v:.4f}' for k, v in sorted(losses.items())))
    print(f'  checkpoint   {_show(checkpoint)}')
    if test_cfg is None:
        print('  test         skipped' +
              ('' if args.test_frames == 0 else ' (the config has no test_dataloader)'))
    elif results is not None:
        ms = results.get('ms_per_frame')
        print(f'  test         {results["num_videos"]} video(s), {results["num_frames"]} '
              f'frames in {test_s:.0f} s: success {results["success"]:.2f}, precision '
              f'{results["precision"]:.2f}, norm_precision {results["norm_precision"]:.2f}' +
              (f', {ms:.0f} ms/frame' if ms is not None else ''))
        print(f'  results      {_show(results_dir)}')
    else:
        print(f'  test         done in {test_s:.0f} s; metrics in {_show(test_dir)}.log')
    print(f'  peak memory  {train_gb:.2f} GB training' +
          (f', {test_gb:.2f} GB test' if test_cfg is not None else '') + ' (resident)')
    print(f'  total        {time.time() - t_start:.0f} s; commands and output in '
          f'{_show(train_dir)}.log' + (f', {_show(test_dir)}.log' if test_cfg is not None else ''))
    if not losses:
        raise SetupError(f'no loss was logged (see {_show(train_dir)}.log)')
    bad = {k: v for k, v in losses.items() if not math.isfinite(v)}
    if bad:
        raise SetupError('non-finite loss(es): ' + ', '.join(f'{k}={v}' for k, v in bad.items()))
    print('check_setup: OK')
    return dict(
        checkpoint=checkpoint,
        model_mvalues=size,
        losses=losses,
        train_s=train_s,
        train_peak_gb=train_gb,
        test_s=test_s,
        test_peak_gb=test_gb,
        results=results,
        results_dir=results_dir if results is not None else None,
        work_dir=work_dir)


if __name__ == '__main__':
    try:
        main()
    except SetupError as e:
        print(f'check_setup: {e}', file=sys.stderr)
        sys.exit(e.code)
    except KeyboardInterrupt:
        sys.exit(130)
