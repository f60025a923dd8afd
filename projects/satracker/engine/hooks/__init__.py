# Copyright (c) SATracker authors. Licensed under the Apache License 2.0.
"""Registered hooks."""
from .vl_visualization_hook import VLTrackVisualizationHook, draw_vl_frame, overlay_heatmap

__all__ = ['VLTrackVisualizationHook', 'draw_vl_frame', 'overlay_heatmap']
