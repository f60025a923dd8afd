# Copyright (c) SATracker authors. Licensed under the Apache License 2.0.
"""``configs/satracker/metafile.yml`` and ``README.md``: every config path they name exists,
and every config under ``configs/satracker/`` is in the model index."""
import glob
import os.path as osp
import re

import pytest
import yaml

REPO = osp.dirname(osp.dirname(osp.abspath(__file__)))
FOLDER = osp.join(REPO, 'configs', 'satracker')
METAFILE = osp.join(FOLDER, 'metafile.yml')
README = osp.join(FOLDER, 'README.md')
METRICS = {'Success', 'Norm Precision', 'Precision'}


@pytest.fixture(scope='module')
def metafile():
    with open(METAFILE) as f:
        return yaml.safe_load(f)


@pytest.fixture(scope='module')
def readme():
    with open(README) as f:
        return f.read()


def _shipped_configs():
    """Every runnable config (the ablations' ``_base_/`` model changes are not runs)."""
    return sorted(
        osp.relpath(p, REPO).replace(osp.sep, '/')
        for p in glob.glob(osp.join(FOLDER, '**', '*.py'), recursive=True) if '/_base_/' not in p)


def test_metafile_config_paths_exist(metafile):
    for model in metafile['Models']:
        assert osp.isfile(osp.join(REPO, model['Config'])), model['Config']
    for collection in metafile['Collections']:
        assert osp.isfile(osp.join(REPO, collection['README'])), collection['README']


def test_every_config_is_in_the_metafile(metafile):
    listed = {m['Config'] for m in metafile['Models']}
    missing = [c for c in _shipped_configs() if c not in listed]
    assert not missing, f'configs missing from {METAFILE}: {missing}'
    assert 'configs/satracker_tnl2k.py' in listed


def test_metafile_schema(metafile):
    collections = {c['Name'] for c in metafile['Collections']}
    names = [m['Name'] for m in metafile['Models']]
    assert len(names) == len(set(names)), 'model names must be unique'
    for model in metafile['Models']:
        assert model['In Collection'] in collections
        # OpenMMLab names are the config's file name
        assert model['Name'] == osp.splitext(osp.basename(model['Config']))[0]
        meta = model['Metadata']
        for key in ('Training Data', 'Training Resources', 'Architecture'):
            assert meta.get(key), f'{model["Name"]}: Metadata.{key}'
        assert model.get('Weights') is None  # nothing was trained here
        for result in model.get('Results', []):
            assert result['Task'] == 'Single Object Tracking'
            assert result['Dataset'] in ('TNL2K', 'OTB99-Lang', 'LaSOT')
            assert set(result['Metrics']) <= METRICS and 'Success' in result['Metrics']
            for value in result['Metrics'].values():
                assert 0 < float(value) <= 100


def test_paper_numbers(metafile):
    """Spot checks against the paper's Table 2 / 4 / 5."""
    by_name = {m['Name']: m for m in metafile['Models']}
    tnl2k = by_name['satracker_cvt21-bert_2xb8-200e_tnl2k-otb99-lasot_test-tnl2k']
    assert tnl2k['Results'][0]['Metrics'] == {
        'Success': 61.6,
        'Norm Precision': 78.4,
        'Precision': 64.4
    }
    lasot = by_name['satracker_cvt21-bert_2xb8-200e_tnl2k-otb99-lasot_test-lasot']
    assert lasot['Results'][0]['Metrics'] == {'Success': 72.4, 'Precision': 79.6}
    sym = {r['Dataset']: r['Metrics'] for r in by_name['satracker_tab5-symmetrical']['Results']}
    assert sym['OTB99-Lang'] == {'Success': 69.1, 'Precision': 89.1}
    with open(METAFILE) as f:
        assert 'REPORTED IN THE PAPER' in f.read()


def test_readme_config_paths_exist(readme):
    # markdown links to .py files (relative to the README) and repo-relative paths in code
    links = re.findall(r'\]\(([^)\s]+\.py)\)', readme)
    paths = re.findall(r'(?<![\w/.-])(configs/[\w./-]+\.py)', readme)
    assert links and paths
    for link in links:
        assert osp.isfile(osp.normpath(osp.join(FOLDER, link))), link
    for path in paths:
        assert osp.isfile(osp.join(REPO, path)), path


def test_readme_lists_every_config(readme):
    for config in _shipped_configs():
        assert osp.basename(config) in readme, f'{config} is not in {README}'
    assert 'reported in the paper (not reproduced here)' in readme
