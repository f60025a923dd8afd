# Copyright (c) SATracker authors. Licensed under the Apache License 2.0.
"""Checkpoints from http(s) URLs: downloaded once into torch hub's cache, read weights-only.

An HTTP server on 127.0.0.1 (a thread serving a tmp folder, shut down by the test or after
60 s at the latest) stands in for MMTracking's model zoo; TORCH_HOME points at a tmp folder.
"""
import argparse
import functools
import os.path as osp
import socket
import sys
import threading
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer

import pytest
import torch
from mmengine.runner import CheckpointLoader, load_checkpoint
from torch import nn

from satracker.engine import CheckpointDownloadError, UntrustedCheckpointError
from satracker.engine.checkpoint import reset_trust

sys.path.insert(0, osp.join(osp.dirname(osp.dirname(osp.abspath(__file__))), 'tools'))
from tool_loading import load_tool  # noqa: E402


class _CountingHandler(SimpleHTTPRequestHandler):
    gets = []

    def do_GET(self):
        self.gets.append(self.path)
        super().do_GET()

    def log_message(self, *args):
        pass


@pytest.fixture
def model_zoo(tmp_path, monkeypatch):
    """(root URL, served folder, list of GET paths) of a local server; TORCH_HOME in tmp."""
    served = tmp_path / 'zoo'
    served.mkdir()
    monkeypatch.setenv('TORCH_HOME', str(tmp_path / 'torch_home'))
    monkeypatch.setattr(torch.hub, '_hub_dir', None)
    handler = type('Handler', (_CountingHandler, ), {'gets': []})
    server = ThreadingHTTPServer(('127.0.0.1', 0),
                                 functools.partial(handler, directory=str(served)))
    thread = threading.Thread(
        target=server.serve_forever, kwargs=dict(poll_interval=0.05), daemon=True)
    thread.start()
    watchdog = threading.Timer(60, server.shutdown)
    watchdog.daemon = True
    watchdog.start()
    yield f'http://127.0.0.1:{server.server_address[1]}', served, handler.gets
    watchdog.cancel()
    server.shutdown()
    server.server_close()
    thread.join(5)
    reset_trust()


def _closed_port():
    with socket.socket() as sock:
        sock.bind(('127.0.0.1', 0))
        return sock.getsockname()[1]


def test_url_is_downloaded_once_to_the_hub_cache_and_loaded(model_zoo, tmp_path):
    root, served, gets = model_zoo
    weights = {'weight': torch.arange(6.).view(2, 3), 'bias': torch.tensor([1., -1.])}
    torch.save({'state_dict': weights, 'meta': {'epoch': 3}}, served / 'tiny_20220101-abcd.pth')
    url = f'{root}/tiny_20220101-abcd.pth'

    # what Runner.load_checkpoint does with load_from = URL
    model = nn.Linear(3, 2)
    load_checkpoint(model, url, map_location='cpu')
    assert torch.equal(model.weight.detach(), weights['weight'])
    cached = tmp_path / 'torch_home' / 'hub' / 'checkpoints' / 'tiny_20220101-abcd.pth'
    assert cached.is_file()
    assert gets == ['/tiny_20220101-abcd.pth']

    # second load: from the cache, the server is not asked again
    again = CheckpointLoader.load_checkpoint(url, map_location='cpu')
    assert torch.equal(again['state_dict']['bias'], weights['bias'])
    assert len(gets) == 1


def test_url_that_is_not_weights_only_is_refused(model_zoo):
    root, served, _ = model_zoo
    torch.save({'state_dict': {}, 'optimizer': argparse.Namespace(lr=1)}, served / 'train.pth')
    with pytest.raises(UntrustedCheckpointError) as error:
        CheckpointLoader.load_checkpoint(f'{root}/train.pth', map_location='cpu')
    message = str(error.value)
    # the local loader's message, plus where the file came from
    assert 'is not a weights-only checkpoint' in message and '--trust-checkpoint' in message
    assert f'downloaded from {root}/train.pth' in message


def test_unreachable_url_and_missing_file_give_a_short_error(model_zoo):
    root, _, _ = model_zoo
    dead = f'http://127.0.0.1:{_closed_port()}/model.pth'
    with pytest.raises(CheckpointDownloadError) as error:
        CheckpointLoader.load_checkpoint(dead)
    message = str(error.value)
    assert message.startswith(f'cannot download checkpoint "{dead}": ')
    assert 'refused' in message.lower() and '\n' not in message and len(message) < 200
    with pytest.raises(CheckpointDownloadError, match='HTTP Error 404'):
        CheckpointLoader.load_checkpoint(f'{root}/absent.pth')
    # nothing half-downloaded is left in the cache under the final name
    assert not osp.exists(osp.join(torch.hub.get_dir(), 'checkpoints', 'absent.pth'))


def test_init_model_takes_a_url(model_zoo, repo_root):
    from mmengine.config import Config

    from satracker.apis import init_model
    from satracker.testing import tiny_model_cfg
    root, served, gets = model_zoo
    cfg = Config.fromfile(osp.join(repo_root, 'configs/_base_/models/satracker.py'))
    cfg.model = tiny_model_cfg(cfg.model.to_dict())
    model = init_model(cfg)
    state = {
        k: torch.randn_like(v) if v.is_floating_point() else v
        for k, v in model.state_dict().items()
    }
    torch.save({'state_dict': state}, served / 'satracker_tiny.pth')
    loaded = init_model(cfg, f'{root}/satracker_tiny.pth')
    for key, value in loaded.state_dict().items():
        assert torch.equal(value, state[key]), key
    assert gets == ['/satracker_tiny.pth']


class _Built(Exception):
    """Raised where tools/test.py would start building the runner."""


def test_test_tool_downloads_before_building_anything(model_zoo, repo_root, monkeypatch):
    tool = load_tool(repo_root, 'tools/test.py')
    monkeypatch.setattr(tool, 'exit_if_missing', lambda *args: None, raising=False)  # no data

    def stop(cfg, launcher):
        raise _Built(cfg.load_from)

    monkeypatch.setattr(tool, 'setup_cpu_distributed', stop)
    monkeypatch.setenv('LOCAL_RANK', '0')
    root, served, gets = model_zoo
    torch.save({'state_dict': {}}, served / 'stark_tiny.pth')
    config = osp.join(repo_root, 'configs/demo/stark-st1_tiny-r18_2xb8_synthetic.py')
    with pytest.raises(_Built, match=f'{root}/stark_tiny.pth'):  # load_from is the URL
        tool.main([config, '--checkpoint', f'{root}/stark_tiny.pth'])
    assert gets == ['/stark_tiny.pth']  # already in the cache when the runner loads it
    assert osp.isfile(osp.join(torch.hub.get_dir(), 'checkpoints', 'stark_tiny.pth'))

    dead = f'http://127.0.0.1:{_closed_port()}/stark_tiny_v2.pth'
    with pytest.raises(SystemExit) as exit_info:
        tool.main([config, '--checkpoint', dead])
    assert exit_info.value.code.startswith(f'test.py: error: cannot download checkpoint "{dead}"')
