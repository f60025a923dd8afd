# Copyright (c) SATracker authors. Licensed under the Apache License 2.0.
from typing import Dict

import torch
from mmtrack.models.data_preprocessors import TrackDataPreprocessor
from mmtrack.registry import MODELS


@MODELS.register_module()
class VLTrackDataPreprocessor(TrackDataPreprocessor):
    """MMTracking's ``TrackDataPreprocessor`` plus the sentence tokens.

    The parent moves the batch to the device and normalises, pads and stacks
    every key of ``inputs`` as images ((N, T, C, H, W)). Then the per-sample
    data fields ``text_ids`` and ``text_mask`` (LongTensor (L,), written by the
    data pipeline's ``TokenizeText`` + ``PackVLTrackInputs``; already on the
    device after the parent's ``cast_data``) are stacked into
    ``inputs['text_ids']`` and ``inputs['text_mask']`` (N, L). They are added
    only after the parent has run, because the parent treats every key of
    ``inputs`` as an image. Samples without text fields leave ``inputs``
    unchanged (a vision-only pipeline); a batch that mixes both is an error.

    Args:
        *args, **kwargs: Those of ``TrackDataPreprocessor`` (``mean``, ``std``,
            ``bgr_to_rgb``, ...).
    """

    text_keys = ('text_ids', 'text_mask')

    def forward(self, data: dict, training: bool = False) -> Dict:
        """Preprocess images as the parent does, then stack the text tokens.

        Args:
            data (dict): ``inputs`` (dict of lists of (T, C, H, W) uint8 images)
                and ``data_samples`` (list of ``TrackDataSample``).
            training (bool): Whether training-time augmentation is enabled.

        Returns:
            dict: ``inputs`` with the image keys (N, T, C, H, W) and, when the
            samples carry tokens, ``text_ids`` / ``text_mask`` (N, L) long; and
            ``data_samples``.
        """
        out = super().forward(data, training)
        data_samples = out['data_samples']
        if not data_samples:
            return out
        for key in self.text_keys:
            have = [key in ds for ds in data_samples]
            if not any(have):
                continue
            if not all(have):
                raise ValueError(f'some data samples of the batch carry "{key}" and some do not; '
                                 'tokenise every sample (TokenizeText) or none')
            values = [ds.get(key) for ds in data_samples]
            lengths = {int(v.shape[-1]) for v in values}
            if len(lengths) != 1:
                raise ValueError(f'"{key}" lengths differ within the batch: {sorted(lengths)}; '
                                 'TokenizeText pads every sentence to max_length')
            out['inputs'][key] = torch.stack([v.reshape(-1) for v in values]).to(
                device=self.device, dtype=torch.long)
        if ('text_ids' in out['inputs']) != ('text_mask' in out['inputs']):
            raise ValueError('the data samples carry only one of text_ids / text_mask')
        return out
