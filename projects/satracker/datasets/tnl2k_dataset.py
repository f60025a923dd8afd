# Copyright (c) SATracker authors. Licensed under the Apache License 2.0.
import json
import os.path as osp
from typing import List, Optional

from mmtrack.datasets import BaseSOTDataset
from mmtrack.registry import DATASETS

from .base_vl_sot_dataset import VLSOTDatasetMixin
from .vl_sot_io import optional_column, read_info_file, read_language


def default_frames_file(ann_file: str) -> str:
    """The frame-list file that goes with an info file.

    ``.../tnl2k_train_infos.txt`` -> ``.../tnl2k_train_frames.json``.

    Args:
        ann_file (str): The info file.

    Returns:
        str: The frame-list file.
    """
    stem = osp.splitext(ann_file)[0]
    if stem.endswith('_infos'):
        stem = stem[:-len('_infos')]
    return stem + '_frames.json'


@DATASETS.register_module()
class TNL2KDataset(VLSOTDatasetMixin, BaseSOTDataset):
    """TNL2K (natural-language tracking, 1300 train / 700 test videos).

    Layout: ``<split>/<video>/imgs/*`` (frame names and extensions vary between
    videos), ``<split>/<video>/groundtruth.txt`` (x,y,w,h), ``<split>/<video>/language.txt``
    (one sentence). ``tools/dataset_converters/tnl2k/gen_tnl2k_infos.py`` writes
    ``tnl2k_<split>_infos.txt`` (MMTracking's ``video_path,ann_path,start,end`` lines plus
    the language file) and ``tnl2k_<split>_frames.json`` (each video's frame files), which
    this class reads. ``start``/``end`` index that frame list. The synthetic VL set of
    ``make_synthetic_vl.py`` has the same layout and is read by this class too.

    All frames are visible (TNL2K has no visibility labels); boxes with w <= 0, h <= 0 or
    NaN are never training targets.

    Args:
        frames_file (str, optional): The frame-list JSON. Relative paths are taken under
            ``data_root``. Defaults to the info file's name with ``_infos.txt`` replaced
            by ``_frames.json``.
        language_file (str, optional): Read each video's sentence from this file in the
            video's folder instead of the info file's language path (the synthetic set's
            ``language_distractor.txt`` holds a look-alike's sentence: the "wrong sentence"
            check). Defaults to None (the info file's, i.e. ``language.txt``).
        *args, **kwargs: Those of MMTracking's ``BaseSOTDataset`` (``ann_file``,
            ``data_root``, ``data_prefix=dict(img_path=...)``, ``pipeline``,
            ``test_mode``, ...).
    """

    def __init__(self,
                 *args,
                 frames_file: Optional[str] = None,
                 language_file: Optional[str] = None,
                 **kwargs):
        self.frames_file = frames_file
        self.language_file = language_file
        super().__init__(*args, **kwargs)

    def _resolve_frames_file(self) -> str:
        if self.frames_file is None:
            return default_frames_file(self.ann_file)
        if not osp.isabs(self.frames_file) and self.data_root:
            return osp.join(self.data_root, self.frames_file)
        return self.frames_file

    def load_data_list(self) -> List[dict]:
        """Read the info file, the frame lists and every video's sentence.

        Returns:
            list[dict]: One dict per video: ``video_path``, ``ann_path``,
            ``start_frame_id``, ``end_frame_id``, ``frame_names``,
            ``framename_template`` (None), ``lang_path``, ``text``.

        Raises:
            FileNotFoundError: When the frame-list file is missing.
            KeyError: When a video of the info file has no frame list.
        """
        frames_file = self._resolve_frames_file()
        if not osp.isfile(frames_file):
            raise FileNotFoundError(
                f'TNL2K frame list not found: {frames_file}. It is written next to the '
                'info file by tools/dataset_converters/tnl2k/gen_tnl2k_infos.py.')
        with open(frames_file, encoding='utf-8') as f:
            frames = json.load(f)
        prefix = self.data_prefix['img_path']
        data_list = []
        for row in read_info_file(self.ann_file):
            video_path, ann_path = row[0], row[1]
            start, end = int(row[2]), int(row[3])
            if video_path not in frames:
                raise KeyError(f'{frames_file} has no frame list for "{video_path}" '
                               f'(listed in {self.ann_file}); re-run the converter.')
            names = frames[video_path]
            if end >= len(names):
                raise ValueError(f'{self.ann_file}: "{video_path}" ends at frame {end} '
                                 f'but {frames_file} lists {len(names)} frames.')
            lang_path = optional_column(row, 4) or osp.join(osp.dirname(video_path), 'language.txt')
            if self.language_file:
                lang_path = osp.join(osp.dirname(video_path), self.language_file)
            data_list.append(
                dict(
                    video_path=video_path,
                    ann_path=ann_path,
                    start_frame_id=0,
                    end_frame_id=end - start,
                    frame_names=names[start:end + 1],
                    framename_template=None,
                    lang_path=lang_path,
                    text=read_language(osp.join(prefix, lang_path))))
        return data_list

    def get_bboxes_from_video(self, video_idx: int):
        """Boxes (x, y, w, h) of a video, fitted to its frames.

        See :meth:`VLSOTDatasetMixin.load_checked_bboxes`.
        """
        return self.load_checked_bboxes(video_idx)
