# Copyright (c) SATracker authors. Licensed under the Apache License 2.0.
"""The weights-only rule (docs/checkpoints.md) and tools/misc/publish_model.py."""
import os.path as osp
import sys

import numpy as np
import pytest
import torch
from mmengine.logging.history_buffer import HistoryBuffer
from mmengine.runner.checkpoint import _load_checkpoint

from satracker.engine.checkpoint import (UntrustedCheckpointError, load_state_dict, reset_trust,
                                         trust_checkpoints)

sys.path.insert(0, osp.join(osp.dirname(osp.dirname(osp.abspath(__file__))), 'tools'))
from tool_loading import load_tool  # noqa: E402


@pytest.fixture(autouse=True)
def _fresh_trust():
    reset_trust()
    yield
    reset_trust()


def _training_checkpoint(path):
    """What mmengine's CheckpointHook writes: weights plus pickled Python objects."""
    ckpt = dict(
        meta=dict(
            epoch=3,
            iter=30,
            seed=np.int64(7),
            mmengine_version='0.10.7',
            dataset_meta=dict(classes=None)),
        state_dict=dict(weight=torch.arange(4.0)),
        message_hub=dict(log_scalars=dict(loss=HistoryBuffer([1.0, 0.5], [1, 1]))),
        optimizer=dict(state={}, param_groups=[dict(lr=np.float64(1e-4))]))
    torch.save(ckpt, path)
    return path


def test_state_dict_loads_weights_only_through_mmengine(tmp_path):
    path = str(tmp_path / 'weights.pth')
    torch.save(dict(state_dict=dict(w=torch.ones(2))), path)
    loaded = _load_checkpoint(path, map_location='cpu')
    assert torch.equal(loaded['state_dict']['w'], torch.ones(2))
    assert torch.equal(load_state_dict(path)['w'], torch.ones(2))


def test_untrusted_training_checkpoint_is_refused_with_the_flag_named(tmp_path):
    path = _training_checkpoint(str(tmp_path / 'epoch_3.pth'))
    with pytest.raises(UntrustedCheckpointError, match='--trust-checkpoint') as err:
        _load_checkpoint(path, map_location='cpu')
    assert path in str(err.value) and 'publish_model.py' in str(err.value)


def test_checkpoint_in_a_trusted_work_dir_loads_in_full(tmp_path):
    work_dir = tmp_path / 'run'
    work_dir.mkdir()
    path = _training_checkpoint(str(work_dir / 'epoch_3.pth'))
    other = _training_checkpoint(str(tmp_path / 'elsewhere.pth'))
    trust_checkpoints([str(work_dir)])
    loaded = _load_checkpoint(path, map_location='cpu')
    assert loaded['meta']['epoch'] == 3
    with pytest.raises(UntrustedCheckpointError):
        _load_checkpoint(other, map_location='cpu')
    # a sibling directory whose name starts like the trusted one is not trusted
    sibling = tmp_path / 'run2'
    sibling.mkdir()
    with pytest.raises(UntrustedCheckpointError):
        _load_checkpoint(_training_checkpoint(str(sibling / 'e.pth')), map_location='cpu')


def test_one_weights_loader_behind_the_three_names(tmp_path):
    """init_model's and the CvT converter's loaders are the engine's: same unwrapping, same
    refusal of an untrusted training checkpoint, .safetensors alike."""
    from safetensors.torch import save_file

    from satracker.apis import load_weights_only
    from satracker.utils.cvt_converter import load_state_dict_file
    weights = {'a.w': torch.arange(3.0), 'b.w': torch.ones(2, 2)}
    wrapped = str(tmp_path / 'wrapped.pth')  # saved from DDP, inside a 'model' entry
    torch.save(dict(model={f'module.{k}': v for k, v in weights.items()}), wrapped)
    flat = str(tmp_path / 'flat.safetensors')
    save_file(weights, flat)
    untrusted = _training_checkpoint(str(tmp_path / 'epoch_3.pth'))
    for load in (load_state_dict, load_weights_only, load_state_dict_file):
        for path in (wrapped, flat):
            loaded = load(path)
            assert sorted(loaded) == sorted(weights)
            assert all(torch.equal(loaded[k], v) for k, v in weights.items())
        with pytest.raises(UntrustedCheckpointError, match='publish_model.py'):
            load(untrusted)
    trust_checkpoints(trust_all=True)  # the one trust rule applies to all three
    assert all(
        torch.equal(load(untrusted)['weight'], torch.arange(4.0))
        for load in (load_weights_only, load_state_dict_file))


def test_missing_checkpoint_names_the_file(tmp_path):
    with pytest.raises(FileNotFoundError, match='nope.pth'):
        _load_checkpoint(str(tmp_path / 'nope.pth'), map_location='cpu')


def test_publish_model_writes_a_weights_only_checkpoint(tmp_path, repo_root, capsys):
    src = _training_checkpoint(str(tmp_path / 'epoch_3.pth'))
    out = str(tmp_path / 'pub' / 'model.pth')
    tool = load_tool(repo_root, 'tools/misc/publish_model.py')
    with pytest.raises(SystemExit, match='--trust-checkpoint'):  # a message, no traceback
        tool.main([src, out])
    tool.main([src, out, '--trust-checkpoint'])
    published = capsys.readouterr().out.split()[1]
    assert osp.basename(published).startswith('model-') and published.endswith('.pth')
    ckpt = torch.load(published, weights_only=True)
    assert set(ckpt) == {'state_dict', 'meta'}
    assert torch.equal(ckpt['state_dict']['weight'], torch.arange(4.0))
    assert ckpt['meta'] == dict(
        epoch=3, iter=30, seed=7, mmengine_version='0.10.7', dataset_meta={})


def test_publish_model_from_a_work_dir_without_hash(tmp_path, repo_root, capsys):
    """The next phase's load_from is written exactly, from the run's last checkpoint."""
    work_dir = tmp_path / 'work_dirs' / 'phase1'
    work_dir.mkdir(parents=True)
    _training_checkpoint(str(work_dir / 'epoch_1.pth'))
    tool = load_tool(repo_root, 'tools/misc/publish_model.py')
    with pytest.raises(SystemExit, match='without a last_checkpoint'):
        tool.main([str(work_dir), str(tmp_path / 'x.pth'), '--trust-checkpoint'])
    # last_checkpoint holds the path the run saw (maybe another machine's): the name is used
    (work_dir / 'last_checkpoint').write_text('/elsewhere/work_dirs/phase1/epoch_1.pth')
    out = tmp_path / 'data' / 'pretrained' / 'satracker_phase1.pth'
    tool.main([str(work_dir), str(out), '--trust-checkpoint', '--no-hash'])
    assert capsys.readouterr().out.split()[1] == str(out)
    assert set(torch.load(str(out), weights_only=True)) == {'state_dict', 'meta'}
    with pytest.raises(SystemExit, match='does not exist'):
        tool.main([str(tmp_path / 'nothing.pth'), str(out)])
