# Copyright (c) SATracker authors. Licensed under the Apache License 2.0.
"""What ``tools/train.py`` and ``tools/test.py`` share: config loading and offline checks."""
import argparse
import os.path as osp
import warnings
from typing import Iterator, Tuple

from mmengine.config import Config, DictAction

#: Prefixes of checkpoints that mmengine would download (impossible offline / without torchvision).
_REMOTE_PREFIXES = ('torchvision://', 'modelzoo://', 'open-mmlab://', 'openmmlab://',
                    'mmcls://', 'http://', 'https://', 'pavi://', 's3://')


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
    name>``.
    """
    cfg = Config.fromfile(resolve_config_path(args.config))
    cfg.launcher = args.launcher
    if args.cfg_options is not None:
        cfg.merge_from_dict(args.cfg_options)
    if args.work_dir is not None:
        cfg.work_dir = args.work_dir
    elif cfg.get('work_dir', None) is None:
        cfg.work_dir = osp.join('./work_dirs', osp.splitext(osp.basename(args.config))[0])
    return cfg


def iter_init_checkpoints(cfg_node, path: str = 'model') -> Iterator[Tuple[str, str]]:
    """Yield ``(config key, checkpoint)`` for every ``init_cfg`` checkpoint under a config node."""
    if isinstance(cfg_node, dict):
        for key, value in cfg_node.items():
            sub = f'{path}.{key}'
            if key == 'init_cfg':
                inits = value if isinstance(value, (list, tuple)) else [value]
                for init in inits:
                    if isinstance(init, dict) and init.get('checkpoint'):
                        yield sub, str(init['checkpoint'])
            else:
                yield from iter_init_checkpoints(value, sub)
    elif isinstance(cfg_node, (list, tuple)):
        for i, value in enumerate(cfg_node):
            yield from iter_init_checkpoints(value, f'{path}[{i}]')


def check_init_checkpoints(cfg: Config) -> None:
    """Fail early, with the fix, when ``init_weights()`` would download or read a missing file.

    MMTracking's STARK configs load ``torchvision://resnet50`` in ``init_weights()``, which
    needs torchvision (never installed here) and the network. A local file that does not exist
    is reported with its config key.

    Raises:
        RuntimeError: Naming the config key and the ``--cfg-options`` that fixes it.
    """
    for key, checkpoint in iter_init_checkpoints(cfg.get('model', {})):
        if checkpoint.startswith('torchvision://'):
            raise RuntimeError(
                f'{key} loads "{checkpoint}", which needs torchvision and network access; '
                'SATracker never installs torchvision (it breaks mmengine beside our torch). '
                f'Run with `--cfg-options {key}=None` (random init, e.g. for a smoke test) or '
                f'point {key}.checkpoint at a local file.')
        if checkpoint.startswith(_REMOTE_PREFIXES):
            warnings.warn(f'{key} downloads "{checkpoint}" in init_weights(); without network '
                          f'this fails: use `--cfg-options {key}=None` or a local file.')
        elif not osp.exists(osp.expanduser(checkpoint)):
            raise FileNotFoundError(
                f'{key}.checkpoint "{checkpoint}" does not exist. Put the file there, or '
                f'override it: --cfg-options {key}.checkpoint=PATH (or {key}=None).')


def check_load_from(cfg: Config) -> None:
    """Fail early, naming the config key, when ``load_from`` points at a missing file."""
    load_from = cfg.get('load_from')
    if load_from and '://' not in str(load_from) and not osp.isfile(osp.expanduser(load_from)):
        raise FileNotFoundError(
            f'load_from = "{load_from}" does not exist. Train the previous phase (see the '
            'config\'s comment), or override it: --cfg-options load_from=PATH (or '
            'load_from=None to start from the init_cfg weights).')
