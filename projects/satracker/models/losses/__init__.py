# Copyright (c) SATracker authors. Licensed under the Apache License 2.0.
from .dense_matching import (DenseMatchingLoss, in_box_label_map, sentence_vector,
                             valid_sentence_mask)

__all__ = ['DenseMatchingLoss', 'in_box_label_map', 'sentence_vector', 'valid_sentence_mask']
