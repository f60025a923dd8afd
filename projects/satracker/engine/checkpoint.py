# Copyright (c) SATracker authors. Licensed under the Apache License 2.0.
"""Checkpoint loading under torch >= 2.6's ``weights_only`` default (DESIGN §2).

mmengine 0.10.7 loads local checkpoints with a bare ``torch.load``, which since torch 2.6
means ``weights_only=True``: its own training checkpoints (message hub, numpy objects) then
fail to load, so ``--resume`` breaks. Unpickling them in full runs arbitrary code, so this
module replaces mmengine's local loader with one that follows a single rule:

* every local checkpoint is first read ``weights_only=True`` (state dicts, published
  checkpoints, converted weights, pretrained CvT/BERT files all pass);
* a full training checkpoint is unpickled only when it is *trusted*: it lies under a directory
  registered with :func:`trust_checkpoints` (``tools/train.py`` registers the run's own
  ``work_dir`` when resuming) or the user passed ``--trust-checkpoint`` (which calls
  ``trust_checkpoints(trust_all=True)``);
* otherwise loading stops with an error that names the file and both ways out.
"""
import os
import os.path as osp
import pickle
from typing import Iterable, Optional, Union

import torch
from mmengine.runner.checkpoint import CheckpointLoader

#: The command-line flag of our tools that trusts every checkpoint of a run.
TRUST_FLAG = '--trust-checkpoint'

_trusted_dirs: set = set()
_trust_all = False


def trust_checkpoints(paths: Iterable[str] = (), trust_all: bool = False) -> None:
    """Allow full unpickling of training checkpoints under ``paths`` (or of all, if asked).

    Args:
        paths (Iterable[str]): Directories (or files) whose checkpoints are trusted, e.g. the
            run's own ``work_dir``.
        trust_all (bool): Trust every checkpoint (the ``--trust-checkpoint`` flag).
    """
    global _trust_all
    _trust_all = _trust_all or trust_all
    for path in paths:
        _trusted_dirs.add(osp.realpath(osp.expanduser(path)))


def reset_trust() -> None:
    """Forget every trusted path (used by tests)."""
    global _trust_all
    _trust_all = False
    _trusted_dirs.clear()


def is_trusted(filename: str) -> bool:
    """Whether ``filename`` may be unpickled in full."""
    if _trust_all:
        return True
    real = osp.realpath(osp.expanduser(filename))
    return any(real == d or real.startswith(d + os.sep) for d in _trusted_dirs)


class UntrustedCheckpointError(RuntimeError):
    """A full training checkpoint that nobody said to trust."""


def load_local_checkpoint(filename: str,
                          map_location: Optional[Union[str, torch.device]] = None):
    """mmengine's local-file loader, with the weights-only rule of this module.

    Args:
        filename (str): Path of the checkpoint.
        map_location (str | torch.device, optional): As for :func:`torch.load`.

    Returns:
        dict: The loaded checkpoint.

    Raises:
        FileNotFoundError: When the file does not exist.
        UntrustedCheckpointError: When it is a full training checkpoint and not trusted.
    """
    filename = osp.expanduser(filename)
    if not osp.isfile(filename):
        raise FileNotFoundError(f'checkpoint file "{filename}" does not exist')
    try:
        return torch.load(filename, map_location=map_location, weights_only=True)
    except pickle.UnpicklingError as weights_only_error:
        if not is_trusted(filename):
            raise UntrustedCheckpointError(
                f'"{filename}" is not a weights-only checkpoint (it holds pickled Python '
                'objects, e.g. a training checkpoint with optimizer and message hub). '
                'Unpickling it can run arbitrary code, so it is refused. If you trust the '
                f'file, pass {TRUST_FLAG}; to share weights, convert it with '
                '`python tools/misc/publish_model.py IN OUT` (weights-only). '
                f'torch said: {str(weights_only_error).splitlines()[0]}') from None
        return torch.load(filename, map_location=map_location, weights_only=False)


def load_state_dict(filename: str, map_location='cpu') -> dict:
    """Read a checkpoint weights-only (under the trust rule) and return its state dict.

    Args:
        filename (str): A checkpoint, a published checkpoint or a bare state dict.
        map_location: As for :func:`torch.load`. Defaults to ``'cpu'``.

    Returns:
        dict[str, Tensor]: ``checkpoint['state_dict']`` when present, else the checkpoint.
    """
    checkpoint = load_local_checkpoint(filename, map_location)
    if not isinstance(checkpoint, dict):
        raise TypeError(f'"{filename}" holds a {type(checkpoint).__name__}, not a dict')
    return checkpoint.get('state_dict', checkpoint)


CheckpointLoader.register_scheme(prefixes='', loader=load_local_checkpoint, force=True)
