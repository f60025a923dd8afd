# Copyright (c) SATracker authors. Licensed under the Apache License 2.0.
from typing import Optional

import numpy as np
from mmcv.transforms import BaseTransform, LoadImageFromFile
from mmtrack.registry import TRANSFORMS


@TRANSFORMS.register_module()
class LoadTrackImageFromFile(LoadImageFromFile):
    """MMCV's ``LoadImageFromFile`` with a clear error for an unreadable image.

    MMCV raises an unrelated ``AttributeError`` when OpenCV cannot decode a file; this
    raises ``OSError`` naming the path and pointing to the converters'
    ``--check-images`` option, which lists every unreadable image of a release.

    Args:
        **kwargs: Those of mmcv's ``LoadImageFromFile``.
    """

    def transform(self, results: dict) -> Optional[dict]:
        """Load ``results['img_path']``.

        Args:
            results (dict): With ``img_path``.

        Returns:
            dict: With ``img``, ``img_shape``, ``ori_shape``.

        Raises:
            OSError: Naming the path when the image cannot be read.
        """
        path = results['img_path']
        try:
            out = super().transform(results)
        except Exception as e:  # noqa: B902  (any backend error means unreadable)
            raise OSError(f'Cannot read image "{path}" ({type(e).__name__}: {e}). Run the '
                          'dataset converter with --check-images to list every unreadable '
                          'image, then replace or remove them.') from e
        if out is not None and out.get('img') is None:
            raise OSError(f'Cannot read image "{path}".')
        return out


@TRANSFORMS.register_module()
class CheckBboxInImage(BaseTransform):
    """Reject a training sample whose target box is invalid or mostly outside the image.

    Applied after the images are loaded (the image size is needed): when any sampled
    frame's box has w <= 0, h <= 0, a NaN, or less than ``min_inside_ratio`` of its
    area inside the image, the transform returns None and MMEngine's dataset draws
    another sample. Such boxes are therefore never training targets; scoring still uses
    the raw ground truth.

    Required keys: ``gt_bboxes`` (list of (1, 4) xyxy arrays, or one array) and
    ``img_shape`` (list of shapes, or one shape).

    Args:
        min_inside_ratio (float): Smallest fraction of the box area inside the image.
            Defaults to 0.5.
    """

    def __init__(self, min_inside_ratio: float = 0.5):
        assert 0.0 <= min_inside_ratio <= 1.0
        self.min_inside_ratio = min_inside_ratio

    def is_valid(self, bbox: np.ndarray, img_shape) -> bool:
        """Whether one xyxy box is a usable target in an image of ``img_shape``.

        Args:
            bbox (np.ndarray): (4,) or (1, 4) x1, y1, x2, y2.
            img_shape (tuple): (H, W, ...).

        Returns:
            bool: True when usable.
        """
        x1, y1, x2, y2 = np.asarray(bbox, dtype=np.float64).reshape(-1)[:4]
        if not np.all(np.isfinite([x1, y1, x2, y2])):
            return False
        w, h = x2 - x1, y2 - y1
        if w <= 0 or h <= 0:
            return False
        img_h, img_w = img_shape[:2]
        iw = max(0.0, min(x2, img_w) - max(x1, 0.0))
        ih = max(0.0, min(y2, img_h) - max(y1, 0.0))
        return iw * ih >= self.min_inside_ratio * w * h

    def transform(self, results: dict) -> Optional[dict]:
        """Return the results, or None when a sampled box is not a usable target.

        Args:
            results (dict): With ``gt_bboxes`` and ``img_shape``.

        Returns:
            dict | None: The results or None.
        """
        bboxes, shapes = results['gt_bboxes'], results['img_shape']
        if isinstance(bboxes, np.ndarray):
            bboxes, shapes = [bboxes], [shapes]
        for bbox, shape in zip(bboxes, shapes):
            bbox = np.asarray(bbox).reshape(-1, 4)
            if len(bbox) == 0 or not all(self.is_valid(b, shape) for b in bbox):
                return None
        return results

    def __repr__(self) -> str:
        return f'{self.__class__.__name__}(min_inside_ratio={self.min_inside_ratio})'
