# Copyright (c) SATracker authors. Licensed under the Apache License 2.0.
"""--resume checks the checkpoint it picks (no training here; see tests/tools for a real run)."""
import os
import os.path as osp

import pytest
import torch
from mmengine.config import Config

from satracker.engine import ResumeError, apply_resume, checkpoint_damage, select_resume_checkpoint
from satracker.engine.resume import numbered_checkpoints


def _work_dir(tmp_path, epochs=(1, 2, 3)):
    work_dir = tmp_path / 'work'
    work_dir.mkdir()
    for epoch in epochs:
        torch.save({
            'meta': {
                'epoch': epoch
            },
            'state_dict': {
                'w': torch.full((64, ), epoch)
            }
        }, work_dir / f'epoch_{epoch}.pth')
    (work_dir / 'last_checkpoint').write_text(str(work_dir / f'epoch_{epochs[-1]}.pth'))
    return str(work_dir)


def _truncate(path, keep=0.5):
    data = open(path, 'rb').read()
    with open(path, 'wb') as f:
        f.write(data[:int(len(data) * keep)])


def test_damage_is_described(tmp_path):
    work_dir = _work_dir(tmp_path, epochs=(1, ))
    path = osp.join(work_dir, 'epoch_1.pth')
    assert checkpoint_damage(path) is None
    assert checkpoint_damage(path + '.nope') == 'does not exist'
    _truncate(path)
    assert checkpoint_damage(path).startswith('is truncated or not a zip archive')
    open(path, 'wb').close()
    assert checkpoint_damage(path).startswith('is truncated or not a zip archive (0 bytes)')


def test_flipped_bytes_fail_the_crc_check(tmp_path):
    work_dir = _work_dir(tmp_path, epochs=(1, ))
    path = osp.join(work_dir, 'epoch_1.pth')
    data = bytearray(open(path, 'rb').read())
    at = data.index(torch.full((64, ), 1).numpy().tobytes())  # the tensor's storage record
    data[at:at + 8] = b'\xff' * 8
    open(path, 'wb').write(bytes(data))
    assert 'CRC' in checkpoint_damage(path)


def test_intact_last_checkpoint_is_used(tmp_path):
    work_dir = _work_dir(tmp_path)
    assert select_resume_checkpoint(work_dir) == osp.join(work_dir, 'epoch_3.pth')


def test_no_last_checkpoint_starts_afresh_as_mmengine(tmp_path):
    work_dir = _work_dir(tmp_path)
    os.remove(osp.join(work_dir, 'last_checkpoint'))
    assert select_resume_checkpoint(work_dir) is None


def test_torn_last_checkpoint_falls_back_to_newest_intact(tmp_path, capsys):
    work_dir = _work_dir(tmp_path)
    _truncate(osp.join(work_dir, 'epoch_3.pth'))
    assert select_resume_checkpoint(work_dir) == osp.join(work_dir, 'epoch_2.pth')
    out = capsys.readouterr()
    printed = out.out + out.err
    assert f'"{work_dir}/epoch_3.pth" (named by last_checkpoint) is truncated' in printed
    # quiet when asked (the ranks other than 0)
    assert select_resume_checkpoint(work_dir, verbose=False) == osp.join(work_dir, 'epoch_2.pth')
    assert 'epoch_3' not in ''.join(capsys.readouterr())


def test_epoch_10_is_newer_than_epoch_9_and_empty_pointer_falls_back(tmp_path):
    work_dir = _work_dir(tmp_path, epochs=(9, 10))
    assert numbered_checkpoints(work_dir) == [
        osp.join(work_dir, 'epoch_10.pth'),
        osp.join(work_dir, 'epoch_9.pth')
    ]
    open(osp.join(work_dir, 'last_checkpoint'), 'w').close()  # killed while writing it
    assert select_resume_checkpoint(work_dir, verbose=False) == osp.join(work_dir, 'epoch_10.pth')


def test_nothing_intact_names_every_file(tmp_path):
    work_dir = _work_dir(tmp_path, epochs=(1, 2))
    for epoch in (1, 2):
        _truncate(osp.join(work_dir, f'epoch_{epoch}.pth'), keep=0.3)
    with pytest.raises(ResumeError) as error:
        select_resume_checkpoint(work_dir)
    message = str(error.value)
    assert message.startswith(f'--resume: no intact checkpoint in {work_dir}: ')
    assert 'epoch_2.pth" is truncated' in message and 'epoch_1.pth" is truncated' in message


def test_explicit_damaged_checkpoint_is_refused(tmp_path):
    work_dir = _work_dir(tmp_path, epochs=(1, 2))
    path = osp.join(work_dir, 'epoch_1.pth')
    _truncate(path)
    with pytest.raises(ResumeError, match='--resume .*epoch_1.pth: the checkpoint is trunc'):
        select_resume_checkpoint(work_dir, path)
    good = osp.join(work_dir, 'epoch_2.pth')
    assert select_resume_checkpoint(work_dir, good) == good


@pytest.mark.parametrize('rank', ['0', '1'])
def test_apply_resume_exits_with_one_message(tmp_path, monkeypatch, rank):
    work_dir = _work_dir(tmp_path, epochs=(1, ))
    _truncate(osp.join(work_dir, 'epoch_1.pth'))
    monkeypatch.setenv('RANK', rank)
    cfg = Config(dict(work_dir=work_dir, launcher='pytorch'))
    with pytest.raises(SystemExit) as exit_info:
        apply_resume(cfg, 'auto')
    if rank == '0':
        assert exit_info.value.code.startswith('train.py: error: --resume: no intact')
    else:
        assert exit_info.value.code == 1  # quiet: the message is rank 0's


def test_apply_resume_sets_the_config_and_removes_partial_files(tmp_path, monkeypatch):
    work_dir = _work_dir(tmp_path, epochs=(1, 2))
    _truncate(osp.join(work_dir, 'epoch_2.pth'))
    partial = osp.join(work_dir, '.epoch_2.pth.123-abcdef01.partial')
    open(partial, 'wb').close()
    monkeypatch.delenv('RANK', raising=False)
    cfg = Config(dict(work_dir=work_dir, launcher='none', resume=False, load_from='x.pth'))
    assert apply_resume(cfg, 'auto') == osp.join(work_dir, 'epoch_1.pth')
    assert cfg.resume is True and cfg.load_from == osp.join(work_dir, 'epoch_1.pth')
    assert not osp.exists(partial)
