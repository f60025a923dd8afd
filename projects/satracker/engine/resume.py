# Copyright (c) SATracker authors. Licensed under the Apache License 2.0.
"""``--resume`` that checks the checkpoint it picks (docs/checkpoints.md).

A run killed while mmengine wrote a checkpoint leaves a truncated file, and ``last_checkpoint``
may name it; mmengine's resume then dies in torch's zip reader, in every rank. Here the choice
is made before the runner (and the process group) exists:

* the checkpoint ``last_checkpoint`` names is used when it is intact;
* when it is damaged (missing, truncated, not a torch zip archive, bad CRC) a warning names it
  and the newest intact ``epoch_N.pth`` / ``iter_N.pth`` of the work_dir is used instead;
* when none is intact, :class:`ResumeError` names every file tried.

Checkpoints saved by :class:`~satracker.engine.AtomicCheckpointHook` are never torn; this check
covers those of older runs and other writers (a full disk, a copy cut short).
"""
import glob
import os
import os.path as osp
import re
import sys
import zipfile
from typing import List, Optional, Tuple

from mmengine.config import Config

from ..utils.prerequisites import is_main_process
from .atomic_checkpoint import PARTIAL_SUFFIX

#: Names mmengine's CheckpointHook gives checkpoints by default.
_NUMBERED = re.compile(r'^(epoch|iter)_(\d+)\.pth$')


class ResumeError(RuntimeError):
    """No intact checkpoint to resume from."""


def checkpoint_damage(filename: str) -> Optional[str]:
    """Why ``filename`` cannot be loaded as a torch checkpoint, or None when it is intact.

    A checkpoint written by ``torch.save`` is a zip archive with a ``data.pkl`` record; the
    check opens it (a truncated file has no central directory) and verifies every record's
    CRC, which reads the file once. Nothing is unpickled.

    Args:
        filename (str): The checkpoint path.

    Returns:
        str | None: A short reason (e.g. ``'is truncated or not a zip archive'``), or None.
    """
    if not osp.isfile(filename):
        return 'does not exist'
    try:
        with zipfile.ZipFile(filename) as archive:
            if not any(name.endswith('data.pkl') for name in archive.namelist()):
                return 'is not a torch checkpoint (no data.pkl record)'
            bad = archive.testzip()
    except zipfile.BadZipFile:
        return f'is truncated or not a zip archive ({osp.getsize(filename)} bytes)'
    except (OSError, EOFError, ValueError) as error:
        return f'cannot be read ({error})'
    if bad is not None:
        return f'is corrupt (record {bad} fails its CRC check)'
    return None


def read_last_checkpoint(work_dir: str) -> Optional[str]:
    """The path ``<work_dir>/last_checkpoint`` names, ``''`` if empty, None if there is none.

    A path that does not exist as written (a relative path from another working directory, a
    moved work_dir) is looked up by its file name in ``work_dir``.
    """
    pointer = osp.join(work_dir, 'last_checkpoint')
    if not osp.isfile(pointer):
        return None
    with open(pointer, encoding='utf-8', errors='replace') as f:
        named = f.read().strip()
    if named and not osp.exists(named) and osp.isfile(osp.join(work_dir, osp.basename(named))):
        named = osp.join(work_dir, osp.basename(named))
    return named


def numbered_checkpoints(work_dir: str, prefer: Optional[str] = None) -> List[str]:
    """``epoch_N.pth`` / ``iter_N.pth`` files of ``work_dir``, newest (highest N) first.

    Args:
        work_dir (str): The folder.
        prefer (str, optional): A checkpoint name whose kind (``epoch`` or ``iter``) is listed
            first when a folder holds both.
    """
    match = _NUMBERED.match(osp.basename(prefer or ''))
    kind = match.group(1) if match else None
    found = []
    for path in glob.glob(osp.join(glob.escape(work_dir), '*.pth')):
        match = _NUMBERED.match(osp.basename(path))
        if match and osp.isfile(path):
            found.append((match.group(1) == kind, int(match.group(2)), path))
    return [path for _, _, path in sorted(found, reverse=True)]


def select_resume_checkpoint(work_dir: str,
                             resume: str = 'auto',
                             verbose: bool = True) -> Optional[str]:
    """The checkpoint ``--resume`` should load, checked to be intact.

    Args:
        work_dir (str): The run's work_dir.
        resume (str): ``'auto'`` (the checkpoint ``last_checkpoint`` names) or a path.
        verbose (bool): Log the fallback warning (rank 0 only in a distributed run).

    Returns:
        str | None: The checkpoint to resume from; None when ``work_dir`` holds no
        ``last_checkpoint`` (then mmengine starts afresh, as it would).

    Raises:
        ResumeError: When the given checkpoint is damaged, or with ``'auto'`` when no
            checkpoint of ``work_dir`` is intact; the message names each file and its damage.
    """
    if resume != 'auto':
        damage = checkpoint_damage(resume)
        if damage is not None:
            raise ResumeError(f'--resume {resume}: the checkpoint {damage}.')
        return resume
    named = read_last_checkpoint(work_dir)
    if named is None:
        return None
    tried: List[Tuple[str, str]] = []
    if named:
        damage = checkpoint_damage(named)
        if damage is None:
            return named
        tried.append((named, damage))
    else:
        tried.append((osp.join(work_dir, 'last_checkpoint'), 'is empty'))
    for candidate in numbered_checkpoints(work_dir, prefer=named):
        if named and osp.realpath(candidate) == osp.realpath(named):
            continue
        damage = checkpoint_damage(candidate)
        if damage is None:
            if verbose:
                path, why = tried[0]
                # plain stderr: this runs before the Runner and its logger exist
                print(
                    f'WARNING: --resume: "{path}" (named by last_checkpoint) {why}; '
                    f'resuming from "{candidate}", the newest intact checkpoint, instead.',
                    file=sys.stderr,
                    flush=True)
            return candidate
        tried.append((candidate, damage))
    listing = '; '.join(f'"{path}" {why}' for path, why in tried)
    raise ResumeError(
        f'--resume: no intact checkpoint in {work_dir}: {listing}. Resume from a checkpoint '
        'you have (--resume PATH), or train afresh without --resume.')


def remove_partial_files(work_dir: str) -> List[str]:
    """Delete the temporary files a killed atomic save left in ``work_dir``; return them."""
    pattern = osp.join(glob.escape(work_dir), f'.*{PARTIAL_SUFFIX}')
    removed = []
    for path in glob.glob(pattern):
        try:
            os.remove(path)
            removed.append(path)
        except OSError:
            pass
    return removed


def apply_resume(cfg: Config, resume: str, quiet: bool = False) -> Optional[str]:
    """What ``tools/train.py --resume [PATH]`` does before the runner is built.

    Sets ``cfg.resume`` and ``cfg.load_from`` to the checkpoint
    :func:`select_resume_checkpoint` picks; rank 0 logs a fallback and removes the
    temporary files of an interrupted save.

    Args:
        cfg (Config): The run's config (``work_dir`` and ``launcher`` set), changed in place.
        resume (str): ``'auto'`` or a checkpoint path.
        quiet (bool): Only check (``--check-only``, run once by ``tools/dist_train.sh`` before
            the processes start): no fallback warning, nothing removed; errors still stop.

    Returns:
        str | None: The checkpoint the run resumes from.

    Raises:
        SystemExit: When no intact checkpoint is found: with the message on rank 0, with
            status 1 and no message on the other ranks (the message is printed once).
    """
    main = is_main_process()
    try:
        checkpoint = select_resume_checkpoint(cfg.work_dir, resume, verbose=main and not quiet)
    except ResumeError as error:
        raise SystemExit(f'train.py: error: {error}' if main else 1) from None
    if main and not quiet and resume == 'auto' and osp.isdir(cfg.work_dir):
        for path in remove_partial_files(cfg.work_dir):
            print(
                f'removed "{path}", left by an interrupted checkpoint save',
                file=sys.stderr,
                flush=True)
    cfg.resume = True
    cfg.load_from = checkpoint
    return checkpoint
