# Copyright (c) SATracker authors. Licensed under the Apache License 2.0.
import contextlib
import warnings
from typing import Dict, List, Optional, Tuple

import addict
import torch
import torch.nn.functional as F
from mmdet.structures.bbox import bbox_cxcywh_to_xyxy, bbox_xyxy_to_cxcywh
from mmengine.structures import InstanceData
from mmtrack.models.sot.base import BaseSingleObjectTracker
from mmtrack.registry import MODELS
from mmtrack.structures.bbox import quad2bbox_cxcywh
from torch import Tensor

from ...utils.prerequisites import REMOTE_PREFIXES

#: Test-time settings (docs/model.md; STARK's factors and sizes).
DEFAULT_TEST_CFG = dict(
    test_mode='OPE',
    template_factor=2.0,
    template_size=128,
    search_factor=5.0,
    search_size=320,
    bbox_clip_margin=10,
    use_cache=True,
    with_score_map=False,
    precision='fp32')

#: Values of ``test_cfg.precision`` and the compute dtype each selects (docs/speed.md).
PRECISIONS = {'fp32': None, 'bf16': torch.bfloat16}

#: Set once the bf16-to-fp32 fallback has been announced (one warning per process).
_BF16_FALLBACK_WARNED = False


def _cpu_flags() -> Optional[set]:
    """The CPU feature flags of ``/proc/cpuinfo`` (x86 ``flags`` / Arm ``Features``), or None
    where it cannot be read (not Linux)."""
    try:
        with open('/proc/cpuinfo') as f:
            for line in f:
                key, _, value = line.partition(':')
                if key.strip() in ('flags', 'Features'):
                    return set(value.split())
    except OSError:
        pass
    return None


def bf16_supported(device_type: str) -> bool:
    """Whether ``device_type`` has native bfloat16 matmuls (bf16 tracking then pays off).

    On CPU, oneDNN must have bf16 kernels (``torch.ops.mkldnn._is_mkldnn_bf16_supported()``,
    true from AVX512BW/VL/DQ on, where bf16 is partly emulated) and, where ``/proc/cpuinfo``
    lists the CPU flags, the CPU must compute bf16 natively: ``avx512_bf16`` or
    ``amx_bf16`` on x86 (Intel Cooper Lake / Sapphire Rapids and later, AMD Zen 4 and
    later), ``bf16`` on Arm. On CUDA: ``torch.cuda.is_bf16_supported()`` (Ampere and later).

    Args:
        device_type (str): ``'cpu'`` or ``'cuda'`` (other types: False).

    Returns:
        bool: True when the device computes bf16 natively.
    """
    if device_type == 'cpu':
        if not torch.backends.mkldnn.is_available():
            return False
        try:
            if not torch.ops.mkldnn._is_mkldnn_bf16_supported():
                return False
        except (AttributeError, RuntimeError):
            return False
        flags = _cpu_flags()
        return flags is None or bool(flags & {'avx512_bf16', 'amx_bf16', 'bf16'})
    if device_type == 'cuda':
        return bool(torch.cuda.is_available() and torch.cuda.is_bf16_supported())
    return False


def crop_square(img: Tensor,
                bbox_cxcywh: Tensor,
                factor: float,
                out_size: int,
                pad_value: Optional[Tensor] = None) -> Tuple[Tensor, Tensor]:
    """Crop a square of side ``sqrt(w * h) * factor`` around a box, resized, on the device.

    The crop is sampled with ``grid_sample`` (bilinear, ``align_corners=False``):
    output pixel ``u`` samples the image at ``x0 + (u + 0.5) * side / out_size``
    (pixel-edge coordinates), which is what cropping ``[x0, x0 + side)`` and
    resizing it with ``F.interpolate(mode='bilinear')`` does (STARK's
    ``get_cropped_img``), without the integer rounding of the crop window and
    without any host-device synchronisation or shape-dependent Python logic.

    Areas outside the image take ``pad_value``. :class:`SATracker` passes the
    normalised black, ``(0 - mean) / std`` (:meth:`SATracker.crop_pad_value`):
    the training crop (``SeqCropLikeStark``) pads black raw pixels before
    normalisation, and so does the official STARK at test time. Sampling
    ``img - pad_value`` with zero padding and adding ``pad_value`` back is exact
    (the padding is constant per channel and bilinear weights sum to 1).

    Args:
        img (Tensor): (1, C, H, W) normalised image.
        bbox_cxcywh (Tensor): (4,) ``cx, cy, w, h`` in image pixels.
        factor (float): Side of the crop relative to ``sqrt(w * h)``.
        out_size (int): Output side in pixels.
        pad_value (Tensor, optional): (1, C, 1, 1) (or broadcastable) value of
            the pixels outside the image, in the space of ``img``. None pads
            with 0 (MMTracking's ``Stark.get_cropped_img``: the mean colour
            after normalisation). Defaults to None.

    Returns:
        tuple[Tensor, Tensor]: the crop (1, C, out_size, out_size), and the crop
        window (4,) ``x1, y1, x2, y2`` in image pixels (float).
    """
    h, w = img.shape[-2:]
    bbox = bbox_cxcywh.to(torch.float32)
    side = (bbox[2] * bbox[3]).clamp(min=1e-6).sqrt() * factor
    side = side.clamp(min=1.)
    x0 = bbox[0] - 0.5 * side
    y0 = bbox[1] - 0.5 * side
    steps = (torch.arange(out_size, device=img.device, dtype=torch.float32) + 0.5) / out_size
    xs = (x0 + steps * side) * (2. / w) - 1.  # (S,)
    ys = (y0 + steps * side) * (2. / h) - 1.  # (S,)
    grid = torch.stack(
        (xs[None, :].expand(out_size, out_size), ys[:, None].expand(out_size, out_size)),
        dim=-1)[None]
    if pad_value is not None:
        pad_value = pad_value.to(img)
        img = img - pad_value
    crop = F.grid_sample(
        img, grid.to(img.dtype), mode='bilinear', padding_mode='zeros', align_corners=False)
    if pad_value is not None:
        crop = crop + pad_value
    window = torch.stack((x0, y0, x0 + side, y0 + side))
    return crop, window


def clip_box(bbox_xyxy: Tensor, img_h: int, img_w: int, margin: float = 0.) -> Tensor:
    """The official STARK's ``clip_box``: cut a box to the image, keep ``margin`` pixels.

    Each coordinate is clamped on its own, so a box that leaves the image is cut
    at the border (its part inside is kept):
    ``x1' = min(max(0, x1), W - margin)``, ``x2' = min(max(margin, x2), W)``,
    the same for ``y``, then the box is ``x1', y1', x1' + w', y1' + h'`` with
    ``w' = max(margin, x2' - x1')``, ``h' = max(margin, y2' - y1')``: at least
    ``margin`` pixels wide and high. STARK's tracker calls it with margin 10;
    it takes and returns ``x, y, w, h`` lists, this one ``x1, y1, x2, y2``
    tensors, with the same result.

    MMTracking's ``StarkHead._bbox_clip`` differs: it clamps ``x1`` to
    ``[0, W - margin]`` and the *width* to ``[margin, W]`` and rebuilds
    ``x2 = x1 + w``, which shifts a box that leaves the image on the left/top
    into it (``[-20, 30]`` becomes ``[0, 50]``, not ``[0, 30]``) and leaves
    one that leaves on the right/bottom hanging outside.

    Tensor ops only (no host synchronisation, no data-dependent branch).

    Args:
        bbox_xyxy (Tensor): (..., 4) ``x1, y1, x2, y2`` in image pixels.
        img_h (int): Image height.
        img_w (int): Image width.
        margin (float): Minimum kept side and distance of ``x1`` / ``y1`` from
            the right / bottom border. Defaults to 0.

    Returns:
        Tensor: (..., 4) the clipped ``x1, y1, x2, y2``.
    """
    x1, y1, x2, y2 = bbox_xyxy.unbind(-1)
    # torch.clamp(min, max) returns max where min > max, as STARK's min(max(.))
    x1 = x1.clamp(0., img_w - margin)
    y1 = y1.clamp(0., img_h - margin)
    x2 = x2.clamp(margin, float(img_w))
    y2 = y2.clamp(margin, float(img_h))
    w = (x2 - x1).clamp(min=margin)
    h = (y2 - y1).clamp(min=margin)
    return torch.stack((x1, y1, x1 + w, y1 + h), dim=-1)


@MODELS.register_module()
class SATracker(BaseSingleObjectTracker):
    """SATracker: synchronous vision-language tracking (paper section 3).

    The backbone is the Synchronous Learning Backbone (template, search and
    sentence in one network); an optional neck (only Table 4's baseline ①:
    TransT's fusion network) fuses the template and search maps; the head is a
    plain corner head (:class:`SATrackerHead`) with ``2 GIoU + 5 L1 + 1 DM``.

    Testing follows MMTracking's one-pass evaluation: ``init`` at frame 0
    crops the template (area factor ``template_factor``, ``template_size``
    pixels) and, when the backbone supports it, fills the backbone's cache of
    everything that does not depend on the search (template features and
    keys/values, text features, SAM channel selectors); ``track`` crops the
    search region around the last box (``search_factor``, ``search_size``),
    runs only the search stream and the head, maps the box back and clips it to
    the image. No online template update. With ``test_cfg.use_cache=False`` or
    a backbone whose ``supports_cache`` is False (symmetric attention), the
    full forward runs on every frame.

    Test time follows training and the official STARK (which the paper
    follows), not MMTracking's ``Stark``: both crops pad outside the image with
    what the training crop pads with, black raw pixels (``(0 - mean) / std``
    after normalisation; MMTracking pads 0 after normalisation, the mean
    colour), and the box is clipped with STARK's :func:`clip_box` (margin
    ``bbox_clip_margin``, 10: a box leaving the image is cut; MMTracking's
    ``_bbox_clip`` shifts it). See docs/model.md, "Tracking at test time".

    Args:
        backbone (dict): Backbone config (``SynchronousLearningBackbone``).
        head (dict): Head config (``SATrackerHead``).
        neck (dict, optional): Neck config (``TransTFusionNeck``), called as
            ``neck(template_feat, search_feat)``. Defaults to None.
        data_preprocessor (dict, optional): ``VLTrackDataPreprocessor`` config.
        train_cfg (dict, optional): Unused (kept for MMTracking's interface).
        test_cfg (dict, optional): Overrides of :data:`DEFAULT_TEST_CFG`:
            ``template_factor``, ``template_size``, ``search_factor``,
            ``search_size``, ``bbox_clip_margin`` (STARK's 10, see
            :func:`clip_box`), ``use_cache``,
            ``with_score_map`` (attach ``dm_score_map`` (H_up, W_up) and
            ``search_crop_bbox`` (4,) to each tracked frame's data sample),
            ``precision`` (``'fp32'``, or ``'bf16'``: the template/text init and
            each frame's backbone and head run under ``torch.autocast`` in
            bfloat16 on the frame's device; crops and boxes stay fp32. A device
            without native bf16 (:func:`bf16_supported`) warns once and runs in
            fp32. The precision is fixed at ``init`` for the whole video;
            docs/speed.md).
        init_cfg (dict, optional): Initialisation config.
    """

    def __init__(self,
                 backbone: dict,
                 head: dict,
                 neck: Optional[dict] = None,
                 data_preprocessor: Optional[dict] = None,
                 train_cfg: Optional[dict] = None,
                 test_cfg: Optional[dict] = None,
                 init_cfg: Optional[dict] = None):
        super().__init__(data_preprocessor=data_preprocessor, init_cfg=init_cfg)
        self.backbone = MODELS.build(backbone)
        self.neck = MODELS.build(neck) if neck is not None else None
        self.head = MODELS.build(head)
        self.train_cfg = train_cfg if train_cfg is not None else dict()
        cfg = dict(DEFAULT_TEST_CFG)
        cfg.update(test_cfg or dict())
        if cfg['precision'] not in PRECISIONS:
            raise ValueError(
                f'test_cfg.precision="{cfg["precision"]}" is not one of '
                f'{sorted(PRECISIONS)} (fp32, or bf16 on a CPU / GPU that supports it)')
        self.test_cfg = cfg
        self.memo = addict.Dict()
        #: Compute dtype of the video being tracked (None: fp32), set by ``init``.
        self._amp_dtype: Optional[torch.dtype] = None
        self._track_impl = self._track_step

    # ------------------------------------------------------------------ init
    def init_weights(self) -> None:
        """Initialise from the configs' ``init_cfg``; refuses anything remote.

        Pretrained weights come only from local files (CvT: the backbone's
        ``init_cfg``; BERT: the text encoder's local directory).

        Raises:
            RuntimeError: When an ``init_cfg`` checkpoint would be downloaded.
        """
        for name, module in self.named_modules():
            init_cfg = getattr(module, 'init_cfg', None)
            inits = init_cfg if isinstance(init_cfg, (list, tuple)) else [init_cfg]
            for init in inits:
                ckpt = init.get('checkpoint') if isinstance(init, dict) else None
                if isinstance(ckpt, str) and ckpt.startswith(REMOTE_PREFIXES):
                    raise RuntimeError(
                        f'{name or "model"}.init_cfg loads "{ckpt}", which would be '
                        'downloaded; SATracker only loads local files. Point it to a '
                        'local checkpoint or set it to None.')
        super().init_weights()

    # ------------------------------------------------------------ features
    @property
    def use_cache(self) -> bool:
        """bool: Whether ``track`` runs only the search stream on a cache."""
        return bool(self.test_cfg.get('use_cache', True)) and bool(
            getattr(self.backbone, 'supports_cache', False))

    def crop_pad_value(self, img: Tensor) -> Tensor:
        """The value of the test crops outside the image: black, normalised.

        The training crop (``SeqCropLikeStark``) pads with raw 0 (black) before
        the data preprocessor normalises; the test frame arrives normalised, so
        the same black is ``(0 - mean) / std`` per channel (0 when the data
        preprocessor does not normalise).

        Args:
            img (Tensor): (1, C, H, W) the normalised frame (for device, dtype
                and channels).

        Returns:
            Tensor: (1, C, 1, 1) (or (1, 1, 1, 1) without normalisation).
        """
        pre = self.data_preprocessor
        if getattr(pre, '_enable_normalize', False):
            return (-pre.mean / pre.std).to(img)
        return img.new_zeros((1, 1, 1, 1))

    def compute_dtype(self, device_type: str) -> Optional[torch.dtype]:
        """The autocast dtype that ``test_cfg.precision`` gives on ``device_type``.

        ``'bf16'`` on a device without native bfloat16 (:func:`bf16_supported`) falls back
        to fp32 with one warning per process.

        Args:
            device_type (str): The frame's device type (``'cpu'``, ``'cuda'``).

        Returns:
            torch.dtype | None: ``torch.bfloat16``, or None for fp32 (no autocast).
        """
        precision = self.test_cfg.get('precision', 'fp32')
        if precision not in PRECISIONS:
            raise ValueError(f'test_cfg.precision="{precision}" is not one of '
                             f'{sorted(PRECISIONS)}')
        dtype = PRECISIONS[precision]
        if dtype is torch.bfloat16 and not bf16_supported(device_type):
            global _BF16_FALLBACK_WARNED
            if not _BF16_FALLBACK_WARNED:
                _BF16_FALLBACK_WARNED = True
                hint = ('this CPU has no native bf16 (neither AVX512-BF16 nor AMX-BF16)'
                        if device_type == 'cpu' else f'the {device_type} device has no native bf16')
                warnings.warn(
                    f'SATracker: test_cfg.precision="bf16" requested but {hint}: tracking '
                    'runs in fp32 instead.',
                    RuntimeWarning,
                    stacklevel=2)
            return None
        return dtype

    def _autocast(self, device_type: str):
        """``torch.autocast`` in the video's compute dtype (a null context for fp32)."""
        if self._amp_dtype is None:
            return contextlib.nullcontext()
        return torch.autocast(device_type, dtype=self._amp_dtype)

    def _head_input(self, feats: Dict[str, Tensor]) -> Tensor:
        """The corner head's input: the search map, fused by the neck if any."""
        if self.with_neck:
            return self.neck(feats['template_feat'], feats['search_feat'])
        return feats['search_feat']

    def _text_inputs(self, inputs: Dict[str, Tensor]) -> Tuple[Optional[Tensor], Optional[Tensor]]:
        """``text_ids`` and ``text_mask`` (N, L) of the inputs (None, None for a
        vision-only backbone without them)."""
        if 'text_ids' not in inputs or 'text_mask' not in inputs:
            if getattr(self.backbone, 'text_encoder', 0) is None:
                return None, None
            raise KeyError('SATracker needs inputs["text_ids"] and inputs["text_mask"] (N, L): '
                           'tokenise the sentence in the data pipeline (TokenizeText + '
                           'PackVLTrackInputs) and use the VLTrackDataPreprocessor')
        return inputs['text_ids'], inputs['text_mask']

    # -------------------------------------------------------------- train
    def loss(self, inputs: Dict[str, Tensor], data_samples: List, **kwargs) -> dict:
        """Forward of training.

        Args:
            inputs (dict[str, Tensor]): ``img`` (N, 1, 3, Ht, Wt) templates,
                ``search_img`` (N, 1, 3, Hs, Ws), ``text_ids`` and ``text_mask``
                (N, L) long.
            data_samples (list[TrackDataSample]): With
                ``search_gt_instances.bboxes`` (1, 4) ``x1, y1, x2, y2`` in
                search-crop pixels, the metainfo ``search_img_shape`` and
                optionally ``text_valid`` (False for an empty sentence).

        Returns:
            dict[str, Tensor]: ``loss_iou``, ``loss_bbox`` and ``loss_dm``.
        """
        template, search = inputs['img'], inputs['search_img']
        assert template.dim() == 5 and search.dim() == 5, \
            'img and search_img must be (N, T, C, H, W)'
        text_ids, text_mask = self._text_inputs(inputs)
        feats = self.backbone(template[:, 0], search[:, 0], text_ids, text_mask)
        text_valid = None
        if text_mask is not None:
            text_valid = torch.tensor(
                [bool(ds.metainfo.get('text_valid', True)) for ds in data_samples],
                dtype=torch.bool,
                device=text_mask.device)
        return self.head.loss(
            self._head_input(feats),
            data_samples,
            dm_search_feat=feats['search_feat'],
            text_feat=feats.get('text_feat'),
            text_mask=text_mask,
            text_valid=text_valid)

    def _forward(self, inputs: Dict[str, Tensor], data_samples=None, **kwargs):
        """Tensor mode: the boxes (N, 4) in search-crop pixels of a training batch."""
        text_ids, text_mask = self._text_inputs(inputs)
        feats = self.backbone(inputs['img'][:, 0], inputs['search_img'][:, 0], text_ids, text_mask)
        return self.head(self._head_input(feats))

    # --------------------------------------------------------------- test
    def predict(self, inputs: Dict[str, Tensor], data_samples: List, **kwargs) -> List:
        """MMTracking's ``predict`` plus the optional matching-map fields.

        Returns:
            list[TrackDataSample]: With ``pred_track_instances`` (``bboxes`` (1, 4)
            ``x1, y1, x2, y2`` in image pixels, ``scores`` (1,) = -1: no
            score head) and, with ``test_cfg.with_score_map`` on tracked frames,
            the data fields ``dm_score_map`` (H_up, W_up) and
            ``search_crop_bbox`` (4,).
        """
        results = super().predict(inputs, data_samples, **kwargs)
        for sample in results:
            # track() returns the map with its instance; it is a per-frame data field here
            for key in ('dm_score_map', 'search_crop_bbox'):
                if key in sample.pred_track_instances:
                    setattr(sample, key, sample.pred_track_instances.pop(key)[0])
        return results

    def predict_ope(self, inputs: dict, data_samples: List) -> List[InstanceData]:
        """One-pass evaluation (MMTracking's, with the sentence passed to ``init``).

        Args:
            inputs (dict): ``img`` (1, 1, 3, H, W) the normalised frame,
                ``text_ids`` / ``text_mask`` (1, L) (needed at frame 0).
            data_samples (list[TrackDataSample]): One sample with the metainfo
                ``frame_id`` and, at frame 0, ``gt_instances.bboxes`` (1, 4).

        Returns:
            list[InstanceData]: ``bboxes`` (1, 4) xyxy and ``scores`` (1,).
        """
        img = inputs['img']
        assert img.dim() == 5, 'The img must be 5D Tensor (N, T, C, H, W).'
        assert img.size(0) == 1, 'Only support 1 batch size per gpu in test mode'
        img = img[0]
        frame_id = data_samples[0].metainfo.get('frame_id', -1)
        assert frame_id >= 0

        if frame_id == 0:
            self.memo = addict.Dict()
            self.memo.frame_id = frame_id
            gt_bboxes = data_samples[0].gt_instances['bboxes']
            self.memo.bbox = quad2bbox_cxcywh(gt_bboxes).reshape(-1)[:4].float()
            text_ids, text_mask = self._text_inputs(inputs)
            self.init(img, text_ids, text_mask)
            result = InstanceData()
            result.bboxes = bbox_cxcywh_to_xyxy(self.memo.bbox)[None]
            result.scores = gt_bboxes.new_tensor([-1.])
            results = [result]
        else:
            self.memo.frame_id = frame_id
            results = self.track(img, data_samples)
            self.memo.bbox = bbox_xyxy_to_cxcywh(results[0].bboxes.reshape(4))
        return results

    def init(self, img: Tensor, text_ids: Tensor, text_mask: Tensor) -> None:
        """Initialise on the first frame: crop the template, fill the cache.

        Args:
            img (Tensor): (1, 3, H, W) normalised first frame.
            text_ids (Tensor): (1, L) token ids.
            text_mask (Tensor): (1, L), 1 = real token.
        """
        # the crops' outside-image value is the video's: computed once, reused every frame
        self.memo.pad_value = self.crop_pad_value(img)
        template, _ = crop_square(img, self.memo.bbox, self.test_cfg['template_factor'],
                                  int(self.test_cfg['template_size']), self.memo.pad_value)
        self.memo.text_ids = text_ids
        self.memo.text_mask = text_mask
        self._amp_dtype = self.compute_dtype(img.device.type)
        if self.use_cache:
            with self._autocast(img.device.type):
                self.memo.cache = self.backbone.forward_template(template, text_ids, text_mask)
            self.memo.template = None
        else:
            self.memo.cache = None
            self.memo.template = template

    def _track_step(self,
                    img: Tensor,
                    bbox_cxcywh: Tensor,
                    cache,
                    template,
                    text_ids: Tensor,
                    text_mask: Tensor,
                    with_score_map: bool,
                    pad_value: Optional[Tensor] = None) -> Tuple[Tensor, Tensor, Optional[Tensor]]:
        """One tracking step as a pure tensor function (``torch.compile``-able).

        Args:
            img (Tensor): (1, 3, H, W) normalised frame.
            bbox_cxcywh (Tensor): (4,) previous box.
            cache: The backbone's template/text cache, or None (full forward).
            template (Tensor | None): (1, 3, Ht, Wt) template crop when
                ``cache`` is None.
            text_ids (Tensor): (1, L).
            text_mask (Tensor): (1, L).
            with_score_map (bool): Also return the dense matching map.
            pad_value (Tensor, optional): (1, C, 1, 1) the crop's outside-image value,
                :meth:`crop_pad_value` of the video (computed here when not given).

        Returns:
            tuple: the box (4,) ``x1, y1, x2, y2`` clipped to the image
            (:func:`clip_box`, margin ``bbox_clip_margin``), the
            search window (4,) and the matching map (H_up, W_up) or None.
        """
        size = int(self.test_cfg['search_size'])
        if pad_value is None:
            pad_value = self.crop_pad_value(img)
        search, window = crop_square(img, bbox_cxcywh, self.test_cfg['search_factor'], size,
                                     pad_value)
        with self._autocast(img.device.type):
            if cache is not None:
                feats = self.backbone.forward_search(search, cache)
            else:
                feats = self.backbone(template, search, text_ids, text_mask)
            pred = self.head(self._head_input(feats))[0]  # (4,) crop pixels
        pred = pred.float()  # bf16 under test_cfg.precision='bf16'
        scale = (window[2] - window[0]) / size
        box = pred * scale + window[:2].repeat(2)
        box = clip_box(box, img.shape[-2], img.shape[-1],
                       float(self.test_cfg.get('bbox_clip_margin', 10)))
        score_map = None
        if with_score_map:
            with self._autocast(img.device.type):
                score_map = self.head.dm_score_map(feats['search_feat'], feats['text_feat'],
                                                   text_mask)
            score_map = None if score_map is None else score_map[0].float()
        return box, window, score_map

    def track(self, img: Tensor, data_samples: List) -> List[InstanceData]:
        """Track the target into frame ``img`` from the last box.

        Args:
            img (Tensor): (1, 3, H, W) normalised frame.
            data_samples (list[TrackDataSample]): Unused (kept for the interface).

        Returns:
            list[InstanceData]: ``bboxes`` (1, 4) ``x1, y1, x2, y2`` in image
            pixels, ``scores`` (1,) = -1, and with ``test_cfg.with_score_map``
            ``dm_score_map`` (1, H_up, W_up) and ``search_crop_bbox`` (1, 4)
            (:meth:`predict` moves them to the data sample).
        """
        with_map = bool(self.test_cfg.get('with_score_map', False))
        box, window, score_map = self._track_impl(img, self.memo.bbox, self.memo.cache,
                                                  self.memo.template, self.memo.text_ids,
                                                  self.memo.text_mask, with_map,
                                                  self.memo.pad_value)
        result = InstanceData()
        result.bboxes = box[None]
        result.scores = box.new_tensor([-1.])
        if with_map and score_map is not None:
            result.dm_score_map = score_map[None]
            result.search_crop_bbox = window[None]
        return [result]

    def compile_track(self, **compile_kwargs) -> None:
        """Compile the per-frame step with ``torch.compile`` (e.g. ``mode='reduce-overhead'``
        for CUDA graphs on a GPU).

        Args:
            **compile_kwargs: Passed to :func:`torch.compile`.
        """
        self._track_impl = torch.compile(self._track_step, **compile_kwargs)
