# Copyright (c) SATracker authors. Licensed under the Apache License 2.0.
"""Registered metrics."""
from .vl_sot_metric import (CURVES_NPZ, RESULTS_JSON, VLSOTMetric, unique_video_names,
                            video_name_from_path, write_boxes_txt, xyxy_to_xywh)

__all__ = [
    'VLSOTMetric', 'RESULTS_JSON', 'CURVES_NPZ', 'video_name_from_path', 'unique_video_names',
    'write_boxes_txt', 'xyxy_to_xywh'
]
