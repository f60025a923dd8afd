# Copyright (c) SATracker authors. Licensed under the Apache License 2.0.
"""Checkpoint loading under torch >= 2.6's ``weights_only`` default (docs/checkpoints.md).

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

Checkpoints given as ``http://`` or ``https://`` URLs (MMTracking's model zoo) are downloaded
once into torch hub's cache, ``$TORCH_HOME/hub/checkpoints/`` as mmengine does, and then read
by the same rule: mmengine's own http loader would unpickle them in full.
"""
import os
import os.path as osp
import pickle
import socket
import sys
from typing import Iterable, Optional, Union
from urllib.error import HTTPError
from urllib.parse import urlparse

import torch
from mmengine.dist import barrier, get_dist_info
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


def load_local_checkpoint(filename: str, map_location: Optional[Union[str, torch.device]] = None):
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


#: Entries that wrap a state dict in a checkpoint (mmengine's ``state_dict``, the official
#: CvT and DeiT releases' ``model``), unwrapped in this order.
STATE_DICT_KEYS = ('state_dict', 'model')
#: Prefix of a model saved inside ``DistributedDataParallel``; dropped when every key has it.
WRAPPER_PREFIX = 'module.'


def load_state_dict(filename: str, map_location='cpu') -> dict:
    """Read a weights file under the weights-only rule and return its state dict.

    The one weights loader of the project: ``load_from`` of the tools, :func:`init_model`,
    the pretrained CvT weights of the backbone and the converters all read through it.
    ``.safetensors`` files are read with the ``safetensors`` package; anything else with
    :func:`load_local_checkpoint` (weights-only, or in full when trusted).

    Args:
        filename (str): A checkpoint, a published checkpoint, a bare state dict or a
            ``.safetensors`` file.
        map_location: As for :func:`torch.load`. Defaults to ``'cpu'``.

    Returns:
        dict[str, Tensor]: The checkpoint with its ``state_dict`` / ``model`` entries
        unwrapped (:data:`STATE_DICT_KEYS`) and a ``module.`` prefix that every key carries
        removed.

    Raises:
        FileNotFoundError: When the file does not exist.
        UntrustedCheckpointError: When it is a full training checkpoint and not trusted.
        TypeError: When the file holds no dict.
    """
    if str(filename).endswith('.safetensors'):
        filename = osp.expanduser(filename)
        if not osp.isfile(filename):
            raise FileNotFoundError(f'checkpoint file "{filename}" does not exist')
        from safetensors.torch import load_file
        checkpoint = dict(load_file(filename, device=str(map_location or 'cpu')))
    else:
        checkpoint = load_local_checkpoint(filename, map_location)
    if not isinstance(checkpoint, dict):
        raise TypeError(f'"{filename}" holds a {type(checkpoint).__name__}, not a dict')
    for key in STATE_DICT_KEYS:
        if isinstance(checkpoint.get(key, None), dict):
            checkpoint = checkpoint[key]
    if checkpoint and all(str(k).startswith(WRAPPER_PREFIX) for k in checkpoint):
        checkpoint = {k[len(WRAPPER_PREFIX):]: v for k, v in checkpoint.items()}
    return checkpoint


#: URL schemes that :func:`download_checkpoint` fetches.
URL_PREFIXES = ('http://', 'https://')

#: Seconds a download may wait for the server (connect, or a stalled transfer).
DOWNLOAD_TIMEOUT = 60


class CheckpointDownloadError(RuntimeError):
    """A checkpoint URL that could not be downloaded."""


def is_url(filename) -> bool:
    """Whether ``filename`` is an ``http://`` or ``https://`` URL."""
    return isinstance(filename, str) and filename.startswith(URL_PREFIXES)


def _download_to_cache(url: str, model_dir: Optional[str], progress: bool) -> str:
    if model_dir is None:
        model_dir = osp.join(torch.hub.get_dir(), 'checkpoints')
    name = osp.basename(urlparse(url).path)
    if not name:
        raise CheckpointDownloadError(f'checkpoint URL "{url}" names no file')
    cached_file = osp.join(model_dir, name)
    if osp.isfile(cached_file):
        return cached_file
    os.makedirs(model_dir, exist_ok=True)
    sys.stderr.write(f'Downloading: "{url}" to {cached_file}\n')
    # torch.hub opens the URL without a timeout: an unreachable host would hang for minutes.
    default_timeout = socket.getdefaulttimeout()
    if default_timeout is None:
        socket.setdefaulttimeout(DOWNLOAD_TIMEOUT)
    try:
        # writes <cached_file>.<uuid>.partial, then moves it: never a torn file in the cache
        torch.hub.download_url_to_file(url, cached_file, progress=progress)
    except OSError as error:  # URLError, HTTPError, timeouts, a full disk
        reason = error if isinstance(error, HTTPError) else getattr(error, 'reason', error)
        raise CheckpointDownloadError(f'cannot download checkpoint "{url}": {reason}') from None
    finally:
        socket.setdefaulttimeout(default_timeout)
    return cached_file


def download_checkpoint(url: str,
                        model_dir: Optional[str] = None,
                        progress: Optional[bool] = None) -> str:
    """Download a checkpoint URL into torch hub's cache (once) and return the local file.

    The file goes to ``<model_dir>/<basename of the URL path>``, by default
    ``torch.hub.get_dir()/checkpoints`` (``$TORCH_HOME/hub/checkpoints``), the cache that
    mmengine's ``load_from_http`` uses; a file already there is not downloaded again. In a
    distributed run rank 0 downloads first and the other ranks then find it in the cache.

    Args:
        url (str): An ``http://`` or ``https://`` URL.
        model_dir (str, optional): Cache directory. Defaults to torch hub's.
        progress (bool, optional): Show a progress bar; defaults to whether stderr is a
            terminal.

    Returns:
        str: The path of the cached file.

    Raises:
        CheckpointDownloadError: When the server cannot be reached or answers with an error;
            the message names the URL and the reason.
    """
    if progress is None:
        progress = sys.stderr.isatty()
    rank, world_size = get_dist_info()
    if rank > 0 and world_size > 1:
        barrier()  # rank 0 downloads first
        return _download_to_cache(url, model_dir, progress)
    try:
        return _download_to_cache(url, model_dir, progress)
    finally:
        if world_size > 1:
            barrier()  # also on failure, so that the other ranks do not wait forever


def load_from_http(filename: str, map_location=None, model_dir: Optional[str] = None):
    """mmengine's ``http://``/``https://`` checkpoint scheme, read by the weights-only rule.

    Args:
        filename (str): The checkpoint URL.
        map_location: As for :func:`torch.load`.
        model_dir (str, optional): Cache directory (see :func:`download_checkpoint`).

    Returns:
        dict: The loaded checkpoint.
    """
    cached_file = download_checkpoint(filename, model_dir)
    try:
        return load_local_checkpoint(cached_file, map_location)
    except UntrustedCheckpointError as error:
        raise UntrustedCheckpointError(f'{error} (downloaded from {filename})') from None


CheckpointLoader.register_scheme(prefixes='', loader=load_local_checkpoint, force=True)
CheckpointLoader.register_scheme(prefixes=URL_PREFIXES, loader=load_from_http, force=True)
