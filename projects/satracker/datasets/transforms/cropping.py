# Copyright (c) SATracker authors. Licensed under the Apache License 2.0.
import math
from typing import Tuple

import cv2
import numpy as np
from mmtrack.datasets.transforms import SeqCropLikeStark
from mmtrack.registry import TRANSFORMS


# Registered under MMTracking's own name as well, replacing its class (force=True), so that
# MMTracking's unchanged STARK configs (``type='SeqCropLikeStark'``) train under NumPy >= 2.3
# once ``satracker`` is imported (our tools import it; other entry points get it from
# ``custom_imports=dict(imports=['satracker'])``). mmtrack's module is imported above, before
# this registration, so its own decorator can never run later and undo the replacement.
@TRANSFORMS.register_module(name=['SeqCropLikeStark', 'SeqCropLikeStarkNp2'], force=True)
class SeqCropLikeStarkNp2(SeqCropLikeStark):
    """MMTracking's ``SeqCropLikeStark``, working with NumPy >= 2.3.

    MMTracking 1.0.0rc1 splits the (4,) box into (1,) arrays and passes them to
    ``math.sqrt`` / ``int``, which NumPy 2.3+ refuses ("only 0-dimensional arrays can
    be converted to Python scalars"). This subclass converts the coordinates to Python
    floats first; the crop is otherwise the same, quirks included (the crop of side
    ``ceil(sqrt(w * h) * factor)`` around the box centre, zero padding in raw pixel
    space, a padding mask resized bilinearly then cast to bool, the one-pixel
    right/bottom padding of MMTracking's ``x2_pad = x2 - img_w + 1``).

    Registered in mmtrack's ``TRANSFORMS`` under two names: ``'SeqCropLikeStark'``
    (MMTracking's, replacing its class, so its configs work unchanged) and
    ``'SeqCropLikeStarkNp2'`` (kept as an equivalent alias for configs that name it).

    Args:
        crop_size_factor (list[float]): Crop side / sqrt(box area), per frame
            (``[2, 5]`` for template and search).
        output_size (list[int]): Output side per frame (``[128, 320]``).
    """

    def crop_like_stark(self, img: np.ndarray, bbox: np.ndarray, crop_size_factor: float,
                        output_size: int) -> Tuple[np.ndarray, float, np.ndarray]:
        """Crop a square around the box, pad with zeros and resize.

        Args:
            img (np.ndarray): (H, W, 3) image.
            bbox (np.ndarray): (4,) x1, y1, x2, y2 of the (jittered) box.
            crop_size_factor (float): Crop side / sqrt(box area).
            output_size (int): Output side.

        Returns:
            tuple: The (S, S, 3) crop, the resize factor S / crop side and the (S, S)
            bool padding mask (True = padding).
        """
        bx1, by1, bx2, by2 = (float(v) for v in np.asarray(bbox, np.float64).reshape(-1)[:4])
        bbox_w, bbox_h = bx2 - bx1, by2 - by1
        cx, cy = bx1 + bbox_w / 2., by1 + bbox_h / 2.
        img_h, img_w = img.shape[:2]
        crop_size = max(math.ceil(math.sqrt(bbox_w * bbox_h) * crop_size_factor), 1)

        x1 = int(np.round(cx - crop_size * 0.5))
        x2 = x1 + crop_size
        y1 = int(np.round(cy - crop_size * 0.5))
        y2 = y1 + crop_size
        x1_pad = max(0, -x1)
        x2_pad = max(x2 - img_w + 1, 0)
        y1_pad = max(0, -y1)
        y2_pad = max(y2 - img_h + 1, 0)

        img_crop = img[y1 + y1_pad:y2 - y2_pad, x1 + x1_pad:x2 - x2_pad, :]
        img_crop_padded = cv2.copyMakeBorder(img_crop, y1_pad, y2_pad, x1_pad, x2_pad,
                                             cv2.BORDER_CONSTANT)
        pad_h, pad_w = img_crop_padded.shape[:2]
        padding_mask = np.ones((pad_h, pad_w))
        end_x = -x2_pad if x2_pad else None
        end_y = -y2_pad if y2_pad else None
        padding_mask[y1_pad:end_y, x1_pad:end_x] = 0

        resize_factor = output_size / crop_size
        img_crop_padded = cv2.resize(img_crop_padded, (output_size, output_size))
        padding_mask = cv2.resize(padding_mask, (output_size, output_size)).astype(np.bool_)
        return img_crop_padded, resize_factor, padding_mask
