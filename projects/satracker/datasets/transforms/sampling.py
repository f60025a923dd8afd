# Copyright (c) SATracker authors. Licensed under the Apache License 2.0.
import random
from typing import Dict, List, Optional

import numpy as np
from mmtrack.datasets.transforms import PairSampling
from mmtrack.registry import TRANSFORMS


@TRANSFORMS.register_module()
class VLPairSampling(PairSampling):
    """STARK-style sampling of one template and one search frame, with the sentence.

    MMTracking's ``TridentSampling`` (STARK) asserts two templates and its
    ``PairSampling`` (SiamRPN++) samples negatives and ignores visibility, so this
    subclass of ``PairSampling`` samples the way docs/training.md says: a template frame among
    the valid frames of the first video (visible, with a box of positive size that is
    not NaN), then a search frame among the valid frames at most ``max_frame_range``
    frames from it (another frame than the template when there is one). An image
    dataset (one frame per "video", e.g. COCO) gives the same frame twice. Only
    positive pairs are drawn (the tracker has no classification head).

    The video's sentence (``video_info['text']``, '' when absent) is appended **once
    per sampled frame** to ``results['text']``, so that ``TransformBroadcaster`` sees a
    list as long as the other per-frame lists (a bare string would be a sequence of
    characters).

    Args:
        max_frame_range (int): Largest distance between the template and the search
            frame. Defaults to 200.
        min_valid_frames (int): Videos with fewer valid frames are not sampled (the
            pipeline returns None and the dataset draws another sample). Defaults to
            5, like STARK's "more than twice the number of sampled frames".
    """

    def __init__(self, max_frame_range: int = 200, min_valid_frames: int = 5):
        assert max_frame_range >= 0 and min_valid_frames >= 1
        super().__init__(frame_range=max_frame_range, pos_prob=1.0)
        self.max_frame_range = max_frame_range
        self.min_valid_frames = min_valid_frames

    def prepare_data(self,
                     video_info: dict,
                     sampled_inds: List[int],
                     is_positive_pairs: bool = True,
                     results: Optional[dict] = None) -> Dict[str, List]:
        """MMTracking's per-frame lists, plus ``text`` once per sampled frame.

        Args:
            video_info (dict): The video's infos (``img_paths``, ``frame_ids``,
                ``bboxes``, ``text``, ...).
            sampled_inds (list[int]): Sampled frame indexes.
            is_positive_pairs (bool): Label of the pair. Defaults to True.
            results (dict, optional): Lists to extend.

        Returns:
            dict[str, list]: ``img_path``, ``frame_id``, ``video_id``,
            ``video_length``, ``instances``, ``text``.
        """
        results = super().prepare_data(video_info, sampled_inds, is_positive_pairs, results=results)
        text = video_info.get('text', '') or ''
        for _ in sampled_inds:
            results['text'].append(text)
        return results

    def sample_indices(self, video_info: dict) -> Optional[List[int]]:
        """Draw the template and search frame indexes of a video.

        Args:
            video_info (dict): ``visible`` and ``bboxes_isvalid`` (N,) arrays.

        Returns:
            list[int] | None: ``[template, search]``, or None when the video has
            too few valid frames.
        """
        valid = np.asarray(
            video_info['visible'], dtype=bool) & np.asarray(
                video_info['bboxes_isvalid'], dtype=bool)
        if len(valid) == 1:
            return [0, 0] if valid[0] else None
        valid_inds = np.flatnonzero(valid)
        if len(valid_inds) < self.min_valid_frames:
            return None
        template = int(random.choice(valid_inds))
        near = valid_inds[np.abs(valid_inds - template) <= self.max_frame_range]
        others = near[near != template]
        search = int(random.choice(others)) if len(others) else template
        return [template, search]

    def transform(self, pair_video_infos: List[dict]) -> Optional[dict]:
        """Sample a (template, search) pair from the first video.

        Args:
            pair_video_infos (list[dict]): Two video infos (the dataset draws two;
                only the first is used).

        Returns:
            dict | None: Per-frame lists of length 2, or None to make the dataset draw
            another sample.
        """
        video_info = pair_video_infos[0]
        inds = self.sample_indices(video_info)
        if inds is None:
            return None
        return self.prepare_data(video_info, inds, is_positive_pairs=True)

    def __repr__(self) -> str:
        return (f'{self.__class__.__name__}(max_frame_range={self.max_frame_range}, '
                f'min_valid_frames={self.min_valid_frames})')
