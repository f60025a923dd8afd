# Copyright (c) SATracker authors. Licensed under the Apache License 2.0.
"""Engine components: hooks, checkpoint loading and saving, resume, distributed set-up on CPU."""
from . import hooks  # noqa: F401
from .atomic_checkpoint import (AtomicCheckpointHook, AtomicLocalBackend, atomic_write_bytes,
                                use_atomic_checkpoint_hook)
from .checkpoint import (TRUST_FLAG, CheckpointDownloadError, UntrustedCheckpointError,
                         download_checkpoint, is_url, load_state_dict, trust_checkpoints)
from .cpu_amp import CPUAmpOptimWrapper
from .dist import setup_cpu_distributed
from .resume import ResumeError, apply_resume, checkpoint_damage, select_resume_checkpoint

__all__ = [
    'TRUST_FLAG', 'UntrustedCheckpointError', 'load_state_dict', 'trust_checkpoints',
    'setup_cpu_distributed', 'AtomicCheckpointHook', 'AtomicLocalBackend', 'atomic_write_bytes',
    'use_atomic_checkpoint_hook', 'CheckpointDownloadError', 'download_checkpoint', 'is_url',
    'ResumeError', 'apply_resume', 'checkpoint_damage', 'select_resume_checkpoint',
    'CPUAmpOptimWrapper'
]
