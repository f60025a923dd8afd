# Copyright (c) SATracker authors. Licensed under the Apache License 2.0.
"""Train a tracker (SATracker or any MMTracking 1.x config) with the MMEngine Runner.

Examples:
    python tools/train.py configs/satracker_tnl2k.py
    tools/dist_train.sh configs/satracker_tnl2k.py 2          # 2 GPUs (NCCL) or 2 CPU procs (gloo)
    python tools/train.py \
        mmtrack::sot/stark/stark-st1_r50_8xb16-500e_got10k-lasot-trackingnet-coco_base.py \
        --cfg-options model.backbone.init_cfg=None
"""
import argparse
import os.path as osp

import torch
from mmengine.runner import Runner

from satracker.cli import add_common_args, load_config, parse_launcher_args
from satracker.engine import (apply_resume, setup_cpu_distributed, trust_checkpoints,
                              use_atomic_checkpoint_hook)
from satracker.utils import register_all_modules
from satracker.utils.prerequisites import exit_if_missing


def parse_args(argv=None):
    parser = argparse.ArgumentParser(description='Train a single-object tracker')
    add_common_args(parser)
    parser.add_argument(
        '--amp',
        action='store_true',
        help='automatic mixed precision: fp16 AmpOptimWrapper with CUDA, '
        'bf16 CPUAmpOptimWrapper on a CPU-only machine')
    parser.add_argument(
        '--auto-scale-lr',
        action='store_true',
        help='scale the lr by the real batch size / auto_scale_lr.base_batch_size')
    parser.add_argument(
        '--resume',
        nargs='?',
        type=str,
        const='auto',
        help='resume from the latest checkpoint in the work_dir (no value), or from the '
        'given checkpoint (trusted if it lies in the work_dir, else needs --trust-checkpoint)')
    return parse_launcher_args(parser, argv)


def main(argv=None):
    args = parse_args(argv)
    register_all_modules(init_default_scope=False)
    cfg = load_config(args)

    if args.amp:
        optim_wrapper = cfg.optim_wrapper.get('type', 'OptimWrapper')
        assert optim_wrapper in ('OptimWrapper', 'AmpOptimWrapper', 'CPUAmpOptimWrapper'), \
            '`--amp` is only supported when the optimizer wrapper type is ' \
            f'`OptimWrapper` but got {optim_wrapper}.'
        if torch.cuda.is_available():
            cfg.optim_wrapper.type = 'AmpOptimWrapper'
            cfg.optim_wrapper.setdefault('loss_scale', 'dynamic')
        else:
            # AmpOptimWrapper asserts a GPU: bf16 autocast on CPU, no loss scaling.
            print('--amp without CUDA: CPUAmpOptimWrapper (bfloat16 autocast on CPU, '
                  'no gradient scaler; docs/speed.md)')
            cfg.optim_wrapper.type = 'CPUAmpOptimWrapper'
            cfg.optim_wrapper.pop('loss_scale', None)

    if args.auto_scale_lr:
        if 'auto_scale_lr' in cfg and 'base_batch_size' in cfg.auto_scale_lr:
            cfg.auto_scale_lr.enable = True
        else:
            raise RuntimeError('Can not find "auto_scale_lr" or "auto_scale_lr.base_batch_size"'
                               f' in {args.config}: add auto_scale_lr=dict(base_batch_size=N).')

    # The run's own checkpoints may be unpickled in full (optimizer, message hub) on resume.
    trust_checkpoints([cfg.work_dir], trust_all=args.trust_checkpoint)
    # Checkpoints are written atomically (temporary file, fsync, rename), whatever the config.
    use_atomic_checkpoint_hook(cfg)
    if args.resume is not None:
        # The checkpoint is checked before any process group: a torn one named by
        # last_checkpoint gives way to the newest intact one, or rank 0 exits with a message.
        apply_resume(cfg, args.resume, quiet=args.check_only)

    if not cfg.get('resume'):
        # Before any process group: every missing file at once, by rank 0, exit status 2.
        exit_if_missing(cfg, args.config, 'train')
    if args.check_only:
        print(f'All files that {args.config} needs are in place.')
        return
    setup_cpu_distributed(cfg, args.launcher)

    if 'runner_type' not in cfg:
        runner = Runner.from_cfg(cfg)
    else:
        from mmengine.registry import RUNNERS
        runner = RUNNERS.build(cfg)
    runner.train()
    print(f'Training finished; logs and checkpoints in {osp.abspath(cfg.work_dir)}')


if __name__ == '__main__':
    main()
