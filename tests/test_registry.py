# Copyright (c) SATracker authors. Licensed under the Apache License 2.0.
"""Importing satracker registers every module into MMTracking's registries."""
import inspect
import pkgutil

import mmengine
from mmengine.registry import DefaultScope
from mmtrack.registry import DATASETS, HOOKS, METRICS, MODELS, TRANSFORMS

import satracker
from satracker.utils import register_all_modules


def _satracker_classes():
    """Every class defined in a satracker module that is registered by its own name."""
    for info in pkgutil.walk_packages(satracker.__path__, 'satracker.'):
        module = __import__(info.name, fromlist=['_'])
        for name, obj in vars(module).items():
            if inspect.isclass(obj) and obj.__module__ == info.name:
                yield name, obj


def test_every_registered_satracker_class_is_found_by_name():
    registries = dict(
        MODELS=MODELS, DATASETS=DATASETS, TRANSFORMS=TRANSFORMS, METRICS=METRICS, HOOKS=HOOKS)
    found = {}
    for name, cls in _satracker_classes():
        for reg_name, registry in registries.items():
            if registry._module_dict.get(name) is cls:
                found[name] = reg_name
    # each kind of registry gets at least one satracker module once the package is complete;
    # the names below are the public contract of the configs
    expected = {
        'SynchronousLearningBackbone': 'MODELS',
        'SATracker': 'MODELS',
        'SATrackerHead': 'MODELS',
        'DenseMatchingLoss': 'MODELS',
        'VLTrackDataPreprocessor': 'MODELS',
        'StagedBertEncoder': 'MODELS',
        'TargetEnhanceModule': 'MODELS',
        'SemanticAwareModule': 'MODELS',
        'TNL2KDataset': 'DATASETS',
        'OTB99LangDataset': 'DATASETS',
        'LaSOTLangDataset': 'DATASETS',
        'TokenizeText': 'TRANSFORMS',
        'PackVLTrackInputs': 'TRANSFORMS',
        'VLSOTMetric': 'METRICS',
        'VLTrackVisualizationHook': 'HOOKS',
    }
    missing = {k: v for k, v in expected.items() if found.get(k) != v}
    assert not missing, f'not registered (name: registry): {missing}'


def test_registered_names_resolve_in_the_mmtrack_scope():
    with DefaultScope.overwrite_default_scope('mmtrack'):
        for name in ('SATracker', 'Stark', 'mmdet.GIoULoss'):
            assert MODELS.get(name) is not None, name
        assert METRICS.get('VLSOTMetric') is not None
        assert METRICS.get('SOTMetric') is not None


def test_register_all_modules_sets_mmtrack_scope():
    register_all_modules(init_default_scope=True)
    assert DefaultScope.get_current_instance().scope_name == 'mmtrack'
    # mmtrack's own modules are there too (at least the 54 models measured when pinning)
    assert len(MODELS.module_dict) >= 54
    assert mmengine.__version__ == '0.10.7'
