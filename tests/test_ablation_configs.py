# Copyright (c) SATracker authors. Licensed under the Apache License 2.0.
"""Fair ablations: every variant's configs change only its model, as the table of
``configs/satracker/README.md`` says, and every phase 2 starts from the phase 1 of the same
model."""
import ast
import glob
import os.path as osp
import re

import pytest
from mmengine.config import Config

REPO = osp.dirname(osp.dirname(osp.abspath(__file__)))
ABL = osp.join(REPO, 'configs', 'satracker', 'ablations')
README = osp.join(REPO, 'configs', 'satracker', 'README.md')
BASE_MODEL = osp.join(REPO, 'configs', '_base_', 'models', 'satracker.py')
MAIN_PHASE2 = osp.join(REPO, 'configs', 'satracker_tnl2k.py')
MAIN_PHASE1 = osp.join(REPO, 'configs', 'satracker',
                       'satracker_cvt21-bert_2xb8-500e_got10k-lasot-trackingnet-coco_phase1.py')
ANY = object()  # a table entry without a value (a long dict, e.g. the neck)
_cache = {}


def _cfg(path):
    if path not in _cache:
        _cache[path] = Config.fromfile(path)
    return _cache[path]


def _plain(x):
    """Config values with tuples as lists and ConfigDicts as dicts."""
    if isinstance(x, dict):
        return {k: _plain(v) for k, v in x.items()}
    if isinstance(x, (list, tuple)):
        return [_plain(v) for v in x]
    return x


def _model(path, drop_init=True):
    model = _plain(_cfg(path).model.to_dict())
    if drop_init:
        model['backbone'].pop('init_cfg', None)
    return model


def model_diff(base, variant, prefix=''):
    """Keys where ``variant`` differs from ``base``: ``{dotted key: variant value}``.

    A registry dict whose ``type`` changes, a key that only one side has, and a dict replaced
    by a non-dict count as one key (the whole value)."""
    if isinstance(base, dict) and isinstance(variant, dict) and \
            (not prefix or base.get('type') == variant.get('type')):
        out = {}
        for key in sorted(set(base) | set(variant)):
            sub = f'{prefix}.{key}' if prefix else key
            if key not in base or key not in variant:
                out[sub] = variant.get(key, '<removed>')
            else:
                out.update(model_diff(base[key], variant[key], sub))
        return out
    return {} if base == variant else {prefix: variant}


def _parse_value(text):
    tree = ast.parse(text, mode='eval').body
    if isinstance(tree, ast.Call) and getattr(tree.func, 'id', None) == 'dict':
        return {kw.arg: ast.literal_eval(kw.value) for kw in tree.keywords}
    return _plain(ast.literal_eval(tree))


def readme_table():
    """``{variant: (changes, phase-1 link, phase-2 link)}`` from the ablation table."""
    with open(README) as f:
        text = f.read()
    rows = {}
    for line in text.splitlines():
        cells = [c.strip() for c in line.strip().strip('|').split('|')]
        if len(cells) < 5 or not re.fullmatch(r'(tab|fig)\d[\w-]*', cells[0]):
            continue
        changes = {}
        for item in re.findall(r'`([^`]+)`', cells[2]):
            # `key=value` or a bare `key`; file names and class names are not keys
            if item.endswith('.py') or not re.fullmatch(r'[a-z_][\w.]*(=.*)?', item):
                continue
            key, _, value = item.partition('=')
            changes[key] = _parse_value(value) if value else ANY
        phase1 = re.findall(r'\(([^)]+\.py)\)', cells[3])
        phase2 = re.findall(r'\(([^)]+\.py)\)', cells[4])
        rows[cells[0]] = (changes, phase1[0] if phase1 else None, phase2[0])
    return rows


TABLE = readme_table()
PHASE2 = sorted(
    p for p in glob.glob(osp.join(ABL, 'satracker_*.py')) if not p.endswith('_phase1.py'))
PHASE1 = sorted(glob.glob(osp.join(ABL, 'satracker_*_phase1.py')))


def test_table_lists_every_variant():
    names = {osp.basename(p)[len('satracker_'):-3] for p in PHASE2}
    assert len(names) == 15 and set(TABLE) == names
    for name, (_, phase1, phase2) in TABLE.items():
        assert phase2 == f'ablations/satracker_{name}.py'
        assert osp.isfile(osp.join(REPO, 'configs', 'satracker', phase1)), phase1


@pytest.mark.parametrize('name', sorted(TABLE))
def test_variant_changes_exactly_the_table_keys(name):
    changes, _, phase2 = TABLE[name]
    diff = model_diff(_model(BASE_MODEL), _model(osp.join(REPO, 'configs/satracker', phase2)))
    assert set(diff) == set(changes), f'{name}: the config changes {sorted(diff)}'
    for key, value in changes.items():
        if value is not ANY:
            assert diff[key] == value, f'{name}: {key} is {diff[key]!r} in the config'


def _phase2_configs():
    """Every config that fine-tunes from a phase-1 checkpoint."""
    return [MAIN_PHASE2] + PHASE2


@pytest.mark.parametrize('path', _phase2_configs(), ids=osp.basename)
def test_phase2_loads_the_phase1_of_its_own_model(path):
    cfg = _cfg(path)
    assert cfg.load_from and cfg.get('load_from_config'), 'phase 2 names its phase 1'
    phase1 = osp.join(REPO, cfg.load_from_config)
    assert osp.isfile(phase1), cfg.load_from_config
    assert not _cfg(phase1).get('load_from'), 'phase 1 starts from ImageNet / BERT weights'
    assert _model(phase1) == _model(path), \
        f'{osp.basename(path)} fine-tunes a different model than {cfg.load_from_config} trains'
    # phase 2 needs no CvT ImageNet file: every weight comes from the phase-1 checkpoint
    assert _plain(cfg.model.backbone.get('init_cfg')) is None
    assert _model(phase1, drop_init=False)['backbone']['init_cfg']['type'] == 'Pretrained'


def test_each_phase1_checkpoint_is_made_by_one_config_and_used():
    made_by = {}
    for path in _phase2_configs():
        cfg = _cfg(path)
        made_by.setdefault(cfg.load_from, set()).add(cfg.load_from_config)
    assert all(len(v) == 1 for v in made_by.values()), made_by
    used = {c for v in made_by.values() for c in v}
    listed = {osp.relpath(p, REPO) for p in PHASE1 + [MAIN_PHASE1]}
    assert used == listed, f'phase-1 configs nobody loads: {listed - used}'
    # an ablation's phase 1 is published under its own name
    for path, config in ((p, c) for p, cs in made_by.items() for c in cs):
        if '/ablations/' in config:
            assert osp.basename(path) == osp.basename(config)[:-3] + '.pth'


@pytest.mark.parametrize('path', PHASE1 + PHASE2, ids=osp.basename)
def test_variants_change_nothing_but_the_model(path):
    """Data, schedule, optimiser and runtime are the paper recipe's, phase by phase."""
    main = MAIN_PHASE1 if path.endswith('_phase1.py') else MAIN_PHASE2
    ref, cfg = _cfg(main), _cfg(path)
    skip = {'model', 'load_from', 'load_from_config', 'filename'}
    keys = (set(ref.keys()) | set(cfg.keys())) - skip
    for key in sorted(keys):
        assert _plain(cfg.get(key)) == _plain(ref.get(key)), \
            f'{osp.basename(path)}: {key} differs from {osp.basename(main)}'
