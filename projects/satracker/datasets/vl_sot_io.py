# Copyright (c) SATracker authors. Licensed under the Apache License 2.0.
"""Kept for compatibility: the file I/O and defect rules live in
:mod:`satracker_data.vl_sot_io` (torch-free), whose names this module re-exports."""
from typing import Tuple

import numpy as np

from satracker_data.vl_sot_io import *  # noqa: F401,F403
from satracker_data.vl_sot_io import __all__ as _all
from satracker_data.vl_sot_io import fit_gt_rows

__all__ = list(_all) + ['reconcile_num_rows']


def reconcile_num_rows(boxes: np.ndarray, num_frames: int, ann_path: str) -> Tuple[np.ndarray, int]:
    """Deprecated: ``fit_gt_rows(boxes, num_frames, ann_path)`` and its length.

    Args:
        boxes (np.ndarray): (N, 4) parsed boxes.
        num_frames (int): The number of frames of the video.
        ann_path (str): The ground-truth file, for the warning.

    Returns:
        tuple[np.ndarray, int]: The boxes cut to ``min(N, num_frames)`` rows and that
        number.
    """
    import warnings
    warnings.warn('reconcile_num_rows is deprecated: use satracker_data.vl_sot_io.'
                  'fit_gt_rows',
                  DeprecationWarning,
                  stacklevel=2)
    boxes = fit_gt_rows(boxes, num_frames, ann_path)
    return boxes, len(boxes)
