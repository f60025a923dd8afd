# Copyright (c) SATracker authors. Licensed under the Apache License 2.0.
"""Save training samples of a config as images: template and search crops with their
boxes, and the sentence drawn below.

Example:
    python tools/analysis_tools/browse_dataset.py configs/_base_/datasets/synthetic_vl.py \
        --output-dir work_dirs/browse --num-samples 8

Each image shows the template crop(s) and the search crop (as the model receives them,
before normalisation) with the ground-truth boxes in green, padding shaded, and the
sentence (after tokenising: the tokens that the text encoder sees, plus the raw
sentence) underneath.
"""
import argparse
import os
import os.path as osp
import random
import textwrap

import cv2
import numpy as np
from mmengine.config import Config, DictAction
from mmengine.registry import init_default_scope

from satracker.utils import resolve_tokenizer_paths


def parse_args(argv=None):
    parser = argparse.ArgumentParser(description='Save training samples with text')
    parser.add_argument('config', help='config with a train_dataloader')
    parser.add_argument(
        '--output-dir', default='work_dirs/browse_dataset', help='folder for the images')
    parser.add_argument('--num-samples', type=int, default=10)
    parser.add_argument('--seed', type=int, default=0)
    parser.add_argument(
        '--cfg-options',
        nargs='+',
        action=DictAction,
        help='override config settings, e.g. train_dataloader.dataset.data_root=...')
    return parser.parse_args(argv)


def _to_bgr(img):
    """(C, H, W) tensor / array of the pipeline -> (H, W, 3) uint8 BGR."""
    arr = img.cpu().numpy() if hasattr(img, 'cpu') else np.asarray(img)
    return np.ascontiguousarray(np.clip(arr.transpose(1, 2, 0), 0, 255).astype(np.uint8))


def _draw_crop(img, bbox, mask=None):
    out = img.copy()
    if mask is not None:
        m = mask.cpu().numpy() if hasattr(mask, 'cpu') else np.asarray(mask)
        out[m.astype(bool)] = (out[m.astype(bool)] * 0.4).astype(np.uint8)
    if bbox is not None:
        x1, y1, x2, y2 = [int(round(float(v))) for v in bbox]
        cv2.rectangle(out, (x1, y1), (x2, y2), (0, 255, 0), 2)
    return out


def _ascii(text):
    """OpenCV's fonts draw ASCII only: other characters become '?'."""
    return ''.join(c if 32 <= ord(c) < 127 else '?' for c in text)


def render_sample(sample, tokenizer=None, width=None):
    """Compose one packed training sample into a BGR image.

    Args:
        sample (dict): ``inputs`` and ``data_samples`` of ``PackVLTrackInputs``.
        tokenizer (optional): A HuggingFace tokenizer to show the tokens.
        width (int, optional): Canvas width (default: the crops side by side).

    Returns:
        np.ndarray: (H, W, 3) uint8 image.
    """
    inputs, ds = sample['inputs'], sample['data_samples']
    templates = [_to_bgr(t) for t in inputs['img']]
    t_boxes = ds.gt_instances.bboxes if 'bboxes' in ds.gt_instances else []
    t_masks = ds.get('padding_mask', None)
    crops = []
    for i, t in enumerate(templates):
        box = t_boxes[i] if i < len(t_boxes) else None
        crops.append(_draw_crop(t, box, t_masks[i] if t_masks is not None else None))
    if 'search_img' in inputs:
        search = _to_bgr(inputs['search_img'][0])
        s_inst = ds.get('search_gt_instances', None)
        s_box = s_inst.bboxes[0] if s_inst is not None and len(s_inst.bboxes) else None
        s_mask = ds.get('search_padding_mask', None)
        crops.append(_draw_crop(search, s_box, s_mask[0] if s_mask is not None else None))
    h = max(c.shape[0] for c in crops)
    row = np.hstack([np.pad(c, ((0, h - c.shape[0]), (0, 4), (0, 0))) for c in crops])
    width = width or row.shape[1]

    meta = ds.metainfo
    text = meta.get('search_text', meta.get('text', ''))
    if isinstance(text, (list, tuple)):
        text = text[0] if text else ''
    note = '' if meta.get('text_valid', True) else '  (empty: DM loss masked)'
    lines = [f'sentence: "{_ascii(text)}"{note}']
    if tokenizer is not None and 'text_ids' in ds:
        n = int(ds.text_mask.sum())
        tokens = tokenizer.convert_ids_to_tokens(ds.text_ids[:n].tolist())
        lines.append('tokens: ' + _ascii(' '.join(tokens)))
    lines.append(f'{_ascii(str(meta.get("img_path", "")))}  flip={meta.get("flip")}')
    wrapped = []
    for line in lines:
        wrapped += textwrap.wrap(line, max(20, width // 8)) or ['']
    panel = np.full((18 * len(wrapped) + 8, width, 3), 255, np.uint8)
    for i, line in enumerate(wrapped):
        cv2.putText(panel, line, (4, 18 * (i + 1)), cv2.FONT_HERSHEY_SIMPLEX, 0.45, (0, 0, 0), 1,
                    cv2.LINE_AA)
    if row.shape[1] < width:
        row = np.pad(row, ((0, 0), (0, width - row.shape[1]), (0, 0)))
    return np.vstack([row, panel])


def main(argv=None):
    args = parse_args(argv)
    from mmtrack.registry import DATASETS
    from mmtrack.utils import register_all_modules

    import satracker  # noqa: F401  (registers the VL datasets and transforms)
    register_all_modules(init_default_scope=False)
    cfg = Config.fromfile(args.config)
    if args.cfg_options:
        cfg.merge_from_dict(args.cfg_options)
    resolve_tokenizer_paths(cfg)
    init_default_scope(cfg.get('default_scope', 'mmtrack') or 'mmtrack')
    random.seed(args.seed)
    np.random.seed(args.seed)
    dataset = DATASETS.build(cfg.train_dataloader.dataset)
    tokenizer = None
    for t in getattr(getattr(dataset, 'datasets', [dataset])[0].pipeline, 'transforms', []):
        if type(t).__name__ == 'TokenizeText':
            tokenizer = t.tokenizer
    os.makedirs(args.output_dir, exist_ok=True)
    for i in range(args.num_samples):
        sample = dataset[i % len(dataset)]
        path = osp.join(args.output_dir, f'sample_{i:04d}.jpg')
        cv2.imwrite(path, render_sample(sample, tokenizer))
        print(path)


if __name__ == '__main__':
    main()
