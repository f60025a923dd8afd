# Copyright (c) SATracker authors. Licensed under the Apache License 2.0.
"""Python inference API: build a tracker from a config and track with a sentence."""
import copy
import warnings
from typing import Optional, Sequence, Union

import numpy as np
import torch
from mmengine.config import Config
from mmengine.dataset import Compose, default_collate
from torch import nn

from ..engine.checkpoint import download_checkpoint, is_url, load_state_dict
from ..utils.text_models import resolve_tokenizer_paths

#: Transforms that read from disk; in-memory inference replaces them.
_LOADING_TRANSFORMS = ('LoadImageFromFile', 'LoadTrackImageFromFile', 'LoadTrackAnnotations',
                       'LoadAnnotations', 'mmdet.LoadImageFromFile', 'mmdet.LoadAnnotations',
                       'mmtrack.LoadTrackAnnotations', 'LoadVLTrackAnnotations')


def _init_scope() -> None:
    """Register mmtrack and SATracker modules and make ``mmtrack`` the default scope."""
    from mmengine.registry import DefaultScope
    from mmtrack.utils import register_all_modules

    import satracker  # noqa: F401  (registration)
    register_all_modules(init_default_scope=False)
    current = DefaultScope.get_current_instance()
    if current is None or current.scope_name != 'mmtrack':
        DefaultScope.get_instance(f'satracker-inference-{id(_init_scope)}', scope_name='mmtrack')


def load_weights_only(checkpoint: str) -> dict:
    """Read a checkpoint weights-only and return its state dict.

    An alias of :func:`satracker.engine.checkpoint.load_state_dict`, the project's one
    weights loader (kept for the code that imports it from here).

    Args:
        checkpoint (str): Path of a published checkpoint (``state_dict`` + plain
            meta) or a bare state dict.

    Returns:
        dict[str, Tensor]: The state dict.

    Raises:
        FileNotFoundError: When the file does not exist.
        RuntimeError: When the file is not weights-only (e.g. a training
            checkpoint with optimizer state); the message names the converter.
    """
    return load_state_dict(checkpoint)


def init_model(config: Union[str, Config],
               checkpoint: Optional[str] = None,
               device: str = 'cpu',
               cfg_options: Optional[dict] = None) -> nn.Module:
    """Build a tracker from a config, load its weights and put it in eval mode.

    Works without CUDA (``device='cpu'`` is the default). Without a checkpoint
    the model is initialised by ``init_weights()`` (local pretrained files
    only; nothing is downloaded). With a checkpoint, ``init_weights()`` is
    skipped (every weight comes from the checkpoint, so the pretrained CvT file
    need not exist) and the checkpoint is read with
    ``torch.load(weights_only=True)``; missing and unexpected keys are reported
    as a warning.

    Args:
        config (str | Config): Config file path or object.
        checkpoint (str, optional): Weights-only checkpoint path, or an ``http(s)://`` URL
            (downloaded once into ``$TORCH_HOME/hub/checkpoints``).
        device (str): Device. Defaults to ``'cpu'``.
        cfg_options (dict, optional): Overrides merged into the config.

    Returns:
        nn.Module: The model, with ``model.cfg`` set.
    """
    if isinstance(config, str):
        config = Config.fromfile(config)
    elif not isinstance(config, Config):
        raise TypeError(f'config must be a filename or Config object, got {type(config)}')
    else:
        config = copy.deepcopy(config)
    if cfg_options is not None:
        config.merge_from_dict(cfg_options)
    resolve_tokenizer_paths(config)
    _init_scope()
    from mmtrack.registry import MODELS
    model = MODELS.build(config.model)
    if checkpoint is None:
        model.init_weights()
    else:
        # a URL is downloaded once into torch hub's cache ($TORCH_HOME/hub/checkpoints)
        state_dict = load_weights_only(
            download_checkpoint(checkpoint) if is_url(checkpoint) else checkpoint)
        missing, unexpected = model.load_state_dict(state_dict, strict=False)
        if missing or unexpected:
            warnings.warn(f'loading "{checkpoint}": missing keys {list(missing)}; '
                          f'unexpected keys {list(unexpected)}')
    if not hasattr(model, 'dataset_meta'):
        model.dataset_meta = {'CLASSES': None}
    model.cfg = config
    model.to(device)
    model.eval()
    return model


def build_inference_pipeline(cfg: Config) -> Compose:
    """The config's test pipeline without its loading transforms.

    Uses ``cfg.test_dataloader.dataset.pipeline`` (or ``cfg.test_pipeline``)
    minus the transforms that read files; without either, tokenises with the
    text encoder's tokenizer (``TokenizeText``, 30 tokens) and packs with
    ``PackVLTrackInputs(pack_single_img=True)``.

    Args:
        cfg (Config): The model's config.

    Returns:
        Compose: The in-memory pipeline.
    """
    pipeline = None
    if cfg.get('test_dataloader', None) is not None:
        pipeline = cfg.test_dataloader.dataset.get('pipeline', None)
    if pipeline is None:
        pipeline = cfg.get('test_pipeline', None)
    if pipeline is None:
        pipeline = [
            dict(type='TokenizeText', tokenizer_path=None, max_length=30),
            dict(type='PackVLTrackInputs', pack_single_img=True)
        ]
    pipeline = [copy.deepcopy(t) for t in pipeline if t.get('type') not in _LOADING_TRANSFORMS]
    resolve_tokenizer_paths(dict(model=cfg.get('model', None), pipeline=pipeline))
    if not any(t.get('type') == 'TokenizeText' for t in pipeline):
        raise ValueError('the test pipeline has no TokenizeText transform: a VL tracker '
                         'needs the sentence tokenised')
    return Compose(pipeline)


def inference_vlsot(model: nn.Module, image: np.ndarray,
                    init_bbox: Union[Sequence[float], np.ndarray], language: str, frame_id: int):
    """Track one frame with a vision-language single-object tracker.

    Mirrors MMTracking's ``inference_sot``: call it on the frames of one video
    in order, ``frame_id`` starting at 0 (where ``init_bbox`` initialises the
    tracker); the sentence is tokenised through the config's test pipeline
    (``TokenizeText``), which is built once and kept on the model.

    Args:
        model (nn.Module): A tracker from :func:`init_model`.
        image (np.ndarray): (H, W, 3) BGR image, as ``mmcv.imread`` gives.
        init_bbox (Sequence[float] | np.ndarray): (4,) ``x1, y1, x2, y2`` of the
            target in the first frame (pass it on every frame, as
            ``inference_sot`` does; only frame 0 uses it).
        language (str): The sentence describing the target ('' for none).
        frame_id (int): Index of the frame in the video.

    Returns:
        TrackDataSample: With ``pred_track_instances.bboxes`` (1, 4) xyxy.
    """
    cfg = model.cfg
    pipeline = getattr(model, '_vl_inference_pipeline', None)
    if pipeline is None:
        pipeline = build_inference_pipeline(cfg)
        model._vl_inference_pipeline = pipeline
    bbox = np.asarray(init_bbox, dtype=np.float32).reshape(-1, 4)
    data = dict(
        img=image.astype(np.float32),
        gt_bboxes=bbox,
        gt_bboxes_labels=np.zeros(len(bbox), dtype=np.int64),
        frame_id=frame_id,
        ori_shape=image.shape[:2],
        img_shape=image.shape[:2],
        text=language or '')
    data = pipeline(data)
    with torch.no_grad():
        data = default_collate([data])
        result = model.test_step(data)[0]
    return result
