# Copyright (c) SATracker authors. Licensed under the Apache License 2.0.
"""bf16 on CPU: per-frame agreement of bf16 and fp32 tracking, and the CPU AMP step time.

``agreement``: SATracker with ``test_cfg.precision='fp32'`` and a copy with ``'bf16'`` track the
synthetic video of ``benchmark_speed.py`` (:func:`satracker.testing.synthetic_video`); on every
frame both start from the same fp32 box (the fp32 tracker's previous output), so the IoU of
their boxes measures what bf16 changes in one step (the head's output mapped to the image), not
drift. Prints the mean and minimum IoU. With ``--video DIR [DIR ...]`` (TNL2K layout:
``imgs/``, ``groundtruth.txt``, ``language.txt``, e.g. the test videos of ``make demo``) it does
the same on those videos, with their first box and sentence, through
:func:`satracker.apis.inference_vlsot` (the config's own test pipeline); use it with the
``--checkpoint`` of a trained tracker.

``amp-step``: the median time of one training step (forward, backward, AdamW update) of the
model on a random batch, with mmengine's ``OptimWrapper`` (fp32) and with
:class:`~satracker.engine.CPUAmpOptimWrapper` (bf16 autocast), taking turns.

Weights are random unless ``--checkpoint`` (weights-only) is given. See docs/speed.md.

Examples:
    python tools/analysis_tools/bf16_check.py agreement configs/satracker_tnl2k.py --frames 12
    python tools/analysis_tools/bf16_check.py agreement \\
        configs/demo/satracker_tiny-minilm_2xb8_synthetic.py --checkpoint CKPT \\
        --video data/synthetic_vl/test/*/
    python tools/analysis_tools/bf16_check.py amp-step \\
        configs/demo/satracker_tiny-minilm_2xb8_synthetic.py --batch-size 8
"""
import argparse
import copy
import os.path as osp
import statistics
import time
from typing import List

import torch

from satracker.cli import add_model_tool_args, read_config, save_json
from satracker.engine import load_state_dict
from satracker.testing import (build_offline_model, preprocess_frame, random_train_batch,
                               synthetic_video)


def parse_args(argv=None):
    parser = argparse.ArgumentParser(description='bf16 vs fp32 on CPU')
    parser.add_argument('mode', choices=['agreement', 'amp-step'])
    add_model_tool_args(parser)  # config, --tiny, --text-len, --cfg-options, --json
    parser.add_argument('--checkpoint', help='weights-only checkpoint (default: random)')
    parser.add_argument('--frames', type=int, default=12, help='agreement: frames')
    parser.add_argument(
        '--video',
        nargs='+',
        metavar='DIR',
        help='agreement: video folders in TNL2K layout (imgs/, groundtruth.txt, language.txt) '
        'instead of the generated video')
    parser.add_argument('--img-size', type=int, nargs=2, default=(480, 640), metavar=('H', 'W'))
    parser.add_argument('--batch-size', type=int, default=8, help='amp-step: batch size')
    parser.add_argument('--steps', type=int, default=6, help='amp-step: steps per wrapper')
    parser.add_argument('--threads', type=int, default=None, help='torch CPU threads')
    parser.add_argument(
        '--compile',
        action='store_true',
        help='agreement: torch.compile both trackers\' per-frame step (compile_track)')
    return parser.parse_args(argv)


def _build(args):
    cfg = read_config(args.config, args.cfg_options)
    model = build_offline_model(cfg.model, tiny=args.tiny).eval()
    if args.checkpoint:
        missing = model.load_state_dict(load_state_dict(args.checkpoint), strict=False)
        print(f'loaded {args.checkpoint} ({missing})')
    return model


def agreement(args) -> dict:
    """Per-frame IoU of bf16 and fp32 boxes from the same fp32 start box."""
    from mmdet.structures.bbox import bbox_overlaps, bbox_xyxy_to_cxcywh
    model, other = _fp32_and_bf16(_build(args).eval(), args)
    h, w = args.img_size
    frames, first = synthetic_video(args.frames, h, w)
    g = torch.Generator().manual_seed(0)
    text_ids = torch.randint(1000, 2000, (1, args.text_len), generator=g)
    text_mask = torch.ones(1, args.text_len, dtype=torch.long)
    imgs = [preprocess_frame(model, f, 'cpu')[0] for f in frames]
    ious, shifts = [], []
    with torch.no_grad():
        for m in (model, other):
            m.memo.bbox = bbox_xyxy_to_cxcywh(torch.from_numpy(first))
            m.init(imgs[0], text_ids, text_mask)
        native = other._amp_dtype is torch.bfloat16
        for img in imgs[1:]:
            other.memo.bbox = model.memo.bbox.clone()
            a = model.track(img, [])[0].bboxes
            b = other.track(img, [])[0].bboxes
            ious.append(float(bbox_overlaps(a, b)[0, 0]))
            shifts.append(float((a - b).abs().max()))
            model.memo.bbox = bbox_xyxy_to_cxcywh(a[0])
    return _report(ious, shifts, native, f'{h}x{w}')


def _fp32_and_bf16(model, args):
    """The tracker in fp32 and a copy in bf16, each compiled with ``--compile`` (as
    benchmark_speed.py does)."""
    model.test_cfg['precision'] = 'fp32'
    other = copy.deepcopy(model)
    other.test_cfg['precision'] = 'bf16'
    if args.compile:
        for m in (model, other):
            m.compile_track()
    return model, other


def _report(ious: List[float], shifts: List[float], native: bool, what: str) -> dict:
    result = dict(
        bf16_native=native,
        frames=len(ious),
        mean_iou=statistics.mean(ious),
        min_iou=min(ious),
        max_abs_diff_px=max(shifts))
    print(f"bf16 vs fp32 from the same fp32 box, {len(ious)} frames {what}: mean IoU "
          f"{result['mean_iou']:.4f}, min IoU {result['min_iou']:.4f}, max |diff| "
          f"{result['max_abs_diff_px']:.2f} px (bf16 native: {native})")
    return result


def _read_video(video_dir: str):
    """Frame paths, first box (x1, y1, x2, y2) and sentence of a TNL2K-layout video folder."""
    from satracker_data.vl_sot_io import list_frames, parse_gt_file, read_language
    img_dir = osp.join(video_dir, 'imgs')
    frames = [osp.join(img_dir, name) for name in list_frames(img_dir)]
    if len(frames) < 2:
        raise SystemExit(f'{video_dir}: needs imgs/ with at least 2 frames, found {len(frames)}')
    x, y, w, h = parse_gt_file(osp.join(video_dir, 'groundtruth.txt'))[0]
    return frames, [x, y, x + w, y + h], read_language(osp.join(video_dir, 'language.txt'))


def agreement_on_videos(args) -> dict:
    """:func:`agreement` on real videos with their sentences, through ``inference_vlsot``."""
    import mmcv
    from mmdet.structures.bbox import bbox_overlaps

    from satracker.apis import inference_vlsot, init_model
    videos = [_read_video(v) for v in args.video]
    model, other = _fp32_and_bf16(
        init_model(args.config, args.checkpoint, cfg_options=args.cfg_options), args)
    ious, shifts = [], []
    for frames, first, sentence in videos:
        for frame_id, path in enumerate(frames):
            img = mmcv.imread(path)
            if frame_id > 0:  # both start from the fp32 tracker's previous box
                other.memo.bbox = model.memo.bbox.clone()
            a = inference_vlsot(model, img, first, sentence, frame_id).pred_track_instances
            b = inference_vlsot(other, img, first, sentence, frame_id).pred_track_instances
            if frame_id > 0:
                ious.append(float(bbox_overlaps(a.bboxes, b.bboxes)[0, 0]))
                shifts.append(float((a.bboxes - b.bboxes).abs().max()))
    return _report(ious, shifts, other._amp_dtype is torch.bfloat16, f'in {len(videos)} videos')


def amp_step(args) -> dict:
    """Median training-step time, fp32 ``OptimWrapper`` vs ``CPUAmpOptimWrapper``."""
    from mmengine.optim import OptimWrapper

    from satracker.engine import CPUAmpOptimWrapper
    model = _build(args).train()
    models = dict(fp32=model, bf16=copy.deepcopy(model))
    wrappers = dict(
        fp32=OptimWrapper(torch.optim.AdamW(models['fp32'].parameters(), lr=1e-4)),
        bf16=CPUAmpOptimWrapper(optimizer=torch.optim.AdamW(models['bf16'].parameters(), lr=1e-4)))
    inputs, samples = random_train_batch(
        model, args.batch_size, args.text_len, box=(0.3, 0.3, 0.7, 0.75))
    times = {k: [] for k in wrappers}
    losses = {}
    for step in range(args.steps + 1):
        for key, wrapper in wrappers.items():
            start = time.perf_counter()
            with wrapper.optim_context(models[key]):
                losses_dict = models[key].loss(inputs, samples)
            loss = sum(v for v in losses_dict.values())
            wrapper.update_params(loss)
            if step > 0:  # the first step is a warm-up
                times[key].append(time.perf_counter() - start)
            losses[key] = loss.item()
    result = {
        k: dict(median_ms=1e3 * statistics.median(v), last_loss=losses[k])
        for k, v in times.items()
    }
    result['ratio bf16/fp32'] = result['bf16']['median_ms'] / result['fp32']['median_ms']
    print(f'training step, batch {args.batch_size}, {args.steps} timed steps, threads '
          f'{torch.get_num_threads()}:')
    for key in ('fp32', 'bf16'):
        print(f"  {key}  median {result[key]['median_ms']:9.1f} ms/step  "
              f"loss {result[key]['last_loss']:.4f}")
    print(f"  ratio bf16/fp32 {result['ratio bf16/fp32']:.3f}")
    return result


def main(argv=None):
    args = parse_args(argv)
    if args.threads:
        torch.set_num_threads(args.threads)
    if args.mode == 'amp-step':
        result = amp_step(args)
    else:
        result = agreement_on_videos(args) if args.video else agreement(args)
    save_json(result, args.json)
    return result


if __name__ == '__main__':
    main()
