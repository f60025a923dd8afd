# Copyright (c) SATracker authors. Licensed under the Apache License 2.0.
"""Transforms of the vision-language SOT pipelines (registered in mmtrack's TRANSFORMS)."""
from .augmentation import TemplateGrayAug
from .cropping import SeqCropLikeStarkNp2
from .formatting import PackVLTrackInputs
from .loading import CheckBboxInImage, LoadTrackImageFromFile
from .sampling import VLPairSampling
from .text import ReplaceText, TokenizeText, VLRandomFlip, swap_left_right

__all__ = [
    'TemplateGrayAug', 'SeqCropLikeStarkNp2', 'PackVLTrackInputs', 'CheckBboxInImage',
    'LoadTrackImageFromFile', 'VLPairSampling', 'ReplaceText', 'TokenizeText', 'VLRandomFlip',
    'swap_left_right'
]
