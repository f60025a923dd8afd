# Copyright (c) SATracker authors. Licensed under the Apache License 2.0.
"""What ``tools/train.py`` and ``tools/test.py`` share: arguments and config loading.

The offline pre-flight checks live in :mod:`satracker.utils.prerequisites`.
"""
import argparse
import os.path as osp

from mmengine.config import Config, DictAction

from .text_models import resolve_tokenizer_paths


def add_common_args(parser: argparse.ArgumentParser) -> None:
    """Arguments that the train and test tools share (MMTracking's names)."""
    parser.add_argument('config', help='config file path')
    parser.add_argument('--work-dir', help='the directory to save logs, checkpoints, results')
    parser.add_argument(
        '--cfg-options',
        nargs='+',
        action=DictAction,
        help='override some settings in the used config, the key-value pair in xxx=yyy '
        'format will be merged into the config file, e.g. '
        '--cfg-options model.backbone.init_cfg=None')
    parser.add_argument(
        '--launcher', choices=['none', 'pytorch', 'slurm', 'mpi'], default='none',
        help='job launcher (tools/dist_*.sh pass pytorch)')
    parser.add_argument(
        '--trust-checkpoint', action='store_true',
        help='allow full unpickling of training checkpoints (optimizer, message hub); only '
        'for files you trust. Without it checkpoints are read weights-only, except the '
        "run's own when resuming")
    parser.add_argument(
        '--check-only', action='store_true',
        help='only check that every file the run needs exists (data info files, weights, '
        'the checkpoint to start from), print what is missing and exit (tools/dist_*.sh run '
        'this once before starting the processes)')
    # torch.distributed.launch passes --local-rank (torch >= 2.0) or --local_rank
    parser.add_argument('--local_rank', '--local-rank', type=int, default=0,
                        help=argparse.SUPPRESS)


def resolve_config_path(config: str) -> str:
    """Resolve ``'mmtrack::sot/stark/x.py'`` to the config shipped in the installed package.

    Args:
        config (str): A config file path, or ``PACKAGE::RELATIVE/PATH.py``.

    Returns:
        str: An existing file path.
    """
    if '::' in config:
        package, relative = config.split('::', 1)
        from mmengine.utils import get_installed_path
        config = osp.join(get_installed_path(package), '.mim', 'configs', relative)
    if not osp.isfile(config):
        raise FileNotFoundError(f'config file "{config}" does not exist')
    return config


def load_config(args: argparse.Namespace) -> Config:
    """Load ``args.config``, merge ``--cfg-options`` and set ``work_dir`` as MMTracking does.

    The work dir priority is: ``--work-dir`` > ``work_dir`` in the config > ``./work_dirs/<config
    name>``. ``TokenizeText(tokenizer_path=None)`` entries get the text encoder's directory
    (:func:`satracker.utils.resolve_tokenizer_paths`), after the overrides.
    """
    try:
        cfg = Config.fromfile(resolve_config_path(args.config))
    except FileNotFoundError as e:
        raise SystemExit(f'error: {e}')
    cfg.launcher = args.launcher
    if args.cfg_options is not None:
        try:
            cfg.merge_from_dict(args.cfg_options)
        except (TypeError, KeyError) as e:
            raise SystemExit(f'error: --cfg-options does not fit {args.config}: {e}')
    if args.work_dir is not None:
        cfg.work_dir = args.work_dir
    elif cfg.get('work_dir', None) is None:
        cfg.work_dir = osp.join('./work_dirs', osp.splitext(osp.basename(args.config))[0])
    resolve_tokenizer_paths(cfg)
    return cfg
