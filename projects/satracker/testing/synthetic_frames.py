# Copyright (c) SATracker authors. Licensed under the Apache License 2.0.
"""A synthetic video for the speed and precision checks of the analysis tools."""
from typing import Tuple

import numpy as np
import torch


def synthetic_video(num_frames: int,
                    h: int,
                    w: int,
                    seed: int = 0) -> Tuple[np.ndarray, np.ndarray]:
    """A square moving over a textured background.

    Args:
        num_frames (int): Frames of the video.
        h (int): Frame height.
        w (int): Frame width.
        seed (int): Seed of the background texture.

    Returns:
        tuple[np.ndarray, np.ndarray]: The frames (N, 3, H, W) uint8 (BGR-like) and the box
        of the square in frame 0, (4,) float32 ``x1, y1, x2, y2``.
    """
    rng = np.random.RandomState(seed)
    background = (rng.rand(h, w, 3) * 120).astype(np.uint8)
    side = max(16, min(h, w) // 8)
    frames = []
    for k in range(num_frames):
        img = background.copy()
        x1 = int((w - side) * (0.2 + 0.6 * (k / max(num_frames - 1, 1))))
        y1 = int((h - side) * (0.4 + 0.1 * np.sin(k / 5)))
        img[y1:y1 + side, x1:x1 + side] = (40, 60, 230)
        frames.append(img)
    x1 = int((w - side) * 0.2)
    y1 = int((h - side) * 0.4)
    first = np.array([x1, y1, x1 + side, y1 + side], dtype=np.float32)
    return np.stack(frames).transpose(0, 3, 1, 2), first


def preprocess_frame(model: torch.nn.Module, frame: np.ndarray, device) -> torch.Tensor:
    """One frame as the model's data preprocessor hands it to the tracker.

    Args:
        model (nn.Module): A tracker with a ``data_preprocessor``.
        frame (np.ndarray): (3, H, W) uint8.
        device (str | torch.device): Where the result goes.

    Returns:
        Tensor: (1, 1, 3, H, W) normalised.
    """
    from mmtrack.structures import TrackDataSample
    data = dict(inputs=dict(img=[torch.from_numpy(frame)[None]]), data_samples=[TrackDataSample()])
    with torch.no_grad():
        out = model.data_preprocessor(data, False)
    return out['inputs']['img'].to(device)
