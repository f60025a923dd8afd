# Copyright (c) SATracker authors. Licensed under the Apache License 2.0.
"""Atomic checkpoint saving: a save that fails midway leaves the previous file intact."""
import contextlib
import errno
import os
import os.path as osp
import resource
import signal
from types import SimpleNamespace

import pytest
import torch
from mmengine.config import Config
from mmengine.fileio import LocalBackend, get_file_backend
from mmengine.runner.checkpoint import save_checkpoint

import satracker.engine.atomic_checkpoint as atomic
from satracker.engine import (AtomicCheckpointHook, AtomicLocalBackend, atomic_write_bytes,
                              use_atomic_checkpoint_hook)

ATOMIC = dict(backend=atomic.ATOMIC_BACKEND)


@contextlib.contextmanager
def _disk_full_beyond(nbytes):
    """Writes that grow a file past ``nbytes`` fail (EFBIG), as on a full disk."""
    soft, hard = resource.getrlimit(resource.RLIMIT_FSIZE)
    old_handler = signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
    resource.setrlimit(resource.RLIMIT_FSIZE, (nbytes, hard))
    try:
        yield
    finally:
        resource.setrlimit(resource.RLIMIT_FSIZE, (soft, hard))
        signal.signal(signal.SIGXFSZ, old_handler)


def _leftovers(folder):
    return sorted(name for name in os.listdir(folder) if name.endswith(atomic.PARTIAL_SUFFIX))


def test_failing_save_keeps_the_old_checkpoint_and_leaves_no_partial_file(tmp_path):
    path = str(tmp_path / 'epoch_1.pth')
    save_checkpoint({'state_dict': {'w': torch.ones(4)}}, path, backend_args=ATOMIC)
    old_bytes = open(path, 'rb').read()

    big = {'state_dict': {'w': torch.zeros(100_000)}}  # 400 kB
    with _disk_full_beyond(100_000):
        with pytest.raises(OSError, match='File too large'):
            save_checkpoint(big, path, backend_args=ATOMIC)
        with pytest.raises(OSError, match='File too large'):
            save_checkpoint(big, str(tmp_path / 'epoch_2.pth'), backend_args=ATOMIC)

    assert open(path, 'rb').read() == old_bytes
    assert torch.equal(torch.load(path)['state_dict']['w'], torch.ones(4))
    assert not osp.exists(tmp_path / 'epoch_2.pth')  # nothing under the final name
    assert _leftovers(tmp_path) == []


def test_failing_fsync_also_cleans_up(tmp_path, monkeypatch):
    path = tmp_path / 'last.txt'
    atomic_write_bytes(b'old', path)

    def no_fsync(fd):
        raise OSError(errno.EIO, 'I/O error')

    monkeypatch.setattr(atomic.os, 'fsync', no_fsync)
    with pytest.raises(OSError, match='I/O error'):
        atomic_write_bytes(b'new content', path)
    monkeypatch.undo()
    assert path.read_bytes() == b'old'
    assert _leftovers(tmp_path) == []


def test_successful_write_replaces_with_usual_permissions(tmp_path):
    path = tmp_path / 'sub' / 'a.bin'
    atomic_write_bytes(b'1', path)
    atomic_write_bytes(b'22', path)
    assert path.read_bytes() == b'22'
    umask = os.umask(0)
    os.umask(umask)
    assert os.stat(path).st_mode & 0o777 == 0o666 & ~umask
    assert _leftovers(path.parent) == []


def test_backend_is_registered_and_atomic():
    backend = get_file_backend('/any/local/path', backend_args=ATOMIC)
    assert isinstance(backend, AtomicLocalBackend) and isinstance(backend, LocalBackend)


def _before_train(hook, work_dir):
    runner = SimpleNamespace(work_dir=str(work_dir), logger=SimpleNamespace(info=print))
    hook.before_train(runner)
    return hook.file_backend


def test_hook_saves_through_the_atomic_backend_unless_told_otherwise(tmp_path):
    assert isinstance(_before_train(AtomicCheckpointHook(interval=1), tmp_path), AtomicLocalBackend)
    explicit = AtomicCheckpointHook(interval=1, backend_args=dict(backend='local'))
    backend = _before_train(explicit, tmp_path)
    assert type(backend) is LocalBackend


@pytest.mark.parametrize('config', [
    'configs/_base_/default_runtime.py',
    'configs/demo/stark-st1_tiny-r18_2xb8_synthetic.py',
    'configs/demo/satracker_tiny-minilm_2xb8_synthetic.py',
])
def test_our_configs_use_the_atomic_hook(repo_root, config):
    cfg = Config.fromfile(osp.join(repo_root, config))
    assert cfg.default_hooks.checkpoint.type == 'AtomicCheckpointHook'


def test_train_tool_switches_mmtracking_configs():
    from mmengine.registry import DefaultScope
    from mmengine.utils import get_installed_path
    from mmtrack.registry import HOOKS
    stark = osp.join(
        get_installed_path('mmtrack'), '.mim', 'configs', 'sot', 'stark',
        'stark-st1_r50_8xb16-500e_got10k-lasot-trackingnet-coco_base.py')
    cfg = Config.fromfile(stark)
    assert cfg.default_hooks.checkpoint.type == 'CheckpointHook'
    interval = cfg.default_hooks.checkpoint.interval
    assert use_atomic_checkpoint_hook(cfg)
    assert cfg.default_hooks.checkpoint == dict(type='AtomicCheckpointHook', interval=interval)
    with DefaultScope.overwrite_default_scope('mmtrack'):
        assert isinstance(HOOKS.build(cfg.default_hooks.checkpoint), AtomicCheckpointHook)
    # another hook type is left alone
    other = Config(dict(default_hooks=dict(checkpoint=dict(type='MyHook'))))
    assert not use_atomic_checkpoint_hook(other)
    assert other.default_hooks.checkpoint.type == 'MyHook'
