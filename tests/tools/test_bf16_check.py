# Copyright (c) SATracker authors. Licensed under the Apache License 2.0.
"""tools/analysis_tools/bf16_check.py agreement on real videos (--video)."""
import os
import os.path as osp

import pytest
from tool_loading import load_tool

from satracker.models.trackers.satracker import bf16_supported

SATRACKER_DEMO = 'configs/demo/satracker_tiny-minilm_2xb8_synthetic.py'


@pytest.fixture(scope='module')
def videos(tmp_path_factory):
    from satracker_data.synthetic_vl import make_synthetic_vl
    out = str(tmp_path_factory.mktemp('vl'))
    make_synthetic_vl(
        out, train_videos=1, test_videos=2, num_frames=16, width=320, height=240, write_infos=False)
    test_dir = osp.join(out, 'test')
    return [osp.join(test_dir, name) for name in sorted(os.listdir(test_dir))]


def _agreement(repo_root, videos):
    check = load_tool(repo_root, 'tools/analysis_tools/bf16_check.py')
    return check.main(['agreement', osp.join(repo_root, SATRACKER_DEMO), '--video', *videos])


def test_agreement_on_videos_is_exact_when_both_run_fp32(repo_root, videos, monkeypatch):
    # Without native bf16 the 'bf16' tracker falls back to fp32: started from the same box
    # on every frame, it must give the very same boxes.
    from satracker.models.trackers import satracker
    monkeypatch.setattr(satracker, 'bf16_supported', lambda device_type: False)
    with pytest.warns(RuntimeWarning, match='runs in fp32 instead'):
        result = _agreement(repo_root, videos)
    assert result['frames'] == 2 * 15  # every frame after the first, of both videos
    assert result['bf16_native'] is False
    assert result['mean_iou'] == result['min_iou'] == 1.0
    assert result['max_abs_diff_px'] == 0.0


@pytest.mark.skipif(not bf16_supported('cpu'), reason='needs a CPU with native bf16')
def test_agreement_on_videos_in_bf16_stays_close(repo_root, videos):
    result = _agreement(repo_root, videos)
    assert result['bf16_native'] is True
    assert result['frames'] == 30
    assert 0.5 < result['min_iou'] <= result['mean_iou'] <= 1.0


def test_agreement_refuses_a_folder_without_frames(repo_root, tmp_path):
    check = load_tool(repo_root, 'tools/analysis_tools/bf16_check.py')
    with pytest.raises(SystemExit, match='needs imgs/ with at least 2 frames'):
        check.main(['agreement', osp.join(repo_root, SATRACKER_DEMO), '--video', str(tmp_path)])
