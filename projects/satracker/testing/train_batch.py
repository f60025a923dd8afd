# Copyright (c) SATracker authors. Licensed under the Apache License 2.0.
"""A random training batch at a model's own crop sizes, for tests and tool runs."""
from typing import List, Sequence, Tuple

import torch
from mmengine.structures import InstanceData


def random_train_batch(model,
                       batch_size: int = 2,
                       text_len: int = 8,
                       box: Sequence[float] = (0.3, 0.3, 0.6, 0.7),
                       seed: int = 0) -> Tuple[dict, List]:
    """Random template/search crops and token ids with one target box per pair.

    Args:
        model (SATracker): Gives ``test_cfg['template_size']`` and ``['search_size']``.
        batch_size (int): Pairs N.
        text_len (int): Tokens L (all real: the mask is ones).
        box (Sequence[float]): The target's ``x1, y1, x2, y2`` as fractions of the search
            crop's side.
        seed (int): Seed of the random crops and ids.

    Returns:
        tuple[dict, list[TrackDataSample]]: ``inputs`` with ``img`` (N, 1, 3, Z, Z),
        ``search_img`` (N, 1, 3, X, X), ``text_ids`` / ``text_mask`` (N, L), and one data
        sample per pair with ``search_gt_instances`` (the box, in crop pixels) and the
        metainfo ``search_img_shape`` and ``text_valid=True``, as ``model.loss`` takes them.
    """
    from mmtrack.structures import TrackDataSample
    z = int(model.test_cfg['template_size'])
    x = int(model.test_cfg['search_size'])
    g = torch.Generator().manual_seed(seed)
    inputs = dict(
        img=torch.randn(batch_size, 1, 3, z, z, generator=g),
        search_img=torch.randn(batch_size, 1, 3, x, x, generator=g),
        text_ids=torch.randint(1000, 2000, (batch_size, text_len), generator=g),
        text_mask=torch.ones(batch_size, text_len, dtype=torch.long))
    samples = []
    for _ in range(batch_size):
        ds = TrackDataSample()
        ds.search_gt_instances = InstanceData(
            bboxes=torch.tensor([box], dtype=torch.float32) * x,
            labels=torch.ones(1, dtype=torch.long))
        ds.set_metainfo(dict(search_img_shape=(x, x, 3), text_valid=True))
        samples.append(ds)
    return inputs, samples
