# Copyright (c) SATracker authors. Licensed under the Apache License 2.0.
"""Pre-flight check of a config: every file a run needs, listed at once with its remedy.

``tools/train.py`` and ``tools/test.py`` call :func:`exit_if_missing` before any process
group is started (``tools/dist_*.sh`` run it once, in a single process, before
``torchrun``), so a missing phase-1 checkpoint, pretrained weights or info file is reported
as one short message naming every missing file, the config key that names it and the command
that makes it, with exit status 2 and no traceback.
"""
import os
import os.path as osp
import sys
from dataclasses import dataclass
from typing import Iterator, List, Optional, Tuple

from .text_models import MINILM_PACKAGE, iter_config_dicts

#: Exit status of a run stopped by a missing prerequisite.
EXIT_MISSING = 2

#: Checkpoint prefixes that mmengine would download in ``init_weights()``.
REMOTE_PREFIXES = ('torchvision://', 'modelzoo://', 'open-mmlab://', 'openmmlab://', 'mmcls://',
                   'http://', 'https://', 'pavi://', 's3://')

#: How the info file of each dataset class is made (``{root}``: the dataset's data root).
_CONVERTERS = dict(
    TNL2KDataset='python tools/dataset_converters/tnl2k/gen_tnl2k_infos.py '
    '-i {root} -o {root}/annotations',
    OTB99LangDataset='python tools/dataset_converters/otb99_lang/gen_otb99_lang_infos.py '
    '-i {root} -o {root}/annotations',
    LaSOTLangDataset='python tools/dataset_converters/lasot/gen_lasot_lang_infos.py '
    '-i {root} -o {root}/annotations',
)
_MMTRACK_CONVERTER = ("MMTracking's converter for this dataset (see docs/dataset_prepare.md, "
                      '"Where to get the data")')
_BERT_HINT = ('a local HuggingFace directory of bert-base-uncased (config.json, weights, '
              'vocab.txt): on a machine with internet, python -c "import transformers as t; '
              "[c.from_pretrained('bert-base-uncased').save_pretrained('{path}') for c in "
              '(t.BertModel, t.BertTokenizerFast)]", then copy the folder here (README, '
              '"Reproducing the paper")')
_CVT_HINT = ('download CvT-21-384x384-IN-22k.pth from the official CvT release, then '
             'python tools/model_converters/cvt2slb.py CvT-21-384x384-IN-22k.pth {path}')


@dataclass
class Missing:
    """One missing prerequisite.

    Attributes:
        key (str): The config key that names it (``load_from``,
            ``train_dataloader.dataset.datasets.0.ann_file``, ...), usable as a
            ``--cfg-options`` key.
        what (str): What it is, in words.
        path (str): The path that does not exist (or the remote name that cannot work).
        remedy (str): The command (or action) that makes it.
    """
    key: str
    what: str
    path: str
    remedy: str


def _exists(path: str, is_dir: bool = False) -> bool:
    path = osp.expanduser(path)
    return osp.isdir(path) if is_dir else osp.exists(path)


def _checkpoint_missing(cfg) -> List[Missing]:
    """``load_from`` and the model's ``init_cfg`` checkpoints."""
    found = []
    load_from = cfg.get('load_from', None)
    if load_from and '://' not in str(load_from) and not _exists(str(load_from)):
        made_by = cfg.get('load_from_config', None)
        if made_by:
            stem = osp.splitext(osp.basename(made_by))[0]
            remedy = (f'tools/dist_train.sh {made_by} 2, then python tools/misc/'
                      f'publish_model.py work_dirs/{stem} {load_from} --trust-checkpoint '
                      '--no-hash')
        else:
            remedy = 'train the previous phase, or --cfg-options load_from=PATH'
        found.append(Missing('load_from', 'checkpoint to start from', str(load_from), remedy))
    for key, node in iter_config_dicts(cfg.get('model', {}), 'model'):
        inits = node.get('init_cfg', None)
        inits = inits if isinstance(inits, (list, tuple)) else [inits]
        for init in inits:
            if not isinstance(init, dict) or not init.get('checkpoint'):
                continue
            ckpt = str(init['checkpoint'])
            if ckpt.startswith('torchvision://'):
                found.append(
                    Missing(
                        f'{key}.init_cfg', 'pretrained weights (needs torchvision and network)',
                        ckpt, f'--cfg-options {key}.init_cfg=None (random init) or '
                        f'{key}.init_cfg.checkpoint=LOCAL.pth; SATracker never installs '
                        'torchvision (it breaks mmengine beside our torch)'))
            elif not ckpt.startswith(REMOTE_PREFIXES) and not _exists(ckpt):
                remedy = (
                    _CVT_HINT.format(path=ckpt) if node.get('type') == 'SynchronousLearningBackbone'
                    else f'put the file there, or --cfg-options {key}.init_cfg.checkpoint=PATH')
                found.append(
                    Missing(f'{key}.init_cfg.checkpoint', 'pretrained weights', ckpt, remedy))
    return found


def _text_missing(cfg) -> List[Missing]:
    """Text encoder directories and tokenizer directories."""
    found, seen = [], set()
    for key, node in iter_config_dicts(cfg.get('model', {}), 'model'):
        text = node.get('text_encoder', None)
        path = text.get('pretrained', None) if isinstance(text, dict) else None
        if isinstance(path, str) and path != MINILM_PACKAGE and not _exists(path, True):
            seen.add(path)
            found.append(
                Missing(f'{key}.text_encoder.pretrained', 'text encoder weights', path,
                        _BERT_HINT.format(path=path)))
    for name in ('train_dataloader', 'val_dataloader', 'test_dataloader'):
        for key, node in iter_config_dicts(cfg.get(name, None), name):
            path = node.get('tokenizer_path', None) if node.get('type') == 'TokenizeText' \
                else None
            if isinstance(path, str) and path != MINILM_PACKAGE and path not in seen and \
                    not _exists(path, True):
                seen.add(path)
                found.append(
                    Missing(f'{key}.tokenizer_path', 'tokenizer', path,
                            _BERT_HINT.format(path=path)))
    return found


def _datasets(node, key: str) -> Iterator[Tuple[str, dict]]:
    """Leaf dataset configs under a dataloader's ``dataset`` (through concatenations)."""
    if isinstance(node, dict):
        children = node.get('datasets', None) or node.get('dataset', None)
        if isinstance(children, (list, tuple)):
            for i, child in enumerate(children):
                yield from _datasets(child, f'{key}.datasets.{i}')
        elif isinstance(children, dict):
            yield from _datasets(children, f'{key}.dataset')
        else:
            yield key, node


def _data_missing(cfg, loaders: Tuple[str, ...]) -> List[Missing]:
    """Data roots and info (annotation) files of the given dataloaders."""
    found, seen = [], set()
    for name in loaders:
        loader = cfg.get(name, None)
        if not isinstance(loader, dict) or 'dataset' not in loader:
            continue
        for key, ds in _datasets(loader['dataset'], f'{name}.dataset'):
            root = ds.get('data_root', None) or ''
            ann = ds.get('ann_file', None)
            kind = str(ds.get('type', 'dataset'))
            if root and not _exists(root, True):
                if root in seen:  # e.g. TNL2K's train and test splits share a root
                    continue
                seen.add(root)
                found.append(
                    Missing(
                        f'{key}.data_root', f'{kind} data', root,
                        'download and unpack it (docs/dataset_prepare.md), or --cfg-options '
                        f'{key}.data_root=PATH'))
                continue
            if not ann:
                continue
            ann_path = ann if osp.isabs(ann) or not root else osp.join(root, ann)
            if not _exists(ann_path) and ann_path not in seen:
                seen.add(ann_path)
                remedy = _CONVERTERS.get(kind,
                                         _MMTRACK_CONVERTER).format(root=root.rstrip('/') or '.')
                found.append(Missing(f'{key}.ann_file', f'{kind} info file', ann_path, remedy))
    return found


def find_missing(cfg, mode: str = 'train') -> List[Missing]:
    """Every file a run of ``cfg`` needs that does not exist.

    Args:
        cfg (Config): The run's config, after ``--cfg-options`` (and with the tokenizer
            paths resolved).
        mode (str): ``'train'`` (load_from, init checkpoints, text encoder, tokenizer,
            train and validation data) or ``'test'`` (init checkpoints unless a checkpoint
            is given, text encoder, tokenizer, test data).

    Returns:
        list[Missing]: Empty when the run can start.
    """
    if mode not in ('train', 'test'):
        raise ValueError(f"mode must be 'train' or 'test', got {mode!r}")
    found = []
    if mode == 'train':
        found += _checkpoint_missing(cfg)
        loaders = ('train_dataloader', )
        if cfg.get('val_cfg', None) and cfg.get('val_evaluator', None):
            loaders += ('val_dataloader', )
    else:
        # the weights tested: load_from (tools/test.py --checkpoint) or else init_cfg's
        with_ckpt = bool(cfg.get('load_from', None))
        for m in _checkpoint_missing(cfg):
            if m.key == 'load_from' and with_ckpt:
                found.append(
                    Missing('--checkpoint / load_from', 'checkpoint to test', m.path,
                            'give an existing checkpoint file (or a URL)'))
            elif m.key != 'load_from' and not with_ckpt:
                found.append(m)
        loaders = ('test_dataloader', )
    found += _text_missing(cfg)
    found += _data_missing(cfg, loaders)
    return found


def format_missing(missing: List[Missing], config: str) -> str:
    """The message listing every missing prerequisite and its remedy."""
    n = len(missing)
    lines = [f'Cannot start {config}: {n} prerequisite{"s" if n > 1 else ""} missing.']
    for m in missing:
        lines.append(f'  - {m.what}: {m.path}   ({m.key})')
        lines.append(f'      fix: {m.remedy}')
    lines.append('Any path can be overridden with --cfg-options KEY=PATH. The whole paper '
                 'recipe, in order: README, "Reproducing the paper".')
    return '\n'.join(lines)


def is_main_process() -> bool:
    """Rank 0 by the launcher's environment (torchrun's ``RANK``, Slurm's ``SLURM_PROCID``),
    read before any process group exists."""
    for var in ('RANK', 'SLURM_PROCID', 'OMPI_COMM_WORLD_RANK'):
        if os.environ.get(var, '0') != '0':
            return False
    return True


def exit_if_missing(cfg,
                    config: str,
                    mode: str = 'train',
                    missing: Optional[List[Missing]] = None) -> None:
    """Print the missing prerequisites (rank 0 only) and exit with status 2, if any.

    Args:
        cfg (Config): The run's config.
        config (str): The config file, for the message.
        mode (str): ``'train'`` or ``'test'``, see :func:`find_missing`.
        missing (list[Missing], optional): Already computed.
    """
    missing = find_missing(cfg, mode) if missing is None else missing
    if not missing:
        return
    if is_main_process():
        print(format_missing(missing, config), file=sys.stderr, flush=True)
    raise SystemExit(EXIT_MISSING)
