# Copyright (c) SATracker authors. Licensed under the Apache License 2.0.
import datetime
import warnings

from mmengine import DefaultScope


def register_all_modules(init_default_scope: bool = True) -> None:
    """Register MMTracking's modules (and, through it, MMDetection's) plus SATracker's.

    The SATracker equivalent of ``mmtrack.utils.register_all_modules``: our modules are
    registered into mmtrack's registries, so the default scope stays ``'mmtrack'``.

    Args:
        init_default_scope (bool): Whether to set the default scope to ``'mmtrack'``, as
            mmtrack's own function does. Defaults to True.
    """
    from mmtrack.utils import register_all_modules as register_mmtrack

    import satracker  # noqa: F401  (registration happens on import)

    register_mmtrack(init_default_scope=False)
    if init_default_scope:
        never_created = DefaultScope.get_current_instance() is None \
            or not DefaultScope.check_instance_created('mmtrack')
        if never_created:
            DefaultScope.get_instance('mmtrack', scope_name='mmtrack')
            return
        current_scope = DefaultScope.get_current_instance()
        if current_scope.scope_name != 'mmtrack':
            warnings.warn('The current default scope '
                          f'"{current_scope.scope_name}" is not "mmtrack", '
                          '`register_all_modules` will force the current '
                          'default scope to be "mmtrack". If this is not '
                          'expected, please set `init_default_scope=False`.')
            new_instance_name = f'mmtrack-{datetime.datetime.now()}'
            DefaultScope.get_instance(new_instance_name, scope_name='mmtrack')
