# Copyright (c) SATracker authors. Licensed under the Apache License 2.0.
from .vl_data_preprocessor import VLTrackDataPreprocessor

__all__ = ['VLTrackDataPreprocessor']
