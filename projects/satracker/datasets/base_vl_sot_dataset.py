# Copyright (c) SATracker authors. Licensed under the Apache License 2.0.
"""Language for MMTracking's SOT datasets.

MMTracking 1.0.0rc1's ``BaseSOTDataset`` builds one info dict per video for training
(``get_img_infos_from_video`` + ``get_ann_infos_from_video``, handed to the sampler) and
one results dict per frame for testing (``prepare_test_data``, which copies a fixed set
of keys). :class:`VLSOTDatasetMixin` adds the video's sentence to both, under the key
``'text'``: the sampler ``VLPairSampling`` copies it once per sampled frame, and the test
results carry it as a string. Mix it in *before* the MMTracking class::

    class LaSOTLangDataset(VLSOTDatasetMixin, LaSOTDataset): ...
"""
import os.path as osp
from typing import Optional

import numpy as np

from satracker_data.vl_sot_io import fit_gt_rows, parse_gt_file, warn_defect
from ..evaluation.result_files import video_name_from_dir


class VLSOTDatasetMixin:
    """Adds a sentence per video and the defect rules to a ``BaseSOTDataset``.

    Subclasses store the sentence as ``'text'`` in each video's data info (read at load
    time) or override :meth:`get_text`.
    """

    def __init__(self, *args, **kwargs):
        # Rules warn once per video and file, not once per sample.
        self._warned = set()
        super().__init__(*args, **kwargs)

    def _warn_once(self, key, message: str) -> None:
        """Warn (a :class:`DatasetDefectWarning`) unless ``key`` already warned.

        Args:
            key (hashable): Identifies the rule and the file.
            message (str): The message, naming the file.
        """
        if key in self._warned:
            return
        self._warned.add(key)
        warn_defect(message)

    def get_text(self, video_idx: int) -> str:
        """The sentence of a video.

        Args:
            video_idx (int): The index of the video.

        Returns:
            str: The sentence ('' when the video has none).
        """
        return self.get_data_info(video_idx).get('text', '') or ''

    def get_video_name(self, video_idx: int) -> str:
        """The name of a video (``Jogging-1`` for OTB's shared folders).

        Args:
            video_idx (int): The index of the video.

        Returns:
            str: ``video_name`` of the data info, else the video folder's name (the
            folder above ``img``/``imgs``).
        """
        info = self.get_data_info(video_idx)
        if info.get('video_name'):
            return info['video_name']
        return video_name_from_dir(info['video_path']) or str(video_idx)

    def get_img_infos_from_video(self, video_idx: int) -> dict:
        """MMTracking's image infos of a video, plus ``'text'`` (str).

        Args:
            video_idx (int): The index of the video.

        When the video's info lists its frame files (``frame_names``, as TNL2K's
        converter stores them), the paths come from that list instead of a name
        template.

        Returns:
            dict: ``video_id``, ``frame_ids``, ``img_paths``, ``video_length``,
            ``text``.
        """
        info = self.get_data_info(video_idx)
        if info.get('frame_names') is not None:
            # The converter stored this video's frame files (names vary per video).
            img_paths = [
                osp.join(self.data_prefix['img_path'], info['video_path'], name)
                for name in info['frame_names']
            ]
            img_infos = dict(
                video_id=video_idx,
                frame_ids=np.arange(len(img_paths)),
                img_paths=img_paths,
                video_length=len(img_paths))
        else:
            img_infos = super().get_img_infos_from_video(video_idx)
        img_infos['text'] = self.get_text(video_idx)
        return img_infos

    def prepare_test_data(self, video_idx: int, frame_idx: int) -> dict:
        """MMTracking's test data of one frame, plus the video's sentence and name.

        The parent's logic is kept as is (it differs between datasets, e.g. GOT-10k
        gives a box only at frame 0); the sentence is added to the results it hands
        to the pipeline. The sentence is read once per video at load time, and the
        pipeline's ``TokenizeText`` caches its tokens, so a video is tokenised once.

        Args:
            video_idx (int): The index of the video.
            frame_idx (int): The index of the frame.

        Returns:
            dict: The pipeline's output (``text`` and ``video_name`` were added to the
            results given to the pipeline).
        """
        text = self.get_text(video_idx)
        video_name = self.get_video_name(video_idx)
        pipeline = self.pipeline

        def pipeline_with_text(results: dict):
            results['text'] = text
            results['video_name'] = video_name
            return pipeline(results)

        self.pipeline = pipeline_with_text
        try:
            return super().prepare_test_data(video_idx, frame_idx)
        finally:
            self.pipeline = pipeline

    # ----------------------------------------------------------------- ground truth
    def _gt_path(self, video_idx: int) -> str:
        return osp.join(self.data_prefix['img_path'], self.get_data_info(video_idx)['ann_path'])

    def load_checked_bboxes(self, video_idx: int) -> np.ndarray:
        """Parse a video's ground truth and fit it to the video's frame range.

        Comma, tab or space separators are accepted; an unparsable line raises an error
        naming the file and line. ``init_skip_num`` rows are skipped first (OTB's
        Tiger1). More rows than frames: the extra rows are dropped (warning); fewer
        rows: the missing ones are NaN (warning), so those frames are never training
        targets and count as invalid ground truth in scoring. The converters already cut
        a video to its annotated frames, so the second case only happens with info files
        written by other tools.

        Args:
            video_idx (int): The index of the video.

        Returns:
            np.ndarray: (len, 4) float boxes in x, y, w, h.
        """
        info = self.get_data_info(video_idx)
        path = self._gt_path(video_idx)
        boxes = parse_gt_file(path)
        skip = info.get('init_skip_num', 0)
        if skip:
            boxes = boxes[skip:]
        return fit_gt_rows(
            boxes,
            self.get_len_per_video(video_idx),
            path,
            pad=True,
            warn=lambda message: self._warn_once(('gt rows', path), message))

    def fit_to_length(self,
                      values: np.ndarray,
                      video_idx: int,
                      fill,
                      path: Optional[str] = None) -> np.ndarray:
        """Cut or pad a per-frame array to the video's length.

        Args:
            values (np.ndarray): (N, ...) per-frame values.
            video_idx (int): The index of the video.
            fill: Value of padded entries.
            path (str, optional): The file the values come from, for the warning.

        Returns:
            np.ndarray: (len, ...) values.
        """
        values = np.asarray(values).reshape(-1)
        length = self.get_len_per_video(video_idx)
        if len(values) != length and path is not None:
            self._warn_once(('length', path),
                            f'{path} has {len(values)} entries for {length} frames; '
                            'cut or padded to the frames.')
        if len(values) >= length:
            return values[:length]
        pad = np.full(length - len(values), fill, dtype=values.dtype)
        return np.concatenate([values, pad])
