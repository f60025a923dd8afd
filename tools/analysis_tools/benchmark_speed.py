# Copyright (c) SATracker authors. Licensed under the Apache License 2.0.
"""Per-frame tracking latency of SATracker (cached vs. uncached) and of an MMTracking baseline.

Runs the same synthetic video (a square moving over a textured background) through
``SATracker`` with the template/text cache, through ``SATracker`` with the full forward on
every frame (``test_cfg.use_cache=False``), and through an MMTracking tracker (STARK-ST1 by
default), in one process on one device, the trackers taking turns frame by frame so that a
change of machine load hits all of them alike. Each tracker is initialised on frame 0 by its own
``predict_ope``; the timed step is ``predict_ope`` on every later frame, i.e. ``track()`` (crop
on the device, backbone search stream, head, mapping back) plus the box hand-over. The median
over the timed frames after ``--warmup`` frames is reported, with the ratios
cached / uncached and SATracker (cached) / baseline, and the frames per second.

Weights are random (latency does not depend on them); a text encoder whose local directory is
missing is built with bert-base sizes, and the baseline's ``model.backbone.init_cfg`` is set to
None (no torchvision download).

``--bf16`` adds, in the same run, SATracker (cached) with ``test_cfg.precision='bf16'`` and the
baseline under ``torch.autocast(bfloat16)``, each tracker under its own precision, with the
ratios bf16 / fp32 and SATracker (bf16) / baseline (fp32 and bf16); on a CPU without native
bf16 (AVX512-BF16 / AMX-BF16) it says so and those rows run in fp32 (SATracker's fallback).
``--no-uncached`` skips the uncached SATracker. See docs/speed.md.

On a GPU: ``--device cuda`` synchronises around every timed step; ``--fp16`` runs under
``torch.autocast(float16)``; ``--compile`` compiles SATracker's per-frame step with
``torch.compile(mode='reduce-overhead')`` (CUDA graphs on a GPU; the default mode on CPU).
The baseline always runs eagerly (its ``track()`` synchronises with ``.item()``).

Examples:
    python tools/analysis_tools/benchmark_speed.py configs/_base_/models/satracker.py
    python tools/analysis_tools/benchmark_speed.py configs/satracker_tnl2k.py --bf16 \
        --frames 12 --warmup 2
    python tools/analysis_tools/benchmark_speed.py CONFIG --device cuda --fp16 --compile
    python tools/analysis_tools/benchmark_speed.py CONFIG --tiny --frames 6 --warmup 2 \\
        --baseline none
"""
import argparse
import contextlib
import copy
import statistics
import time

import torch

from satracker.cli import add_model_tool_args, read_config, save_json
from satracker.testing import build_offline_model, preprocess_frame, synthetic_video

DEFAULT_BASELINE = ('mmtrack::sot/stark/'
                    'stark-st1_r50_8xb16-500e_got10k-lasot-trackingnet-coco_test-lasot.py')


def parse_args(argv=None):
    parser = argparse.ArgumentParser(description='SATracker per-frame latency')
    add_model_tool_args(parser)  # config, --tiny, --text-len, --cfg-options, --json
    parser.add_argument(
        '--baseline',
        default=DEFAULT_BASELINE,
        help="MMTracking SOT config measured in the same run ('none' to skip)")
    parser.add_argument('--device', default='cpu', help="'cpu' or 'cuda[:i]'")
    parser.add_argument('--fp16', action='store_true', help='autocast to float16 (CUDA)')
    parser.add_argument(
        '--bf16',
        action='store_true',
        help='also time SATracker (cached) with test_cfg.precision=bf16 and '
        'the baseline under bf16 autocast, side by side with fp32')
    parser.add_argument(
        '--no-uncached',
        action='store_true',
        help='skip the uncached SATracker (full forward on every frame)')
    parser.add_argument(
        '--compile',
        action='store_true',
        help='torch.compile the per-frame step (CUDA graphs on a GPU)')
    parser.add_argument('--frames', type=int, default=30, help='frames of the video')
    parser.add_argument('--warmup', type=int, default=5, help='untimed frames after frame 0')
    parser.add_argument(
        '--img-size', type=int, nargs=2, default=(480, 640), metavar=('H', 'W'), help='frame size')
    parser.add_argument('--threads', type=int, default=None, help='torch CPU threads')
    return parser.parse_args(argv)


def _sample(frame_id: int, h: int, w: int, box=None):
    from mmengine.structures import InstanceData
    from mmtrack.structures import TrackDataSample
    ds = TrackDataSample()
    ds.set_metainfo(dict(frame_id=frame_id, ori_shape=(h, w), img_shape=(h, w)))
    if box is not None:
        ds.gt_instances = InstanceData(
            bboxes=torch.as_tensor(box)[None], labels=torch.zeros(1, dtype=torch.long))
    return ds


def time_trackers(trackers: dict, frames, first_box, device, warmup, autocast) -> dict:
    """Median per-frame latency of each tracker's ``predict_ope`` on frames 1...

    The trackers take turns frame by frame (tracker A on frame k, tracker B on frame k, ...),
    so that a change of machine load affects all of them alike; ``warmup`` frames after
    frame 0 are not timed.

    Args:
        trackers (dict): name -> (model, extra inputs dict (e.g. the text tokens)), or
            (model, extra, context): ``context()`` is entered around that tracker's steps
            (e.g. its own ``torch.autocast``).
        frames (np.ndarray): (N, 3, H, W) uint8 frames.
        first_box (np.ndarray): (4,) xyxy box on frame 0.
        device (torch.device): Device.
        warmup (int): Untimed frames after frame 0.
        autocast (callable): Returns the autocast context.

    Returns:
        dict: name -> ``median_ms``, ``fps``, ``frames_timed``, ``last_box``.
    """
    n, _, h, w = frames.shape
    cuda = device.type == 'cuda'
    trackers = {
        name: tuple(t) + (contextlib.nullcontext, ) * (3 - len(t))
        for name, t in trackers.items()
    }
    imgs = {
        name: [preprocess_frame(model, f, device) for f in frames]
        for name, (model, _, _) in trackers.items()
    }
    box0 = torch.from_numpy(first_box).to(device)
    samples = [_sample(k, h, w, box0 if k == 0 else None) for k in range(n)]
    times = {name: [] for name in trackers}
    last = {}
    with torch.no_grad(), autocast():
        for k in range(n):
            for name, (model, extra, context) in trackers.items():
                inputs = dict(img=imgs[name][k], **extra)
                if cuda:
                    torch.cuda.synchronize(device)
                start = time.perf_counter()
                with context():
                    result = model.predict_ope(inputs, [samples[k]])
                if cuda:
                    torch.cuda.synchronize(device)
                elapsed = time.perf_counter() - start
                if k > warmup:
                    times[name].append(elapsed)
                last[name] = result[0].bboxes.float().reshape(4).cpu().tolist()
    out = {}
    for name, values in times.items():
        median = statistics.median(values)
        out[name] = dict(
            median_ms=1e3 * median, fps=1.0 / median, frames_timed=len(values), last_box=last[name])
    return out


def build_satracker(args):
    """The SATracker of ``args.config`` (``--cfg-options``, ``--tiny``) on ``args.device``."""
    cfg = read_config(args.config, args.cfg_options)
    return build_offline_model(cfg.model, tiny=args.tiny).to(args.device).eval()


def build_baseline(config: str, device):
    """An MMTracking tracker with random weights (no torchvision download)."""
    from mmtrack.utils import register_all_modules
    register_all_modules(init_default_scope=False)
    return build_offline_model(read_config(config).model).to(device).eval()


def main(argv=None):
    args = parse_args(argv)
    if args.threads:
        torch.set_num_threads(args.threads)
    device = torch.device(args.device)
    if args.fp16 and device.type != 'cuda':
        raise SystemExit('--fp16 needs --device cuda')
    if args.fp16 and args.bf16:
        raise SystemExit('--fp16 and --bf16 exclude each other')

    def autocast():
        if args.fp16:
            return torch.autocast('cuda', dtype=torch.float16)
        return contextlib.nullcontext()

    h, w = args.img_size
    frames, first_box = synthetic_video(args.frames, h, w)
    model = build_satracker(args)
    g = torch.Generator().manual_seed(0)
    text = dict(
        text_ids=torch.randint(1000, 2000, (1, args.text_len), generator=g).to(device),
        text_mask=torch.ones(1, args.text_len, dtype=torch.long, device=device))

    results = dict(
        device=str(device),
        torch_threads=torch.get_num_threads(),
        img_size=[h, w],
        frames=args.frames,
        warmup=args.warmup,
        fp16=args.fp16,
        bf16=args.bf16,
        compile=args.compile)
    if args.bf16:
        from satracker.models.trackers.satracker import bf16_supported
        results['bf16_native'] = bf16_supported(device.type)
    if device.type == 'cuda':
        results['device_name'] = torch.cuda.get_device_name(device)
    trackers = {}
    compile_kwargs = dict(mode='reduce-overhead') if device.type == 'cuda' else {}
    cached = bool(getattr(model.backbone, 'supports_cache', False))
    ours = []
    if cached:
        ours.append(('satracker_cached', model, True, 'fp32'))
        if args.bf16:
            ours.append(('satracker_cached_bf16', copy.deepcopy(model), True, 'bf16'))
    if not cached or not args.no_uncached:
        ours.append(
            ('satracker_uncached', copy.deepcopy(model) if cached else model, False, 'fp32'))
        if args.bf16 and not cached:
            ours.append(('satracker_uncached_bf16', copy.deepcopy(model), False, 'bf16'))
    for name, m, use_cache, precision in ours:
        m.test_cfg.update(use_cache=use_cache, precision=precision)
        if args.compile:
            m.compile_track(**compile_kwargs)
        trackers[name] = (m, text)
    if args.baseline and args.baseline.lower() != 'none':
        results['baseline_config'] = args.baseline
        baseline = build_baseline(args.baseline, device)
        trackers['baseline'] = (baseline, {})
        if args.bf16:
            # MMTracking's STARK has no precision switch: autocast around its steps.
            def bf16_autocast():
                return torch.autocast(device.type, dtype=torch.bfloat16)

            trackers['baseline_bf16'] = (copy.deepcopy(baseline), {}, bf16_autocast)
    results.update(time_trackers(trackers, frames, first_box, device, args.warmup, autocast))

    print(f"device: {results.get('device_name', results['device'])}, "
          f"threads {results['torch_threads']}, frame {h}x{w}, "
          f"{args.frames} frames ({args.warmup} warm-up), fp16={args.fp16}, "
          f'bf16={args.bf16}, compile={args.compile}')
    if args.bf16 and not results['bf16_native']:
        print(f'  NOTE: this {device.type} has no native bf16 (AVX512-BF16 / AMX-BF16 on a '
              'CPU): SATracker\'s bf16 rows fall back to fp32; the baseline\'s bf16 row is '
              'emulated bf16')
    for key in ('satracker_cached', 'satracker_cached_bf16', 'satracker_uncached',
                'satracker_uncached_bf16', 'baseline', 'baseline_bf16'):
        if key in results:
            r = results[key]
            print(f"  {key:<24s} median {r['median_ms']:8.2f} ms/frame  {r['fps']:7.1f} fps")

    def ratio(a, b):
        return results[a]['median_ms'] / results[b]['median_ms']

    ratios = {}
    fp32 = 'satracker_cached' if 'satracker_cached' in results else 'satracker_uncached'
    bf16 = fp32 + '_bf16'
    if 'satracker_cached' in results and 'satracker_uncached' in results:
        ratios['cached/uncached'] = ratio('satracker_cached', 'satracker_uncached')
    if bf16 in results:
        ratios['satracker bf16/fp32'] = ratio(bf16, fp32)
    if 'baseline' in results:
        ratios['satracker/baseline'] = ratio(fp32, 'baseline')
        if bf16 in results:
            ratios['satracker bf16/baseline fp32'] = ratio(bf16, 'baseline')
    if 'baseline_bf16' in results:
        ratios['baseline bf16/fp32'] = ratio('baseline_bf16', 'baseline')
        ratios['satracker bf16/baseline bf16'] = ratio(bf16, 'baseline_bf16')
    for key, value in ratios.items():
        print(f'  ratio {key:<28s} {value:.3f}')
    results['ratios'] = ratios
    save_json(results, args.json)
    return results


if __name__ == '__main__':
    main()
