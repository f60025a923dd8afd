# Copyright (c) SATracker authors. Licensed under the Apache License 2.0.
"""Load a command-line tool from its file, so tests call ``main(argv)`` in-process (the
suite pays the mmtrack import once)."""
import importlib.util
import os.path as osp


def load_tool(repo_root, relpath):
    """The module of ``repo_root/relpath`` (e.g. ``tools/train.py``), freshly executed."""
    spec = importlib.util.spec_from_file_location('tool_' + relpath.replace('/', '_')[:-3],
                                                  osp.join(repo_root, relpath))
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module
