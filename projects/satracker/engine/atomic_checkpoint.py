# Copyright (c) SATracker authors. Licensed under the Apache License 2.0.
"""Checkpoints written atomically: a killed run never leaves a torn ``epoch_N.pth``.

mmengine 0.10.7 saves a checkpoint with ``LocalBackend.put``, i.e. ``open(path, 'wb')`` and a
write: a run killed meanwhile leaves a truncated file that ``last_checkpoint`` may name. Here
the bytes go to a hidden temporary file in the same folder, are flushed to disk (fsync), and
only then replace the final name (``os.replace``, atomic on POSIX): under the final name there
is always either the previous complete file or the new complete file.

* :class:`AtomicLocalBackend` is mmengine's ``LocalBackend`` with that ``put``, registered as
  the file backend ``'atomic_local'``;
* :class:`AtomicCheckpointHook` is mmengine's ``CheckpointHook`` saving through it (the
  ``default_hooks.checkpoint`` of our configs);
* :func:`use_atomic_checkpoint_hook` switches a config's plain ``CheckpointHook`` to it, so that
  ``tools/train.py`` covers MMTracking's own configs too.
"""
import contextlib
import os
import os.path as osp
import uuid
from pathlib import Path
from typing import Union

from mmengine.config import Config
from mmengine.fileio import LocalBackend, register_backend
from mmengine.hooks import CheckpointHook
from mmtrack.registry import HOOKS

#: Name of the file backend registered below (usable as ``backend_args=dict(backend=...)``).
ATOMIC_BACKEND = 'atomic_local'

#: Suffix of the temporary files; a run killed while saving may leave one behind.
PARTIAL_SUFFIX = '.partial'


def partial_name(filepath: str) -> str:
    """A fresh temporary name next to ``filepath``: ``.<name>.<pid>-<random>.partial``."""
    folder, name = osp.split(osp.abspath(filepath))
    return osp.join(folder, f'.{name}.{os.getpid()}-{uuid.uuid4().hex[:8]}{PARTIAL_SUFFIX}')


def _fsync_dir(folder: str) -> None:
    """Make a rename in ``folder`` durable (skipped where directories cannot be opened)."""
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


def atomic_write_bytes(data: bytes, filepath: Union[str, Path]) -> None:
    """Write ``data`` to ``filepath`` so that no reader ever sees a partial file.

    Args:
        data (bytes): The content.
        filepath (str | Path): Destination; its folder is created if missing. The file gets the
            usual permissions (``0o666`` minus the umask), as with ``open(path, 'wb')``.

    Raises:
        OSError: When writing fails; the temporary file is removed and a previous file under
            ``filepath`` is left as it was.
    """
    filepath = str(filepath)
    folder = osp.dirname(osp.abspath(filepath))
    os.makedirs(folder, exist_ok=True)
    tmp = partial_name(filepath)
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666)
    try:
        with os.fdopen(fd, 'wb') as f:
            f.write(data)
            f.flush()
            os.fsync(f.fileno())
        os.replace(tmp, filepath)
    except BaseException:
        with contextlib.suppress(OSError):
            os.remove(tmp)
        raise
    _fsync_dir(folder)


@register_backend(ATOMIC_BACKEND)
class AtomicLocalBackend(LocalBackend):
    """mmengine's ``LocalBackend`` whose writes are atomic (see :func:`atomic_write_bytes`)."""

    def put(self, obj: bytes, filepath: Union[str, Path]) -> None:
        """Write bytes to ``filepath`` atomically, creating its folder if needed."""
        atomic_write_bytes(obj, filepath)

    def put_text(self, obj: str, filepath: Union[str, Path], encoding: str = 'utf-8') -> None:
        """Write text to ``filepath`` atomically, creating its folder if needed."""
        atomic_write_bytes(obj.encode(encoding), filepath)


@HOOKS.register_module()
class AtomicCheckpointHook(CheckpointHook):
    """mmengine's ``CheckpointHook`` writing local checkpoints atomically.

    Every argument is ``CheckpointHook``'s. Unless ``backend_args`` or ``file_client_args``
    choose a storage (e.g. petrel), checkpoints of a local ``out_dir`` (the ``work_dir`` by
    default) are saved through :class:`AtomicLocalBackend`: temporary file, fsync,
    ``os.replace``. Remote ``out_dir`` URIs keep mmengine's backend for their prefix.

    Example:
        >>> default_hooks = dict(checkpoint=dict(type='AtomicCheckpointHook', interval=1))
    """

    def before_train(self, runner) -> None:
        out_dir = runner.work_dir if self.out_dir is None else self.out_dir
        if (self.backend_args is None and self.file_client_args is None
                and '://' not in str(out_dir)):
            self.backend_args = dict(backend=ATOMIC_BACKEND)
        super().before_train(runner)


def use_atomic_checkpoint_hook(cfg: Config) -> bool:
    """Save atomically with any config: a plain ``CheckpointHook`` becomes the atomic one.

    ``default_hooks.checkpoint`` of type ``CheckpointHook`` (MMTracking's configs) is switched
    to :class:`AtomicCheckpointHook` with the same arguments; other types are left alone.

    Args:
        cfg (Config): The run's config, changed in place.

    Returns:
        bool: Whether the hook was switched.
    """
    hook = (cfg.get('default_hooks') or {}).get('checkpoint')
    if not isinstance(hook, dict) or hook.get('type') not in ('CheckpointHook',
                                                              'mmengine.CheckpointHook',
                                                              CheckpointHook):
        return False
    # registered in mmtrack's HOOKS: name the scope unless it is the config's default
    scope = '' if cfg.get('default_scope') == 'mmtrack' else 'mmtrack.'
    hook['type'] = f'{scope}AtomicCheckpointHook'
    return True
