# Copyright (c) SATracker authors. Licensed under the Apache License 2.0.
"""Metric functions (numpy only, no mmtrack needed)."""
from .vl_sot_eval import (NORM_PRECISION_THRESHOLDS, PRECISION_THRESHOLDS, PROTOCOLS,
                          SUCCESS_THRESHOLDS, calc_center_error, calc_iou_xywh, eval_video_curves,
                          eval_video_errors, summarize_curves, video_scores, vl_sot_eval)

__all__ = [
    'vl_sot_eval', 'eval_video_curves', 'eval_video_errors', 'summarize_curves', 'video_scores',
    'calc_iou_xywh', 'calc_center_error', 'PROTOCOLS', 'SUCCESS_THRESHOLDS', 'PRECISION_THRESHOLDS',
    'NORM_PRECISION_THRESHOLDS'
]
