# Copyright (c) SATracker authors. Licensed under the Apache License 2.0.
"""Synchronous Learning Backbone (SLB) of SATracker (paper Sec. 3.1, Tab. 1)."""
import inspect
import warnings
from dataclasses import dataclass
from typing import Dict, List, Optional, Sequence, Tuple, Union

import torch
import torch.nn as nn
from mmengine.logging import MMLogger
from mmengine.model import BaseModule, ModuleList
from mmtrack.registry import MODELS
from torch import Tensor

from ..layers import ConvTokenEmbedding, TargetEnhanceModule

#: Old string spellings of ``fusion`` (deprecated) and the registered types they stand for.
LEGACY_FUSIONS = dict(sam='SemanticAwareModule', modamixer='ModaMixer')
SAM_ORDERS = ('tem_first', 'sam_first')


def fusion_config(fusion: Union[str, dict], text_update: Optional[bool] = None) -> dict:
    """Normalise the backbone's ``fusion`` argument to a registry config.

    Args:
        fusion (str | dict): ``dict(type=..., **kwargs)`` of a registered fusion block, or
            a deprecated string ``'sam'`` / ``'modamixer'``.
        text_update (bool, optional): Deprecated backbone-level switch; when given it is
            written into the fusion config if the fusion takes it (the SAM does).

    Returns:
        dict: A config for ``MODELS.build`` (without the per-stage sizes).

    Raises:
        ValueError: For an unknown string or a dict without ``type``.
    """
    if isinstance(fusion, str):
        if fusion not in LEGACY_FUSIONS:
            raise ValueError(
                f'fusion must be a config dict(type=...) of a registered fusion block '
                f'(e.g. dict(type="SemanticAwareModule")); the string {fusion!r} is not one '
                f'of the old spellings {tuple(LEGACY_FUSIONS)}')
        warnings.warn(
            f'fusion={fusion!r} is deprecated: write '
            f'fusion=dict(type={LEGACY_FUSIONS[fusion]!r})', FutureWarning)
        fusion = dict(type=LEGACY_FUSIONS[fusion])
    if not isinstance(fusion, dict) or 'type' not in fusion:
        raise ValueError(f'fusion must be a config dict with a "type" key, got {fusion!r}')
    fusion = dict(fusion)
    if text_update is not None:
        # Written into fusions that take it (the SAM); the others (ModaMixer) have no textual
        # stream and ignored the switch, as before.
        cls = MODELS.get(fusion['type'])
        takes_it = cls is not None and 'text_update' in inspect.signature(cls).parameters
        warnings.warn(
            'the backbone argument text_update is deprecated: write '
            'fusion=dict(type=..., text_update=...)' +
            ('' if takes_it else f' (ignored: {fusion["type"]} takes no text_update)'),
            FutureWarning)
        if takes_it:
            fusion['text_update'] = text_update
    for key in ('embed_dims', 'text_dims', 'num_heads'):
        if key in fusion:
            raise ValueError(f'fusion={fusion!r} sets {key!r}: the backbone sets it per stage')
    return fusion


def _tokens(x: Tensor) -> Tensor:
    """(B, C, H, W) -> (B, H*W, C)."""
    return x.flatten(2).transpose(1, 2)


def _map(x: Tensor, hw: Tuple[int, int]) -> Tensor:
    """(B, H*W, C) -> (B, C, H, W)."""
    B, N, C = x.shape
    return x.transpose(1, 2).reshape(B, C, hw[0], hw[1])


@dataclass
class SLBCache:
    """What :meth:`SynchronousLearningBackbone.forward_template` computes once per video.

    Attributes:
        template_kv (list[list[tuple[Tensor, Tensor]]]): Per stage, per TEM block, the
            template keys and values, each (B, heads_i, Nt_i', C_i / heads_i).
        fusion_states (list): Per stage, the fusion block's state for ``forward_search``
            (SAM: the text-derived channel selector (B, C_i)); None where the stage has none.
        template_feats (list[Tensor]): Per stage, the template map after the stage
            (B, C_i, Ht_i, Wt_i).
        text_feats (list[Tensor | None]): Per stage, the text after the stage (B, L, D).
        template_feat (Tensor): (B, C3, Ht/16, Wt/16), the final template map.
        text_feat (Tensor | None): (B, L, D), the final text.
        text_mask (Tensor): (B, L), 1 = real token, 0 = padding.

    ``cache['text_feat']`` reads like ``cache.text_feat`` (the cache used to be a dict).
    """
    template_kv: List[List[Tuple[Tensor, Tensor]]]
    fusion_states: List[Optional[object]]
    template_feats: List[Tensor]
    text_feats: List[Optional[Tensor]]
    template_feat: Tensor
    text_feat: Optional[Tensor]
    text_mask: Tensor

    def __getitem__(self, key: str):
        return getattr(self, key)


class SLBStage(BaseModule):
    """One SLB stage: CTE -> TEM blocks -> fusion (paper Fig. 2, Tab. 1).

    A ``BaseModule``, so that the backbone's ``init_weights`` reaches the fusion block and
    applies its ``init_cfg`` (with a plain ``nn.Module`` here MMEngine would stop at the stage
    and a fusion's ``init_cfg`` would be silently ignored).

    With ``sam_order='sam_first'`` ("reversed") the fusion comes right after the CTE. The CTE
    embeds the template and the search with the same weights. Parameter names are the ones of
    the official CvT checkpoint's stages (``cte.*``, ``blocks.{j}.*``) plus ``fusion.*``.

    Args:
        cte (ConvTokenEmbedding): The stage's token embedding.
        blocks (list[TargetEnhanceModule]): The stage's TEM blocks.
        fusion (nn.Module, optional): The fusion block (SAM, ModaMixer, ...), or None.
        sam_order (str): ``'tem_first'`` (paper) or ``'sam_first'``.
    """

    def __init__(self, cte: nn.Module, blocks: Sequence[nn.Module], fusion: Optional[nn.Module],
                 sam_order: str) -> None:
        super().__init__()
        self.cte = cte
        self.blocks = nn.ModuleList(blocks)
        self.fusion = fusion
        self.fusion_first = fusion is not None and sam_order == 'sam_first'
        self.fusion_last = fusion is not None and sam_order == 'tem_first'

    def forward(self, t: Tensor, s: Tensor, text: Optional[Tensor],
                text_mask: Tensor) -> Tuple[Tensor, Tensor, Optional[Tensor]]:
        """(B, C_in, Ht, Wt) template, (B, C_in, Hs, Ws) search, (B, L, D) text -> the
        stage's template (B, C, Ht', Wt'), search (B, C, Hs', Ws') and text (B, L, D)."""
        t, s = self.cte(t), self.cte(s)
        if self.fusion_first:
            t, s, text = self.fusion(t, s, text, text_mask)
        t_hw, s_hw = (t.shape[2], t.shape[3]), (s.shape[2], s.shape[3])
        tt, st = _tokens(t), _tokens(s)
        for blk in self.blocks:
            tt, st = blk(tt, st, t_hw, s_hw)
        t, s = _map(tt, t_hw), _map(st, s_hw)
        if self.fusion_last:
            t, s, text = self.fusion(t, s, text, text_mask)
        return t, s, text

    def forward_template(self, t: Tensor, text: Optional[Tensor], text_mask: Tensor):
        """The template/text part alone: template (B, C, Ht', Wt'), text (B, L, D), the TEM
        blocks' template keys/values (list of (k, v)) and the fusion state (or None)."""
        t, state = self.cte(t), None
        if self.fusion_first:
            t, text, state = self.fusion.forward_template(t, text, text_mask)
        t_hw, tt, kvs = (t.shape[2], t.shape[3]), _tokens(t), []
        for blk in self.blocks:
            tt, kv = blk.forward_template(tt, t_hw)
            kvs.append(kv)
        t = _map(tt, t_hw)
        if self.fusion_last:
            t, text, state = self.fusion.forward_template(t, text, text_mask)
        return t, text, kvs, state

    def forward_search(self, s: Tensor, kvs: List[Tuple[Tensor, Tensor]],
                       state: Optional[object]) -> Tensor:
        """The search stream alone, on the template keys/values and fusion state of
        :meth:`forward_template`: (B, C_in, Hs, Ws) -> (B, C, Hs', Ws')."""
        s = self.cte(s)
        if self.fusion_first:
            s = self.fusion.forward_search(s, state)
        s_hw, st = (s.shape[2], s.shape[3]), _tokens(s)
        for blk, kv in zip(self.blocks, kvs):
            st = blk.forward_search(st, s_hw, kv)
        s = _map(st, s_hw)
        if self.fusion_last:
            s = self.fusion.forward_search(s, state)
        return s


@MODELS.register_module()
class SynchronousLearningBackbone(BaseModule):
    """Synchronous Learning Backbone: CvT-style stages of CTE -> TEM x depth -> SAM, with a
    staged BERT interleaved (paper Sec. 3.1, Tab. 1; docs/model.md).

    Stage ``i``: the template and the search are embedded by the stage's
    :class:`ConvTokenEmbedding` (shared weights); with ``mode='sync'`` the text runs through
    the stage's BERT layers; ``depths[i]`` :class:`TargetEnhanceModule` blocks process both
    streams; if ``i in sam_stages`` a fusion block built from the registry by ``fusion``
    (:class:`SemanticAwareModule` in the paper, :class:`ModaMixer` for Table 5, or your own)
    mixes text into the search map and (SAM's ``text_update``) the template into the text,
    which goes on to the next stage's BERT layers. ``sam_order='sam_first'`` ("reversed")
    places the fusion before the TEM blocks.
    With the text encoder's ``mode='async'`` the whole BERT runs once on the sentence and
    the fusions start from its output (their text updates still chain from stage to stage).

    ``sam_stages=()`` gives a vision-only backbone. The text encoder is still built and run
    by default because the dense matching loss uses the final text (then the plain BERT
    output); pass ``text_encoder=None`` (only allowed with ``sam_stages=()``) for a purely
    visual backbone, whose ``text_feat`` is then ``None``.

    Caching (``supports_cache``, True unless ``attn_mode='symmetric'``): nothing on the
    template or text stream depends on the search, so :meth:`forward_template` computes
    it once and :meth:`forward_search` runs only the search stream; the result equals
    :meth:`forward`. The search stream has no data-dependent Python control flow and no
    host-device synchronisation (``torch.compile``-friendly).

    Parameter names: ``stages.{i}.cte.*``, ``stages.{i}.blocks.{j}.*`` (the CvT part, names
    as the official CvT checkpoint's ``patch_embed`` / ``blocks``), ``stages.{i}.fusion.*``
    (SAM or ModaMixer) and ``text_encoder.bert.*`` (BERT); :meth:`param_part` maps a name to
    its part.

    Args:
        embed_dims (Sequence[int]): Channels per stage. Default (64, 192, 384).
        depths (Sequence[int]): TEM blocks per stage. Default (1, 4, 16) (CvT-21).
        num_heads (Sequence[int]): Heads per stage (TEM and SAM). Default (1, 3, 6).
        patch_sizes (Sequence[int]): CTE kernels. Default (7, 3, 3).
        patch_strides (Sequence[int]): CTE strides. Default (4, 2, 2).
        patch_paddings (Sequence[int]): CTE paddings. Default (2, 1, 1).
        mlp_ratio (float): TEM MLP ratio. Default 4.
        kv_stride (int): Stride of the key/value conv projections. Default 2.
        drop_path_rate (float | Sequence[float]): Stochastic depth. A sequence gives each
            stage's maximum rate, increasing linearly over the stage's blocks as CvT does
            (default (0, 0, 0.1), CvT-21's); a float increases linearly over all blocks.
        act_cfg (dict): TEM MLP activation. ``QuickGELU`` (the official CvT checkpoint's);
            ``dict(type='GELU')`` for parity with HF's ``CvtModel``.
        attn_mode (str): TEM attention: ``'asymmetric'`` (paper), ``'symmetric'`` or
            ``'self'`` (plain CvT).
        sam_stages (Sequence[int]): 0-based stages that end with a fusion block.
        sam_order (str): ``'tem_first'`` (paper) or ``'sam_first'`` ("reversed").
        fusion (dict): Config of the fusion block, built once per stage in ``sam_stages``
            from the ``MODELS`` registry with ``embed_dims=C_i``, ``text_dims=D`` and
            ``num_heads=heads_i`` added: ``dict(type='SemanticAwareModule')`` (paper),
            ``dict(type='SemanticAwareModule', text_update=False)`` (Table 5 "w/o update"),
            ``dict(type='ModaMixer')`` (Table 5) or any registered module with the same
            interface (``forward``, ``forward_template``, ``forward_search``; see
            docs/model.md). The old strings ``'sam'`` / ``'modamixer'`` still work with a
            ``FutureWarning``.
        text_update (bool, optional): Deprecated (``FutureWarning``): written into the
            fusion config when given.
        text_encoder (dict | None): Config of a :class:`StagedBertEncoder` whose
            ``layer_split`` has one entry per stage.
        init_cfg (dict | list[dict], optional): ``dict(type='Pretrained',
            checkpoint=PATH)`` loads CvT weights (official, HuggingFace or already
            converted; see :meth:`init_weights`) into the CvT part.
    """

    def __init__(self,
                 embed_dims: Sequence[int] = (64, 192, 384),
                 depths: Sequence[int] = (1, 4, 16),
                 num_heads: Sequence[int] = (1, 3, 6),
                 patch_sizes: Sequence[int] = (7, 3, 3),
                 patch_strides: Sequence[int] = (4, 2, 2),
                 patch_paddings: Sequence[int] = (2, 1, 1),
                 mlp_ratio: float = 4.,
                 kv_stride: int = 2,
                 drop_path_rate: Union[float, Sequence[float]] = (0., 0., 0.1),
                 act_cfg: dict = dict(type='QuickGELU'),
                 attn_mode: str = 'asymmetric',
                 sam_stages: Sequence[int] = (0, 1, 2),
                 sam_order: str = 'tem_first',
                 fusion: Union[dict, str] = dict(type='SemanticAwareModule'),
                 text_update: Optional[bool] = None,
                 text_encoder: Optional[dict] = dict(type='StagedBertEncoder'),
                 init_cfg: Optional[Union[dict, list]] = None) -> None:
        super().__init__(init_cfg=init_cfg)
        num_stages = len(embed_dims)
        for name, value in (
            ('depths', depths),
            ('num_heads', num_heads),
            ('patch_sizes', patch_sizes),
            ('patch_strides', patch_strides),
            ('patch_paddings', patch_paddings),
        ):
            if len(value) != num_stages:
                raise ValueError(f'{name} has {len(value)} entries, embed_dims has '
                                 f'{num_stages}')
        if sam_order not in SAM_ORDERS:
            raise ValueError(f'sam_order must be one of {SAM_ORDERS}, got {sam_order!r}')
        fusion = fusion_config(fusion, text_update)
        sam_stages = tuple(sorted(int(i) for i in sam_stages))
        if any(i < 0 or i >= num_stages for i in sam_stages):
            raise ValueError(f'sam_stages {sam_stages} must lie in 0..{num_stages - 1}')
        self.embed_dims = tuple(embed_dims)
        self.num_stages = num_stages
        self.attn_mode = attn_mode
        self.sam_stages = sam_stages
        self.sam_order = sam_order
        self.fusion_cfg = fusion

        if text_encoder is None:
            if sam_stages:
                raise ValueError('sam_stages needs a text encoder; text_encoder=None is only '
                                 'allowed for a vision-only backbone (sam_stages=())')
            self.text_encoder = None
            text_dims = None
        else:
            self.text_encoder = MODELS.build(text_encoder)
            if self.text_encoder.num_stages != num_stages:
                raise ValueError(f'the text encoder has {self.text_encoder.num_stages} stages '
                                 f'(layer_split {self.text_encoder.layer_split}), the backbone '
                                 f'{num_stages}')
            text_dims = self.text_encoder.hidden_size

        if isinstance(drop_path_rate, (int, float)):
            total = sum(depths)
            flat = torch.linspace(0, float(drop_path_rate), total).tolist() if total else []
            dprs, start = [], 0
            for d in depths:
                dprs.append(flat[start:start + d])
                start += d
        else:
            if len(drop_path_rate) != num_stages:
                raise ValueError(f'drop_path_rate has {len(drop_path_rate)} entries, '
                                 f'embed_dims has {num_stages}')
            dprs = [torch.linspace(0, float(r), d).tolist() for r, d in zip(drop_path_rate, depths)]

        self.stages = ModuleList()  # MMEngine's: init_weights reaches the stages
        in_channels = 3
        for i in range(num_stages):
            blocks = [
                TargetEnhanceModule(
                    embed_dims[i],
                    num_heads[i],
                    mlp_ratio=mlp_ratio,
                    kv_stride=kv_stride,
                    drop_path_rate=dprs[i][j],
                    act_cfg=act_cfg,
                    attn_mode=attn_mode) for j in range(depths[i])
            ]
            fusion_block = MODELS.build(
                dict(fusion, embed_dims=embed_dims[i], text_dims=text_dims,
                     num_heads=num_heads[i])) if i in sam_stages else None
            self.stages.append(
                SLBStage(
                    ConvTokenEmbedding(in_channels, embed_dims[i], patch_sizes[i], patch_strides[i],
                                       patch_paddings[i]), blocks, fusion_block, sam_order))
            in_channels = embed_dims[i]

    # ------------------------------------------------------------------ helpers
    @property
    def supports_cache(self) -> bool:
        """bool: False with ``attn_mode='symmetric'`` (the template sees the search)."""
        return self.attn_mode != 'symmetric'

    @property
    def text_dims(self) -> Optional[int]:
        """int | None: Width D of ``text_feat`` (None without a text encoder)."""
        return None if self.text_encoder is None else self.text_encoder.hidden_size

    @staticmethod
    def param_part(name: str) -> str:
        """Which part of the backbone a parameter name belongs to.

        Args:
            name (str): A name relative to the backbone (``stages.0.cte.proj.weight``).

        Returns:
            str: ``'cvt'`` (CTE + TEM), ``'fusion'`` (SAM / ModaMixer) or ``'text'``
            (BERT).
        """
        if name.startswith('text_encoder.'):
            return 'text'
        if '.fusion.' in name:
            return 'fusion'
        return 'cvt'

    def _text_start(self, text_ids: Tensor, text_mask: Tensor) -> Optional[Tensor]:
        """Text before stage 0: embeddings (sync) or the whole BERT's output (async)."""
        if self.text_encoder is None:
            return None
        if self.text_encoder.mode == 'async':
            return self.text_encoder(text_ids, text_mask)
        return self.text_encoder.embed(text_ids, text_mask)

    def _text_stage(self, i: int, text: Optional[Tensor], text_mask: Tensor) -> Optional[Tensor]:
        """The BERT layers of stage ``i`` (sync mode only)."""
        if text is None or self.text_encoder.mode != 'sync':
            return text
        return self.text_encoder.forward_stage(i, text, text_mask)

    # ------------------------------------------------------------------ forward
    def forward(self, template: Tensor, search: Tensor, text_ids: Tensor,
                text_mask: Tensor) -> Dict[str, Tensor]:
        """Joint forward of template, search and text (training; any ``attn_mode``).

        Args:
            template (Tensor): (B, 3, Ht, Wt) normalised template crop.
            search (Tensor): (B, 3, Hs, Ws) normalised search crop.
            text_ids (Tensor): (B, L) token ids.
            text_mask (Tensor): (B, L), 1 = real token, 0 = padding.

        Returns:
            dict[str, Tensor]: ``search_feat`` (B, C3, Hs/16, Ws/16), ``template_feat``
            (B, C3, Ht/16, Wt/16) and ``text_feat`` (B, L, D) (the final text, after the last
            fusion; None without a text encoder).
        """
        text = self._text_start(text_ids, text_mask)
        t, s = template, search
        for i, stage in enumerate(self.stages):
            text = self._text_stage(i, text, text_mask)
            t, s, text = stage(t, s, text, text_mask)
        return dict(search_feat=s, template_feat=t, text_feat=text)

    def forward_template(self, template: Tensor, text_ids: Tensor, text_mask: Tensor) -> SLBCache:
        """Compute everything that does not depend on the search, once per sequence.

        Args:
            template (Tensor): (B, 3, Ht, Wt) normalised template crop.
            text_ids (Tensor): (B, L) token ids.
            text_mask (Tensor): (B, L), 1 = real token, 0 = padding.

        Returns:
            SLBCache: the cache for :meth:`forward_search`.

        Raises:
            RuntimeError: With ``attn_mode='symmetric'`` (``supports_cache`` is False).
        """
        if not self.supports_cache:
            raise RuntimeError(
                'SynchronousLearningBackbone(attn_mode="symmetric") cannot cache the '
                'template: its template tokens attend to the search, so every frame needs '
                'the full forward(template, search, text_ids, text_mask) '
                '(supports_cache is False).')
        text = self._text_start(text_ids, text_mask)
        t = template
        cache = SLBCache([], [], [], [], template, text, text_mask)
        for i, stage in enumerate(self.stages):
            text = self._text_stage(i, text, text_mask)
            t, text, kvs, state = stage.forward_template(t, text, text_mask)
            cache.template_kv.append(kvs)
            cache.fusion_states.append(state)
            cache.template_feats.append(t)
            cache.text_feats.append(text)
        cache.template_feat, cache.text_feat = t, text
        return cache

    def forward_search(self, search: Tensor, cache: SLBCache) -> Dict[str, Tensor]:
        """Run only the search stream on a cache from :meth:`forward_template`.

        Args:
            search (Tensor): (B, 3, Hs, Ws) normalised search crop, with the cache's B.
            cache (SLBCache): From :meth:`forward_template`.

        Returns:
            dict[str, Tensor]: as :meth:`forward`: ``search_feat`` (B, C3, Hs/16, Ws/16),
            ``template_feat`` and ``text_feat`` taken from the cache.
        """
        s = search
        for stage, kvs, state in zip(self.stages, cache.template_kv, cache.fusion_states):
            s = stage.forward_search(s, kvs, state)
        return dict(search_feat=s, template_feat=cache.template_feat, text_feat=cache.text_feat)

    # ------------------------------------------------------------------ weights
    def init_weights(self) -> None:
        """Initialise; with ``init_cfg=dict(type='Pretrained', checkpoint=PATH)`` load CvT
        weights into the CvT part (CTE + TEM).

        The file is read with ``torch.load(weights_only=True)``; a ``state_dict`` /
        ``model`` entry is unwrapped; official CvT names (``stage0.patch_embed...``),
        HuggingFace ``CvtModel`` / ``CvtForImageClassification`` names and already converted
        SLB names (``stages.0.cte...``, e.g. written by ``tools/model_converters/cvt2slb.py``)
        are recognised. Missing and unexpected keys of the CvT part are logged as warnings;
        BERT and the fusion blocks are not expected in the file. Nothing is downloaded.
        """
        cfg = self.init_cfg
        if isinstance(cfg, dict) and cfg.get('type') == 'Pretrained':
            # children first (BERT stays as built), then the checkpoint
            init_cfg, self.init_cfg = self.init_cfg, None
            super().init_weights()
            self.init_cfg = init_cfg
            self.load_cvt_weights(cfg['checkpoint'])
        else:
            super().init_weights()

    def load_cvt_weights(self,
                         checkpoint: Union[str, dict],
                         source: str = 'auto') -> Tuple[List[str], List[str]]:
        """Load CvT weights into the CvT part.

        Args:
            checkpoint (str | dict): A file path or a state dict.
            source (str): ``'official'``, ``'hf'``, ``'slb'`` or ``'auto'`` (detected).

        Returns:
            tuple[list[str], list[str]]: missing (CvT-part parameters of this backbone not in
            the checkpoint) and unexpected (converted keys this backbone has no place for).
        """
        from ...utils.cvt_converter import (convert_cvt_state_dict, detect_cvt_source,
                                            load_state_dict_file)
        logger = MMLogger.get_current_instance()
        state = load_state_dict_file(checkpoint) if isinstance(checkpoint, str) else checkpoint
        if source == 'auto':
            source = detect_cvt_source(state)
        if source != 'slb':
            state = convert_cvt_state_dict(state, source=source)
        own = {k for k in self.state_dict() if self.param_part(k) == 'cvt'}
        missing = sorted(own - set(state))
        unexpected = sorted(set(state) - own)
        self.load_state_dict({k: v for k, v in state.items() if k in own}, strict=False)
        if missing:
            logger.warning(f'CvT weights: {len(missing)} missing keys in the CvT part: '
                           f'{missing}')
        if unexpected:
            logger.warning(f'CvT weights: {len(unexpected)} unexpected keys (ignored): '
                           f'{unexpected}')
        logger.info(f'Loaded {len(own) - len(missing)} CvT tensors ({source} format) into '
                    'the SLB.')
        return missing, unexpected
