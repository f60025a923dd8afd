# Copyright (c) SATracker authors. Licensed under the Apache License 2.0.
"""Test (evaluate) a tracker, SATracker or any MMTracking 1.x config, with the MMEngine Runner.

Examples:
    python tools/test.py configs/satracker/<...>_test-tnl2k.py --checkpoint ckpt.pth
    tools/dist_test.sh configs/satracker/<...>_test-tnl2k.py 2 --checkpoint ckpt.pth
"""
import argparse
import os.path as osp

from mmengine.model import is_model_wrapper
from mmengine.runner import Runner

from satracker.cli import add_common_args, load_config, parse_launcher_args
from satracker.engine import (CheckpointDownloadError, download_checkpoint, is_url,
                              setup_cpu_distributed, trust_checkpoints)
from satracker.utils import register_all_modules
from satracker.utils.prerequisites import exit_if_missing


def parse_args(argv=None):
    parser = argparse.ArgumentParser(description='Test (and evaluate) a single-object tracker')
    add_common_args(parser)
    parser.add_argument(
        '--checkpoint',
        help='checkpoint file or http(s) URL (downloaded once to '
        '$TORCH_HOME/hub/checkpoints); read weights-only unless --trust-checkpoint. '
        'Without it the model is tested with the weights its init_cfg gives')
    parser.add_argument(
        '--bf16',
        action='store_true',
        help="track in bfloat16 (SATracker's model.test_cfg.precision='bf16'; a CPU without "
        'AVX512-BF16 / AMX-BF16 warns and runs fp32; docs/speed.md)')
    return parse_launcher_args(parser, argv)


def main(argv=None):
    args = parse_args(argv)
    register_all_modules(init_default_scope=False)
    cfg = load_config(args)
    trust_checkpoints(trust_all=args.trust_checkpoint)
    if args.bf16:
        if cfg.model.get('type') != 'SATracker':
            raise SystemExit(f'test.py: error: --bf16 sets SATracker\'s test_cfg.precision; '
                             f'{args.config} builds {cfg.model.get("type")}')
        cfg.merge_from_dict({'model.test_cfg.precision': 'bf16'})
    if args.checkpoint is not None:
        if is_url(args.checkpoint) and args.launcher == 'none':
            # Into torch hub's cache now, before anything is built (tools/dist_test.sh's
            # single-process pre-flight does it once for all ranks); the runner reads it there.
            try:
                download_checkpoint(args.checkpoint)
            except CheckpointDownloadError as error:
                raise SystemExit(f'test.py: error: {error}') from None
        elif not is_url(args.checkpoint) and not osp.isfile(args.checkpoint):
            raise FileNotFoundError(f'--checkpoint "{args.checkpoint}" does not exist')
        cfg.load_from = args.checkpoint
    # Before any process group: every missing file at once, by rank 0, exit status 2.
    exit_if_missing(cfg, args.config, 'test')
    if args.check_only:
        print(f'All files that {args.config} needs are in place.')
        return None
    setup_cpu_distributed(cfg, args.launcher)

    if 'runner_type' not in cfg:
        runner = Runner.from_cfg(cfg)
    else:
        from mmengine.registry import RUNNERS
        runner = RUNNERS.build(cfg)
    if args.checkpoint is None:
        # As MMTracking's test.py: without a checkpoint the model's own init_cfg applies.
        model = runner.model.module if is_model_wrapper(runner.model) else runner.model
        model.init_weights()
    metrics = runner.test()
    print(f'Test finished; results in {osp.abspath(cfg.work_dir)}')
    return metrics


if __name__ == '__main__':
    main()
