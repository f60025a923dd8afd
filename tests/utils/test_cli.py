# Copyright (c) SATracker authors. Licensed under the Apache License 2.0.
"""satracker.cli: the launcher arguments, config reading with a message instead of a
traceback, and the --json output."""
import argparse
import json
import os
import os.path as osp

import pytest

from satracker.cli import add_common_args, parse_launcher_args, read_config, save_json

REPO = osp.dirname(osp.dirname(osp.dirname(osp.abspath(__file__))))


def test_local_rank_argument_goes_to_the_environment(monkeypatch):
    parser = argparse.ArgumentParser()
    add_common_args(parser)
    monkeypatch.delenv('LOCAL_RANK', raising=False)
    args = parse_launcher_args(parser, ['c.py', '--local-rank', '3'])
    assert args.local_rank == 3 and os.environ['LOCAL_RANK'] == '3'
    monkeypatch.setenv('LOCAL_RANK', '1')  # torchrun's value wins
    parse_launcher_args(parser, ['c.py', '--local_rank', '5'])
    assert os.environ['LOCAL_RANK'] == '1'


def test_read_config_merges_sets_launcher_and_names_bad_input(tmp_path):
    config = osp.join(REPO, 'configs/_base_/models/satracker.py')
    cfg = read_config(config, {'model.test_cfg.search_size': 256}, launcher='pytorch')
    assert cfg.model.test_cfg.search_size == 256 and cfg.launcher == 'pytorch'
    with pytest.raises(SystemExit, match='nope.py'):
        read_config(str(tmp_path / 'nope.py'))
    with pytest.raises(SystemExit, match='--cfg-options does not fit'):
        read_config(config, {'model.test_cfg.search_size.x': 1})


def test_save_json_only_with_a_path(tmp_path):
    save_json({'a': 1}, None)
    assert not list(tmp_path.iterdir())
    save_json({'a': [1, 2]}, str(tmp_path / 'r.json'))
    assert json.loads((tmp_path / 'r.json').read_text()) == {'a': [1, 2]}


def test_free_port_can_be_bound():
    import socket

    from satracker.cli import free_port
    port = free_port()
    assert 1024 <= port <= 65535
    with socket.socket() as s:
        s.bind(('127.0.0.1', port))  # still free: a rendezvous can listen on it
