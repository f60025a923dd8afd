# Copyright (c) SATracker authors. Licensed under the Apache License 2.0.
"""Fast import of ``satracker.datasets`` modules for the converter scripts."""


def import_datasets_module(name):
    """Import ``satracker.datasets.<name>`` without importing all of satracker.

    ``import satracker`` registers every module and so imports torch, MMTracking and
    transformers (many seconds); the converters only need NumPy, OpenCV and tqdm. When
    satracker is not imported yet, the module is loaded from the installed package's
    ``datasets`` folder under a private package name.
    """
    import importlib
    import importlib.util
    import os.path as osp
    import sys
    import types
    if 'satracker' in sys.modules:
        return importlib.import_module(f'satracker.datasets.{name}')
    spec = importlib.util.find_spec('satracker')
    if spec is None or spec.origin is None:
        raise ImportError('satracker is not installed: run `make install` (or '
                          '`pip install -e .`) first')
    pkg_name = '_satracker_datasets_light'
    if pkg_name not in sys.modules:
        pkg = types.ModuleType(pkg_name)
        pkg.__path__ = [osp.join(osp.dirname(spec.origin), 'datasets')]
        sys.modules[pkg_name] = pkg
    return importlib.import_module(f'{pkg_name}.{name}')
