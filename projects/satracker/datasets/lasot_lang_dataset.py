# Copyright (c) SATracker authors. Licensed under the Apache License 2.0.
import os.path as osp
from typing import List

import numpy as np
from mmtrack.datasets import LaSOTDataset
from mmtrack.registry import DATASETS

from satracker_data.vl_sot_io import add_sentences
from .base_vl_sot_dataset import VLSOTDatasetMixin


@DATASETS.register_module()
class LaSOTLangDataset(VLSOTDatasetMixin, LaSOTDataset):
    """LaSOT with its language descriptions (1120 train / 280 test videos).

    Layout: ``<class>/<class>-<n>/img/%08d.jpg``, ``groundtruth.txt``,
    ``full_occlusion.txt``, ``out_of_view.txt`` and ``nlp.txt`` in each video folder.
    Reads MMTracking's LaSOT info files (``gen_lasot_infos.py``) as well as those of
    ``tools/dataset_converters/lasot/gen_lasot_lang_infos.py``, which add the language
    file as a fifth column; without it the sentence comes from ``nlp.txt`` next to
    ``img/``. Visibility is MMTracking's: not fully occluded and not out of view.

    Args:
        *args, **kwargs: Those of MMTracking's ``BaseSOTDataset``.
    """

    def load_data_list(self) -> List[dict]:
        """MMTracking's LaSOT video list plus each video's sentence.

        Returns:
            list[dict]: One dict per video, with ``text`` and ``lang_path`` added.
        """
        data_list = super().load_data_list()
        add_sentences(data_list, self.ann_file, self.data_prefix['img_path'], 'nlp.txt')
        return data_list

    def get_bboxes_from_video(self, video_idx: int) -> np.ndarray:
        """Boxes (x, y, w, h) of a video, fitted to its frame range.

        See :meth:`VLSOTDatasetMixin.load_checked_bboxes`.
        """
        return self.load_checked_bboxes(video_idx)

    def get_visibility_from_video(self, video_idx: int) -> dict:
        """MMTracking's LaSOT visibility, cut or padded (not visible) to the frames.

        Args:
            video_idx (int): The index of the video.

        Returns:
            dict: ``visible`` (len,) bool.
        """
        visible = super().get_visibility_from_video(video_idx)['visible']
        video_dir = osp.dirname(self.get_data_info(video_idx)['video_path'])
        path = osp.join(self.data_prefix['img_path'], video_dir, 'full_occlusion.txt')
        return dict(
            visible=self.fit_to_length(np.asarray(visible, dtype=bool), video_idx, False, path))
