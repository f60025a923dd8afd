# Copyright (c) SATracker authors. Licensed under the Apache License 2.0.
"""Distributed runs without CUDA: two (or more) CPU processes with gloo (docs/get_started.md).

mmengine's ``init_dist('pytorch')`` calls ``torch.cuda.set_device`` unconditionally, and its
default DDP wrapper passes ``device_ids=[LOCAL_RANK]``; both fail on a CPU-only machine. With
CUDA nothing changes (NCCL as usual).
"""
import torch
import torch.distributed as torch_dist
from mmengine.config import Config


def setup_cpu_distributed(cfg: Config, launcher: str) -> bool:
    """Initialise gloo and a CPU DDP wrapper when launched distributed without CUDA.

    Must run before the Runner is built. The process group is read from the environment
    that ``torchrun`` sets (``RANK``, ``WORLD_SIZE``, ``MASTER_ADDR``, ``MASTER_PORT``).

    Args:
        cfg (Config): The run's config; ``env_cfg.dist_cfg.backend`` and
            ``model_wrapper_cfg`` are set for CPU.
        launcher (str): ``'none'``, ``'pytorch'``, ``'slurm'`` or ``'mpi'``.

    Returns:
        bool: True when the CPU path was taken.
    """
    if launcher == 'none' or torch.cuda.is_available():
        return False
    if launcher != 'pytorch':
        raise RuntimeError(f'--launcher {launcher} needs CUDA; on CPU use --launcher pytorch '
                           '(tools/dist_train.sh and tools/dist_test.sh do)')
    if not torch_dist.is_initialized():
        torch_dist.init_process_group(backend='gloo')
    env_cfg = cfg.setdefault('env_cfg', {})
    env_cfg.setdefault('dist_cfg', {})['backend'] = 'gloo'
    wrapper = cfg.get('model_wrapper_cfg') or dict(
        type='MMDistributedDataParallel',
        broadcast_buffers=False,
        find_unused_parameters=cfg.get('find_unused_parameters', False))
    wrapper['device_ids'] = None
    cfg.model_wrapper_cfg = wrapper
    return True
