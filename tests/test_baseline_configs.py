# Copyright (c) SATracker authors. Licensed under the Apache License 2.0.
"""configs/baselines/: MMTracking's trackers with MMTracking's published test settings, on our
VL test splits with the data and metric of SATracker's test configs."""
import glob
import os.path as osp

import pytest
from mmengine.config import Config
from mmengine.utils import get_installed_path

REPO = osp.dirname(osp.dirname(osp.abspath(__file__)))
ST1 = 'stark-st1_r50_8xb16-500e_got10k-lasot-trackingnet-coco'
ST2 = 'stark-st2_r50_8xb16-50e_got10k-lasot-trackingnet-coco'
RPN = 'siamese-rpn_r50_8xb28-20e_imagenetvid-imagenetdet-coco'
RPN_OTB = 'siamese-rpn_r50_8xb16-20e_imagenetvid-imagenetdet-coco_test-otb100.py'
# baseline config -> the MMTracking test config whose model (test settings) it must have
BENCHMARKS = ('tnl2k', 'otb99', 'lasot')
PUBLISHED = {
    **{
        f'{ST1}_test-{b}.py': f'sot/stark/{ST1}_test-lasot.py'
        for b in BENCHMARKS
    },
    **{
        f'{ST2}_test-{b}.py': f'sot/stark/{ST2}_test-lasot.py'
        for b in BENCHMARKS
    },
    f'{RPN}_test-tnl2k.py': f'sot/siamese_rpn/{RPN}_test-lasot.py',
    f'{RPN}_test-lasot.py': f'sot/siamese_rpn/{RPN}_test-lasot.py',
    f'{RPN}_test-otb99.py': f'sot/siamese_rpn/{RPN_OTB}',
}
# benchmark suffix -> SATracker's test config on it
SATRACKER = 'configs/satracker/satracker_cvt21-bert_2xb8-200e_tnl2k-otb99-lasot_test-{}.py'


def _load(rel):
    if rel.startswith('mmtrack::'):
        return Config.fromfile(
            osp.join(get_installed_path('mmtrack'), '.mim', 'configs', rel[len('mmtrack::'):]))
    return Config.fromfile(osp.join(REPO, rel))


def _unscoped(value):
    """Drop the ``_scope_`` keys mmengine adds to what a config inherits from ``mmtrack::``."""
    if isinstance(value, dict):
        return {k: _unscoped(v) for k, v in value.items() if k != '_scope_'}
    if isinstance(value, (list, tuple)):
        return type(value)(_unscoped(v) for v in value)
    return value


def test_the_nine_baselines_are_there():
    found = {osp.basename(p) for p in glob.glob(osp.join(REPO, 'configs/baselines/*.py'))}
    assert found == set(PUBLISHED)


@pytest.mark.parametrize('name', sorted(PUBLISHED))
def test_published_test_settings_and_our_data(name):
    cfg = _load(f'configs/baselines/{name}')
    published = _load('mmtrack::' + PUBLISHED[name])
    # the whole model, test_cfg included, is MMTracking's published test config's
    assert _unscoped(cfg.model.to_dict()) == _unscoped(published.model.to_dict())

    bench = name[:-3].rsplit('_test-', 1)[1]
    ours = _load(SATRACKER.format(bench))
    for key in ('test_dataloader', 'val_dataloader'):
        got, want = cfg[key].to_dict(), ours[key].to_dict()
        pipeline = got['dataset'].pop('pipeline')
        want['dataset'].pop('pipeline')
        assert got == want, key
        # vision-only trackers: no tokenizer to install, and the packer keeps video names
        assert [t['type'] for t in pipeline
                ] == ['LoadTrackImageFromFile', 'LoadTrackAnnotations', 'PackVLTrackInputs']
    assert cfg.test_evaluator == ours.test_evaluator
    assert cfg.test_evaluator.type == 'VLSOTMetric'
    assert cfg.test_cfg == dict(type='TestLoop')
    assert 'satracker' in cfg.custom_imports['imports']
