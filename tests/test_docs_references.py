# Copyright (c) SATracker authors. Licensed under the Apache License 2.0.
"""No dangling references: every docs page the code cites exists and is reachable from the
README, and nothing cites a document that is not in the repository."""
import glob
import os.path as osp
import re

REPO = osp.dirname(osp.dirname(osp.abspath(__file__)))
INTERNAL = 'DES' + 'IGN'  # the internal design brief, which is not shipped
SOURCES = ['README.md', 'Makefile', 'NOTICE', 'setup.cfg'] + [
    osp.relpath(p, REPO)
    for pattern in ('projects/**/*.py', 'tools/**/*', 'tests/**/*.py', 'configs/**/*', 'scripts/*',
                    'requirements/*', 'docs/*.md', '.ci/*')
    for p in glob.glob(osp.join(REPO, pattern), recursive=True) if osp.isfile(p)
]


def _read(rel):
    with open(osp.join(REPO, rel), encoding='utf-8', errors='replace') as f:
        return f.read()


def test_no_citation_of_the_internal_brief():
    offenders = [rel for rel in SOURCES if re.search(rf'\b{INTERNAL}\b', _read(rel))]
    assert not offenders, f'files citing a document that is not shipped: {offenders}'


def test_every_cited_docs_page_exists():
    cited = {}
    for rel in SOURCES:
        for page in re.findall(r'docs/([\w.-]+\.md)', _read(rel)):
            cited.setdefault(page, rel)
    assert len(cited) >= 6
    missing = {p: rel for p, rel in cited.items() if not osp.isfile(osp.join(REPO, 'docs', p))}
    assert not missing, f'cited but missing (page: first file citing it): {missing}'


def test_every_docs_page_is_reachable_from_the_readme():
    readme = _read('README.md')
    for page in glob.glob(osp.join(REPO, 'docs', '*.md')):
        assert f'docs/{osp.basename(page)}' in readme, f'README does not link {page}'
