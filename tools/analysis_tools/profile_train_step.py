# Copyright (c) SATracker authors. Licensed under the Apache License 2.0.
"""Where a training step's time goes: data, text encoder, vision stream, SAM, head, backward,
gradient all-reduce and optimizer, measured on the real config, data and processes.

Each process builds the model, the train dataloader and the optimizer wrapper of CONFIG (as
``tools/train.py`` does) and runs ``--warmup`` + ``--steps`` training steps by hand:

- ``data``: next batch from the dataloader (its worker processes included);
- ``preprocess``: the model's data preprocessor;
- ``forward``: the loss forward, split into ``text encoder`` (embedding + its stages),
  ``SAM`` (fusion blocks), ``vision`` (the rest of the backbone: CTE + TEM blocks) and
  ``head + loss``;
- ``backward``: ``loss.backward()``; the text encoder's share of it is estimated by a second
  run of the same steps with the text encoder frozen (``backward, text frozen``);
- ``all-reduce``: summing the gradients over the processes (gloo on CPU), one flat buffer;
- ``optimizer``: ``optim_wrapper.step()`` and ``zero_grad()``.

Rank 0 prints one table of mean milliseconds per step (and the share of the step).

Example (the demo's SATracker, two processes as ``make demo`` trains it)::

    python tools/analysis_tools/profile_train_step.py \
        configs/demo/satracker_tiny-minilm_2xb8_synthetic.py --procs 2
"""
import argparse
import contextlib
import os
import sys
import time
from collections import defaultdict

import torch
import torch.distributed as dist
import torch.multiprocessing as mp
from mmengine.config import DictAction

PARTS = ('data', 'preprocess', 'text encoder', 'SAM', 'vision', 'head + loss', 'backward',
         'all-reduce', 'optimizer')


def parse_args(argv=None):
    parser = argparse.ArgumentParser(description='Profile one training step, part by part')
    parser.add_argument('config', help='training config')
    parser.add_argument('--procs', type=int, default=2, help='processes (gloo)')
    parser.add_argument('--steps', type=int, default=5, help='measured steps')
    parser.add_argument('--warmup', type=int, default=2, help='steps before measuring')
    parser.add_argument(
        '--amp',
        action='store_true',
        help='bf16 autocast on CPU (CPUAmpOptimWrapper), as train.py --amp')
    parser.add_argument(
        '--cfg-options',
        nargs='+',
        action=DictAction,
        default=None,
        metavar='KEY=VALUE',
        help='override config keys, as in tools/train.py')
    args = parser.parse_args(argv)
    if args.procs < 1 or args.steps < 1 or args.warmup < 0:
        parser.error('--procs and --steps must be >= 1 and --warmup >= 0')
    return args


class StepTimer:
    """Sums wall time per part; ``wrap`` times every call of a module method."""

    def __init__(self):
        self.total = defaultdict(float)
        self.enabled = False

    @contextlib.contextmanager
    def part(self, name):
        start = time.perf_counter()
        try:
            yield
        finally:
            if self.enabled:
                self.total[name] += time.perf_counter() - start

    def wrap(self, obj, method, name):
        inner = getattr(obj, method)

        def timed(*args, **kwargs):
            with self.part(name):
                return inner(*args, **kwargs)

        setattr(obj, method, timed)


def _build(cfg):
    from mmengine.optim import build_optim_wrapper
    from mmengine.runner import Runner
    from mmtrack.registry import MODELS
    model = MODELS.build(cfg.model)
    model.init_weights()
    model.train()
    loader = Runner.build_dataloader(
        cfg.train_dataloader, seed=cfg.get('randomness', {}).get('seed', 0))
    optim_wrapper = build_optim_wrapper(model, cfg.optim_wrapper)
    return model, loader, optim_wrapper


def _instrument(model, timer):
    """Time the text encoder, the fusion blocks and the head inside the loss forward."""
    backbone = model.backbone
    text_encoder = getattr(backbone, 'text_encoder', None)
    if text_encoder is not None:
        timer.wrap(text_encoder, 'embed', 'text encoder')
        timer.wrap(text_encoder, 'forward_stage', 'text encoder')
        timer.wrap(text_encoder, 'forward', 'text encoder')
    for stage in getattr(backbone, 'stages', []):
        if getattr(stage, 'fusion', None) is not None:
            timer.wrap(stage.fusion, 'forward', 'SAM')
    timer.wrap(backbone, 'forward', 'backbone')
    timer.wrap(model.head, 'loss', 'head + loss')


def _run(cfg, args, rank, world, freeze_text):
    from mmengine.runner import set_random_seed
    set_random_seed(cfg.get('randomness', {}).get('seed', 0) + rank)
    model, loader, optim_wrapper = _build(cfg)
    text_encoder = getattr(model.backbone, 'text_encoder', None)
    if freeze_text and text_encoder is not None:
        text_encoder.requires_grad_(False)
    timer = StepTimer()
    _instrument(model, timer)
    params = [p for p in model.parameters() if p.requires_grad]
    autocast = (
        torch.autocast('cpu', dtype=torch.bfloat16) if args.amp else contextlib.nullcontext())
    it = iter(loader)
    for step in range(args.warmup + args.steps):
        timer.enabled = step >= args.warmup
        with timer.part('step'):
            with timer.part('data'):
                data = next(it)
            with timer.part('preprocess'):
                data = model.data_preprocessor(data, True)
            with timer.part('forward'), autocast:
                losses = model(**data, mode='loss')
            loss, _ = model.parse_losses(losses)
            with timer.part('backward'):
                loss.backward()
            with timer.part('all-reduce'):
                if world > 1:
                    grads = [p.grad if p.grad is not None else torch.zeros_like(p) for p in params]
                    flat = torch.cat([g.reshape(-1) for g in grads])
                    dist.all_reduce(flat)
                    flat /= world
            with timer.part('optimizer'):
                optim_wrapper.step()
                optim_wrapper.zero_grad()
    per_step = {k: 1000 * v / args.steps for k, v in timer.total.items()}
    per_step['vision'] = (
        per_step.get('backbone', 0) - per_step.get('text encoder', 0) - per_step.get('SAM', 0))
    return per_step, sum(p.numel() for p in params)


def _worker(rank, world, port, args, queue):
    os.environ.setdefault('OMP_NUM_THREADS', str(max(1, (os.cpu_count() or 1) // world)))
    torch.set_num_threads(int(os.environ['OMP_NUM_THREADS']))
    if world > 1:
        dist.init_process_group(
            'gloo', init_method=f'tcp://127.0.0.1:{port}', rank=rank, world_size=world)
    from mmengine.registry import init_default_scope

    import satracker  # noqa: F401  (registration)
    from satracker.cli import load_config
    cfg = load_config(
        argparse.Namespace(
            config=args.config, cfg_options=args.cfg_options, work_dir=None, launcher='none'))
    init_default_scope(cfg.get('default_scope', 'mmtrack'))
    full, n_params = _run(cfg, args, rank, world, freeze_text=False)
    frozen, _ = _run(cfg, args, rank, world, freeze_text=True)
    if rank == 0:
        queue.put((full, frozen, n_params))
    if world > 1:
        dist.barrier()
        dist.destroy_process_group()


def format_table(full: dict, frozen: dict, n_params: int, header: str) -> str:
    """The per-part table (ms per step and share of the step)."""
    step = full['step']
    rows = [
        header, f'trainable parameters: {n_params / 1e6:.2f} M', '',
        f'| {"part":<32} | {"ms/step":>8} | {"share":>6} |', f'|{"-" * 34}|{"-" * 10}:|{"-" * 7}:|'
    ]
    for part in PARTS:
        ms = full.get(part, 0.0)
        rows.append(f'| {part:<32} | {ms:8.1f} | {100 * ms / step:5.1f}% |')
    text_bwd = full['backward'] - frozen['backward']
    rows.append(f'| {"  of backward: text encoder (est.)":<32} | {text_bwd:8.1f} | '
                f'{100 * text_bwd / step:5.1f}% |')
    rows.append(f'| {"step (wall)":<32} | {step:8.1f} | {100.0:5.1f}% |')
    rows.append('')
    rows.append('Forward parts are timed inside the loss forward; "vision" is the backbone '
                'minus text encoder and SAM. The text encoder\'s backward is the backward '
                f'time minus that of a run with the text encoder frozen ({frozen["backward"]:.1f}'
                ' ms).')
    return '\n'.join(rows)


def main(argv=None):
    args = parse_args(argv)
    if not os.path.isfile(args.config):
        print(f'profile_train_step.py: config not found: {args.config}', file=sys.stderr)
        return 2
    from satracker.cli import free_port
    port = free_port()
    ctx = mp.get_context('spawn')
    queue = ctx.SimpleQueue()
    mp.start_processes(
        _worker,
        args=(args.procs, port, args, queue),
        nprocs=args.procs,
        join=True,
        start_method='spawn')
    full, frozen, n_params = queue.get()
    threads = os.environ.get('OMP_NUM_THREADS') or max(1, (os.cpu_count() or 1) // args.procs)
    header = (f'{args.config}: {args.procs} process(es) x {threads} thread(s), '
              f'{args.steps} steps after {args.warmup} warm-up, '
              f'{"bf16 autocast" if args.amp else "fp32"}')
    print(format_table(full, frozen, n_params, header))
    return 0


if __name__ == '__main__':
    sys.exit(main())
