# Copyright (c) SATracker authors. Licensed under the Apache License 2.0.
"""The interface of a stage's vision-language fusion (SAM, ModaMixer, or a user's module)."""
from typing import Any, Tuple

from mmengine.model import BaseModule
from torch import Tensor


class VLFusionModule(BaseModule):
    """A fusion block split into its template/text part and its search part.

    The tracker caches what :meth:`forward_template` returns for a video and calls
    :meth:`forward_search` on every frame; :meth:`forward` (training, the uncached path) is
    the two in a row. Subclasses implement the two parts (docs/model.md, "Swapping a block").
    """

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
