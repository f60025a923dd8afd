# Copyright (c) SATracker authors. Licensed under the Apache License 2.0.
"""MMTracking's phase-1 (STARK) training sets with the sentence rules of docs/training.md.

- GOT-10k: ``"a {object_class}"`` from each video's ``meta_info.ini``;
- COCO: ``"a {category}"``;
- TrackingNet: the empty sentence (no language; the dense matching loss is masked);
- LaSOT: ``nlp.txt`` (:class:`LaSOTLangDataset`).
"""
import os.path as osp
from typing import Optional

from mmtrack.datasets import GOT10kDataset, SOTCocoDataset, TrackingNetDataset
from mmtrack.registry import DATASETS

from .base_vl_sot_dataset import VLSOTDatasetMixin
from .vl_sot_io import class_phrase, decode_text


def _phrase(name: str, text_template: Optional[str]) -> str:
    if not name:
        return ''
    if text_template is None:
        return class_phrase(name)
    return text_template.format(name.replace('_', ' '))


@DATASETS.register_module()
class GOT10kLangDataset(VLSOTDatasetMixin, GOT10kDataset):
    """MMTracking's GOT-10k with the class name as the sentence.

    The sentence is ``"a {object_class}"`` (``"an"`` before a vowel) from the video's
    ``meta_info.ini`` (read once per video and cached); a video without it gets the
    empty sentence and a warning naming the file.

    Args:
        text_template (str, optional): Format string applied to the class name instead
            of the article rule, e.g. ``'the {}'``.
        *args, **kwargs: Those of MMTracking's ``GOT10kDataset``.
    """

    def __init__(self, *args, text_template: Optional[str] = None, **kwargs):
        self.text_template = text_template
        self._texts = {}
        super().__init__(*args, **kwargs)

    def get_text(self, video_idx: int) -> str:
        """``"a {object_class}"`` from the video's ``meta_info.ini``."""
        if video_idx in self._texts:
            return self._texts[video_idx]
        video_path = self.get_data_info(video_idx)['video_path']
        meta_file = osp.join(self.data_prefix['img_path'], video_path, 'meta_info.ini')
        name = ''
        if osp.isfile(meta_file):
            with open(meta_file, 'rb') as f:
                for line in decode_text(f.read(), meta_file).splitlines():
                    key, _, value = line.partition(':')
                    if key.strip() == 'object_class':
                        name = value.strip()
                        break
        if not name:
            self._warn_once(('meta', meta_file),
                            f'No object_class in {meta_file}; using an empty sentence.')
        text = _phrase(name, self.text_template)
        self._texts[video_idx] = text
        return text


@DATASETS.register_module()
class SOTCocoLangDataset(VLSOTDatasetMixin, SOTCocoDataset):
    """MMTracking's COCO-as-SOT (one "video" per object) with ``"a {category}"``.

    Args:
        text_template (str, optional): Format string applied to the category name
            instead of the article rule.
        *args, **kwargs: Those of MMTracking's ``SOTCocoDataset``.
    """

    def __init__(self, *args, text_template: Optional[str] = None, **kwargs):
        self.text_template = text_template
        super().__init__(*args, **kwargs)

    def get_text(self, video_idx: int) -> str:
        """``"a {category}"`` of the object's annotation."""
        ann = self.coco.anns[self.get_data_info(video_idx)['ann_id']]
        name = self.coco.cats.get(ann['category_id'], {}).get('name', '')
        return _phrase(name, self.text_template)


@DATASETS.register_module()
class TrackingNetLangDataset(VLSOTDatasetMixin, TrackingNetDataset):
    """MMTracking's TrackingNet with the empty sentence (it has no language).

    Args:
        *args, **kwargs: Those of MMTracking's ``TrackingNetDataset``.
    """

    def get_text(self, video_idx: int) -> str:
        """The empty sentence."""
        return ''
