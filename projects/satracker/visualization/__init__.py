# Copyright (c) SATracker authors. Licensed under the Apache License 2.0.
"""Drawing and clips: what a newcomer looks at to see the tracker work.

- ``vl_local_visualizer.py``: ``VLTrackLocalVisualizer`` (registered in mmtrack's
  ``VISUALIZERS``) draws the GT box, the prediction, the sentence (on a band added to the
  frame, never over it) and SATracker's dense-matching map; ``draw_vl_frame`` is the same
  drawing on a BGR array. ``VLTrackVisualizationHook`` (``engine/hooks``) and
  ``tools/demo.py`` both use it.
- ``video_io.py``: ``FrameReader`` (a video file or a folder of frames) and ``write_clip``
  (GIF or MP4 by extension).
"""
from .video_io import CLIP_EXTENSIONS, FrameReader, FrameReadError, write_clip
from .vl_local_visualizer import (VLTrackLocalVisualizer, caption_band, draw_vl_frame,
                                  overlay_heatmap, to_numpy, vl_sample_fields, wrap_text)

__all__ = [
    'VLTrackLocalVisualizer', 'draw_vl_frame', 'overlay_heatmap', 'caption_band', 'wrap_text',
    'vl_sample_fields', 'to_numpy', 'FrameReader', 'FrameReadError', 'write_clip', 'CLIP_EXTENSIONS'
]
