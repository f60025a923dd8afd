# Copyright (c) SATracker authors. Licensed under the Apache License 2.0.
import numpy as np
from mmcv.transforms import BaseTransform
from mmcv.transforms.utils import cache_randomness
from mmtrack.registry import TRANSFORMS


@TRANSFORMS.register_module()
class TemplateGrayAug(BaseTransform):
    """Show the template crop(s) of a training pair in grey, with probability ``prob``.

    MMTracking's ``GrayAug`` greys all frames of a sample together; this one greys only the
    template frames (the first ``num_template_frames`` of the sample's frame list), so that
    the template no longer tells the target's colour while the search frame still shows it.
    A vision-language tracker can then take the colour from the sentence; a vision-only
    tracker must do without. The demo uses it on all its trackers (docs/demo.md).
    Put it after the crop (``SeqCropLikeStarkNp2``), where ``img`` is the list of crops.

    Required keys: ``img`` (list of (H, W, 3) BGR images, templates first).
    Modified keys: ``img`` (the templates' channels all become the luma, same dtype).

    Args:
        prob (float): Probability to grey the templates of a sample. In [0, 1].
        num_template_frames (int): How many leading frames are templates. Default 1.
    """

    def __init__(self, prob: float, num_template_frames: int = 1) -> None:
        if not 0 <= prob <= 1:
            raise ValueError(f'TemplateGrayAug: prob must be in [0, 1], got {prob}')
        if num_template_frames < 1:
            raise ValueError('TemplateGrayAug: num_template_frames must be >= 1, got '
                             f'{num_template_frames}')
        self.prob = prob
        self.num_template_frames = num_template_frames

    @cache_randomness
    def _do_gray(self) -> bool:
        return np.random.random() < self.prob

    def transform(self, results: dict) -> dict:
        imgs = results['img']
        if not isinstance(imgs, list) or len(imgs) <= self.num_template_frames:
            raise ValueError('TemplateGrayAug: expects the list of crops of a training pair '
                             f'(more than {self.num_template_frames} frames); put it after '
                             'the crop transform')
        if not self._do_gray():
            return results
        for i in range(self.num_template_frames):
            img = imgs[i]
            luma = img[..., 0] * 0.114 + img[..., 1] * 0.587 + img[..., 2] * 0.299  # BGR
            imgs[i] = np.repeat(luma[..., None], 3, axis=-1).astype(img.dtype)
        return results

    def __repr__(self) -> str:
        return (f'{self.__class__.__name__}(prob={self.prob}, '
                f'num_template_frames={self.num_template_frames})')
