# Copyright (c) SATracker authors. Licensed under the Apache License 2.0.
import os.path as osp
from typing import List

from mmtrack.datasets import OTB100Dataset
from mmtrack.registry import DATASETS

from satracker_data.vl_sot_io import add_sentences, optional_column
from .base_vl_sot_dataset import VLSOTDatasetMixin


@DATASETS.register_module()
class OTB99LangDataset(VLSOTDatasetMixin, OTB100Dataset):
    """OTB99-Lang: OTB100's videos with one sentence each (51 train / 48 test).

    Layout: ``OTB_videos/<Seq>/img/%04d.jpg`` (``%05d`` for Board),
    ``OTB_videos/<Seq>/groundtruth_rect*.txt`` (comma, tab or space separated),
    ``OTB_query_train/<Seq>.txt`` and ``OTB_query_test/<Seq>.txt``. Jogging-1/2 and
    Skating2-1/2 share the folders ``Jogging``/``Skating2`` with ``groundtruth_rect.1.txt``
    and ``.2.txt`` (when the release has separate ``Jogging-1`` folders, those are used).

    ``tools/dataset_converters/otb99_lang/gen_otb99_lang_infos.py`` writes
    ``otb99_lang_{train,test}_infos.txt`` with MMTracking's OTB100 per-sequence frame
    ranges (BlurCar1 from 247, BlurCar3 from 3, BlurCar4 from 18, David 300-770, Tiger1
    from 6, ...) plus the query file and the frame-name template. MMTracking's
    ``OTB100Dataset`` logic is reused: Board's 5-digit names and Tiger1's 5 skipped
    annotation rows. All frames are visible.

    Args:
        *args, **kwargs: Those of MMTracking's ``BaseSOTDataset``.
    """

    def load_data_list(self) -> List[dict]:
        """MMTracking's OTB100 video list plus each video's sentence.

        Columns after MMTracking's four: the query file (relative to
        ``data_prefix.img_path``) and, optionally, the frame-name template.

        Returns:
            list[dict]: One dict per video, with ``text`` and ``lang_path`` added.
        """
        data_list = super().load_data_list()
        rows = add_sentences(data_list, self.ann_file, self.data_prefix['img_path'])
        for info, row in zip(data_list, rows):
            template = optional_column(row, 5)
            if template:
                info['framename_template'] = template
            if info['lang_path'] is not None:
                # The query file is named after the sequence (Jogging-1 shares Jogging/).
                info['video_name'] = osp.splitext(osp.basename(info['lang_path']))[0]
        return data_list

    def get_bboxes_from_video(self, video_idx: int):
        """Boxes (x, y, w, h) of a video, fitted to its frame range.

        See :meth:`VLSOTDatasetMixin.load_checked_bboxes` (``init_skip_num`` of Tiger1
        applied first, as MMTracking does).
        """
        return self.load_checked_bboxes(video_idx)
