# Copyright (c) SATracker authors. Licensed under the Apache License 2.0.
import torch
from mmtrack.datasets.transforms import PackTrackInputs
from mmtrack.registry import TRANSFORMS


@TRANSFORMS.register_module()
class PackVLTrackInputs(PackTrackInputs):
    """MMTracking's ``PackTrackInputs`` plus the sentence and its tokens.

    Images, boxes (cast to float32), padding masks and the default meta keys are
    packed by the parent
    (train: ``inputs['img']`` (T, 3, 128, 128) and ``inputs['search_img']``
    (1, 3, 320, 320) with ``ref_prefix='search'``; test: ``inputs['img']``
    (1, 3, H, W) with ``pack_single_img=True``). Then:

    - **data fields** ``text_ids`` and ``text_mask``: ``torch.long`` (L,), 1 = real token
      (moved to the device by ``cast_data``; a data preprocessor stacks them);
    - **metainfo** ``text``: a list with the sentence of each template frame in
      training, a string at test time; ``{ref_prefix}_text``: the search frame's
      sentence; ``text_valid`` (bool): False for an empty sentence; ``video_name``
      (str, test data of the VL datasets): the sequence name, which tells OTB's
      Jogging-1 and Jogging-2 apart although they share a folder.

    Token tensors never go into ``inputs`` (the track data preprocessor would treat
    them as images), and the sentence is never packed through the parent's meta keys
    (a bare string would be sliced into characters).

    Args:
        *args, **kwargs: Those of ``PackTrackInputs`` (``ref_prefix``,
            ``num_template_frames``, ``pack_single_img``, ``meta_keys``, ...).
    """

    text_fields = ('text_ids', 'text_mask')

    def transform(self, results: dict) -> dict:
        """Pack the inputs, the data sample and the text.

        Args:
            results (dict): Pipeline results, with ``text`` and (after
                ``TokenizeText``) ``text_ids``, ``text_mask``, ``text_valid``.

        Returns:
            dict: ``inputs`` and ``data_samples`` (a ``TrackDataSample``).
        """
        text = results.pop('text', None)
        fields = {k: results.pop(k) for k in self.text_fields if k in results}
        text_valid = results.pop('text_valid', None)
        video_name = results.pop('video_name', None)

        packed = super().transform(results)
        data_sample = packed['data_samples']
        # SeqCropLikeStark leaves float64 boxes; the model works in float32.
        for name in ('gt_instances', 'ignored_instances', f'{self.ref_prefix}_gt_instances',
                     f'{self.ref_prefix}_ignored_instances'):
            instances = data_sample.get(name, None)
            if instances is not None and 'bboxes' in instances and \
                    instances.bboxes.is_floating_point():
                instances.bboxes = instances.bboxes.float()

        meta = {}
        if text is not None:
            if self.pack_single_img:
                meta['text'] = text if isinstance(text, str) else text[0]
            else:
                texts = [text] if isinstance(text, str) else list(text)
                meta['text'] = texts[:self.num_key_frames]
                ref = texts[self.num_key_frames:]
                if ref:
                    meta[f'{self.ref_prefix}_text'] = ref[0] if len(ref) == 1 else ref
        if text_valid is not None:
            meta['text_valid'] = bool(text_valid)
        if video_name is not None:
            meta['video_name'] = video_name if isinstance(video_name, str) \
                else video_name[0]
        if meta:
            data_sample.set_metainfo(meta)
        for key, value in fields.items():
            setattr(data_sample, key, torch.as_tensor(value, dtype=torch.long))
        return packed

    def __repr__(self) -> str:
        return (f'{self.__class__.__name__}(ref_prefix={self.ref_prefix}, '
                f'num_key_frames={self.num_key_frames}, '
                f'pack_single_img={self.pack_single_img}, '
                f'meta_keys={self.meta_keys})')
