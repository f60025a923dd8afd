# Copyright (c) SATracker authors. Licensed under the Apache License 2.0.
"""Engine components: hooks, checkpoint loading rules, distributed set-up on CPU."""
from . import hooks  # noqa: F401
from .checkpoint import (TRUST_FLAG, CheckpointDownloadError, UntrustedCheckpointError,
                         download_checkpoint, is_url, load_state_dict, trust_checkpoints)
from .dist import setup_cpu_distributed

__all__ = [
    'TRUST_FLAG', 'UntrustedCheckpointError', 'load_state_dict', 'trust_checkpoints',
    'setup_cpu_distributed', 'CheckpointDownloadError', 'download_checkpoint', 'is_url'
]
