# Copyright (c) SATracker authors. Licensed under the Apache License 2.0.
"""The interface of a stage's vision-language fusion (SAM, ModaMixer, or a user's module)."""
from typing import Any, Optional, Tuple, Union

from mmengine.model import BaseModule
from torch import Tensor


class VLFusionModule(BaseModule):
    """A fusion block split into its template/text part and its search part.

    The tracker caches what :meth:`forward_template` returns for a video and calls
    :meth:`forward_search` on every frame; :meth:`forward` (training, the uncached path) is
    the two in a row. Subclasses implement the two parts (docs/model.md, "Swapping a block").

    The backbone builds a stage's fusion with the stage's width, the text width and the
    stage's number of heads; this constructor keeps them.

    Args:
        embed_dims (int): Visual channels C of the stage.
        text_dims (int): Text width D.
        num_heads (int): The stage's attention heads (a subclass may not need them).
        init_cfg (dict | list[dict], optional): Initialisation config.
    """

    def __init__(self,
                 embed_dims: int,
                 text_dims: int,
                 num_heads: int = 1,
                 init_cfg: Optional[Union[dict, list]] = None) -> None:
        super().__init__(init_cfg=init_cfg)
        self.embed_dims = embed_dims
        self.text_dims = text_dims
        self.num_heads = num_heads

    def forward_template(self, template: Tensor, text: Tensor,
                         text_mask: Tensor) -> Tuple[Tensor, Tensor, Any]:
        """Template/text part: (B, C, Ht, Wt), (B, L, D), (B, L) -> template, text, state."""
        raise NotImplementedError

    def forward_search(self, search: Tensor, state: Any) -> Tensor:
        """Search part: (B, C, Hs, Ws) and the cached state -> (B, C, Hs, Ws)."""
        raise NotImplementedError

    def forward(self, template: Tensor, search: Tensor, text: Tensor,
                text_mask: Tensor) -> Tuple[Tensor, Tensor, Tensor]:
        """Fuse one stage.

        Args:
            template (Tensor): (B, C, Ht, Wt).
            search (Tensor): (B, C, Hs, Ws).
            text (Tensor): (B, L, D).
            text_mask (Tensor): (B, L), 1 = real token.

        Returns:
            tuple[Tensor, Tensor, Tensor]: template (B, C, Ht, Wt), search (B, C, Hs, Ws),
            text (B, L, D).
        """
        template, text, state = self.forward_template(template, text, text_mask)
        return template, self.forward_search(search, state), text
