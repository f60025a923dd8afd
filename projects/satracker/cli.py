# Copyright (c) SATracker authors. Licensed under the Apache License 2.0.
"""Command-line helpers: what the scripts under ``tools/`` share.

- :func:`add_common_args` and :func:`parse_launcher_args`: the arguments of ``tools/train.py``
  and ``tools/test.py`` (MMTracking's names) and the ``LOCAL_RANK`` they export;
- :func:`read_config` and :func:`load_config`: a config file (or ``PACKAGE::path``) with
  ``--cfg-options`` merged and the tokenizer paths resolved; a bad file or option stops the
  tool with a message naming it, without a traceback;
- :func:`add_model_tool_args` and :func:`save_json`: the arguments that the analysis tools
  building a model with random weights share, and their ``--json`` output.
- :func:`add_passed_on_cfg_options`: ``--cfg-options`` of the tools that start train / test
  runs and pass them on.

The analysis tools build their models with :func:`satracker.testing.build_offline_model`;
the offline pre-flight checks live in :mod:`satracker.utils.prerequisites`.
"""
import argparse
import json
import os
import os.path as osp
import socket
from typing import Optional

from mmengine.config import Config, DictAction

from .utils.text_models import resolve_tokenizer_paths


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
        '--launcher',
        choices=['none', 'pytorch', 'slurm', 'mpi'],
        default='none',
        help='job launcher (tools/dist_*.sh pass pytorch)')
    parser.add_argument(
        '--trust-checkpoint',
        action='store_true',
        help='allow full unpickling of training checkpoints (optimizer, message hub); only '
        'for files you trust. Without it checkpoints are read weights-only, except the '
        "run's own when resuming")
    parser.add_argument(
        '--check-only',
        action='store_true',
        help='only check that every file the run needs exists (data info files, weights, '
        'the checkpoint to start from), print what is missing and exit (tools/dist_*.sh run '
        'this once before starting the processes)')
    # torch.distributed.launch passes --local-rank (torch >= 2.0) or --local_rank
    parser.add_argument('--local_rank', '--local-rank', type=int, default=0, help=argparse.SUPPRESS)


def parse_launcher_args(parser: argparse.ArgumentParser, argv=None) -> argparse.Namespace:
    """Parse the arguments of a tool with :func:`add_common_args`; export ``LOCAL_RANK``.

    ``torch.distributed.launch`` passes the local rank as an argument, torchrun in the
    environment; MMEngine reads the environment, so the argument is copied there.

    Args:
        parser (argparse.ArgumentParser): The tool's parser.
        argv (list[str], optional): The arguments; defaults to ``sys.argv[1:]``.

    Returns:
        argparse.Namespace: The parsed arguments.
    """
    args = parser.parse_args(argv)
    if 'LOCAL_RANK' not in os.environ:
        os.environ['LOCAL_RANK'] = str(args.local_rank)
    return args


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


def read_config(config: str,
                cfg_options: Optional[dict] = None,
                launcher: Optional[str] = None) -> Config:
    """Load a config, set ``launcher``, merge ``--cfg-options`` and resolve the tokenizers.

    ``TokenizeText(tokenizer_path=None)`` entries get the text encoder's directory
    (:func:`satracker.utils.resolve_tokenizer_paths`), after the overrides.

    Args:
        config (str): A config file path, or ``PACKAGE::RELATIVE/PATH.py``.
        cfg_options (dict, optional): ``--cfg-options`` (parsed by mmengine's ``DictAction``).
        launcher (str, optional): Stored as ``cfg.launcher`` before the overrides.

    Returns:
        Config: The config.

    Raises:
        SystemExit: With ``error: ...`` naming the file, or the options that do not fit.
    """
    try:
        cfg = Config.fromfile(resolve_config_path(config))
    except FileNotFoundError as e:
        raise SystemExit(f'error: {e}')
    if launcher is not None:
        cfg.launcher = launcher
    if cfg_options is not None:
        try:
            cfg.merge_from_dict(cfg_options)
        except (TypeError, KeyError) as e:
            raise SystemExit(f'error: --cfg-options does not fit {config}: {e}')
    resolve_tokenizer_paths(cfg)
    return cfg


def load_config(args: argparse.Namespace) -> Config:
    """Load ``args.config``, merge ``--cfg-options`` and set ``work_dir`` as MMTracking does.

    The work dir priority is: ``--work-dir`` > ``work_dir`` in the config > ``./work_dirs/<config
    name>``. ``TokenizeText(tokenizer_path=None)`` entries get the text encoder's directory
    (:func:`satracker.utils.resolve_tokenizer_paths`), after the overrides.
    """
    cfg = read_config(args.config, args.cfg_options, launcher=args.launcher)
    if args.work_dir is not None:
        cfg.work_dir = args.work_dir
    elif cfg.get('work_dir', None) is None:
        cfg.work_dir = osp.join('./work_dirs', osp.splitext(osp.basename(args.config))[0])
    return cfg


def add_model_tool_args(parser: argparse.ArgumentParser) -> None:
    """The arguments of the analysis tools that build a config's model with random weights
    (``get_flops.py``, ``benchmark_speed.py``, ``bf16_check.py``): ``config``, ``--tiny``,
    ``--text-len``, ``--cfg-options`` and ``--json``."""
    parser.add_argument('config', help='config file (or PACKAGE::path, e.g. mmtrack::...)')
    parser.add_argument(
        '--tiny',
        action='store_true',
        help='shrink the model (tiny widths, tiny random BERT): a quick check')
    parser.add_argument('--text-len', type=int, default=30, help='tokens incl. [CLS]/[SEP]')
    parser.add_argument(
        '--cfg-options',
        nargs='+',
        action=DictAction,
        help='override config settings, e.g. model.backbone.sam_stages="(2,)"')
    parser.add_argument('--json', help='also write the results to this JSON file')


def add_passed_on_cfg_options(parser: argparse.ArgumentParser, help: str) -> None:
    """``--cfg-options KEY=VALUE ...`` of a tool that passes them on, as they were written, to
    the ``tools/train.py`` / ``tools/test.py`` runs it starts (``check_setup.py``,
    ``synthetic_benchmark.py``): kept as a list of strings, empty by default."""
    parser.add_argument('--cfg-options', nargs='+', default=[], metavar='KEY=VALUE', help=help)


def save_json(result: dict, path: Optional[str]) -> None:
    """Write a tool's result as indented JSON to ``path`` (the ``--json`` option), if given."""
    if path:
        with open(path, 'w') as f:
            json.dump(result, f, indent=2)


def free_port() -> int:
    """A TCP port free on this machine now, for a rendezvous (torchrun, gloo)."""
    with socket.socket() as s:
        s.bind(('127.0.0.1', 0))
        return s.getsockname()[1]
