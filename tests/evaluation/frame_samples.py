# Copyright (c) SATracker authors. Licensed under the Apache License 2.0.
"""TrackDataSamples of test frames, as the test loop hands them to the metrics."""
import numpy as np
import torch
from mmengine.structures import InstanceData
from mmtrack.structures import TrackDataSample


def xyxy(box):
    """(x, y, w, h) -> [x1, y1, x2, y2]."""
    return [box[0], box[1], box[0] + box[2], box[1] + box[3]]


def frame_sample(img_path, video_id, frame_id, video_length, gt, pred, visible=True, **meta):
    """One test frame (320x240) with its ground truth and prediction (boxes x, y, w, h).

    The metainfo holds the frame's path, ids, video length, size and annotated box (``meta``
    adds keys after those); the prediction is ``pred_track_instances`` with score 1.
    """
    sample = TrackDataSample(
        metainfo=dict(
            img_path=img_path,
            frame_id=frame_id,
            video_id=video_id,
            video_length=video_length,
            ori_shape=(240, 320),
            instances=[dict(bbox=np.array(xyxy(gt), np.float32), visible=visible)],
            **meta))
    sample.pred_track_instances = InstanceData(
        bboxes=torch.tensor([xyxy(pred)]), scores=torch.tensor([1.0]))
    return sample
