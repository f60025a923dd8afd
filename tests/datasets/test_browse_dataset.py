# Copyright (c) SATracker authors. Licensed under the Apache License 2.0.
"""tools/analysis_tools/browse_dataset.py saves training samples with their sentence."""
import os.path as osp
import sys

import cv2

from satracker_data.synthetic_vl import make_synthetic_vl

REPO = osp.dirname(osp.dirname(osp.dirname(osp.abspath(__file__))))
sys.path.insert(0, osp.join(REPO, 'tests', 'tools'))
from tool_loading import load_tool  # noqa: E402


def test_browse_dataset_saves_samples(tmp_path, capsys):
    data = str(tmp_path / 'syn')
    make_synthetic_vl(data, train_videos=2, test_videos=0, num_frames=12, seed=1)
    tool = load_tool(REPO, 'tools/analysis_tools/browse_dataset.py')
    out_dir = str(tmp_path / 'browse')
    tool.main([
        osp.join(REPO, 'configs', '_base_', 'datasets', 'synthetic_vl.py'), '--output-dir', out_dir,
        '--num-samples', '3', '--cfg-options', f'train_dataloader.dataset.data_root={data}'
    ])
    saved = capsys.readouterr().out.split()
    assert len(saved) == 3
    img = cv2.imread(saved[0])
    # Template (128) and search (320) side by side, text panel below.
    assert img.shape[1] >= 128 + 320 and img.shape[0] > 320
    assert (img[330:, :, :] == 255).mean() > 0.5  # the white text panel
