# Copyright (c) SATracker authors. Licensed under the Apache License 2.0.
"""Mixed-precision training on CPU: bfloat16 autocast, no gradient scaler.

MMEngine's ``AmpOptimWrapper`` is built for GPUs (it asserts CUDA / NPU / MLU and scales the
loss for float16). On a CPU, ``torch.autocast('cpu', torch.bfloat16)`` runs the matmuls and
convolutions in bfloat16, whose exponent range is float32's: no loss scaling is needed, and the
parameters, gradients and optimizer state stay float32. ``tools/train.py --amp`` selects
:class:`CPUAmpOptimWrapper` on a machine without CUDA (docs/speed.md).
"""
from contextlib import contextmanager

import torch
import torch.nn as nn
from mmengine.optim import OptimWrapper
from mmtrack.registry import OPTIM_WRAPPERS


@OPTIM_WRAPPERS.register_module()
class CPUAmpOptimWrapper(OptimWrapper):
    """``OptimWrapper`` whose forward (``optim_context``) runs under CPU bf16 autocast.

    Everything else is the plain ``OptimWrapper``'s: fp32 parameters and gradients, no
    ``GradScaler`` (bfloat16 has float32's range, so gradients do not underflow as in fp16),
    gradient accumulation and clipping as configured.

    Args:
        dtype (str | torch.dtype): Autocast dtype, ``'bfloat16'`` (default) or
            ``'float16'`` (CPU float16 autocast is slow on most CPUs).
        **kwargs: ``OptimWrapper``'s arguments (``optimizer``, ``accumulative_counts``,
            ``clip_grad``).
    """

    def __init__(self, dtype='bfloat16', **kwargs):
        super().__init__(**kwargs)
        if isinstance(dtype, str):
            if dtype not in ('bfloat16', 'float16'):
                raise ValueError(f'CPUAmpOptimWrapper: dtype="{dtype}" is not "bfloat16" '
                                 'or "float16"')
            dtype = getattr(torch, dtype)
        if dtype not in (torch.bfloat16, torch.float16):
            raise ValueError(f'CPUAmpOptimWrapper: dtype={dtype} is not torch.bfloat16 or '
                             'torch.float16')
        self.cast_dtype = dtype

    @contextmanager
    def optim_context(self, model: nn.Module):
        """The parent's context (no gradient sync while accumulating) and CPU autocast.

        Args:
            model (nn.Module): The training model.
        """
        with super().optim_context(model), torch.autocast('cpu', dtype=self.cast_dtype):
            yield
