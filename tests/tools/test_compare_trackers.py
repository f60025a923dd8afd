# Copyright (c) SATracker authors. Licensed under the Apache License 2.0.
"""tools/analysis_tools/compare_trackers.py on two fake result folders."""
import json
import os
import os.path as osp
import subprocess
import sys

import cv2
import numpy as np
import pytest
from tool_loading import load_tool

from satracker.evaluation.functional import vl_sot_eval
from satracker.evaluation.metrics import VLSOTMetric
from satracker.evaluation.plots import format_results_table, plot_all
from satracker.evaluation.result_files import load_tracker_result, write_boxes_txt

BOX = [10., 10, 20, 20]


def _load_tool(repo_root):
    return load_tool(repo_root, 'tools/analysis_tools/compare_trackers.py')


def _videos():
    gts = {'car_1': np.array([BOX] * 5), 'dog_2': np.array([[50., 60, 40, 30]] * 4)}
    good = {'car_1': np.array([BOX] * 5), 'dog_2': gts['dog_2'].copy()}
    bad = {'car_1': gts['car_1'] + [3, 4, 0, 0], 'dog_2': np.array([[500., 500, 40, 30]] * 4)}
    return gts, good, bad


def _metric_dir(tmp_path, name, preds, gts):
    """A result folder exactly as VLSOTMetric writes it."""
    out = tmp_path / name
    metric = VLSOTMetric(out_dir=str(out), tracker_name=name)
    for vid, (video, gt) in enumerate(gts.items()):
        n = len(gt)
        for i in range(n):
            x, y, w, h = preds[video][i]
            gx, gy, gw, gh = gt[i]
            metric.process({}, [
                dict(
                    pred_track_instances=dict(bboxes=np.array([[x, y, x + w, y + h]])),
                    instances=[dict(bbox=np.array([gx, gy, gx + gw, gy + gh]), visible=True)],
                    frame_id=i,
                    video_id=vid,
                    video_length=n,
                    img_path=f'data/x/{video}/imgs/{i:05d}.jpg')
            ])
    metric.evaluate(1)
    return str(out)


def test_table_and_plots_from_metric_folders(tmp_path, repo_root, capsys):
    gts, good, bad = _videos()
    dir_a = _metric_dir(tmp_path, 'TrackerA', good, gts)
    dir_b = _metric_dir(tmp_path, 'TrackerB', bad, gts)
    out = tmp_path / 'cmp'
    tool = _load_tool(repo_root)
    tool.main([dir_a, dir_b, '--names', 'SATracker', 'STARK', '--out', str(out)])
    printed = capsys.readouterr().out
    lines = printed.splitlines()
    assert [c.strip() for c in lines[0].split('|')[1:-1]] == \
        ['Tracker', 'SUC', 'NPRE', 'PRE', 'ms/frame']
    # by hand: A perfect (95.2 / 100 / 100); B: car_1 AUC 12.8/21, NPRE 0.2, PRE 1;
    # dog_2 lost (1/4): AUC (0.25 * 20/21), NPRE 0.25, PRE 0.25
    suc_b = 100 * (12.8 / 21 + 0.25 * 20 / 21) / 2
    row_a = [c.strip() for c in lines[2].split('|')[1:-1]]
    row_b = [c.strip() for c in lines[3].split('|')[1:-1]]
    assert row_a[:4] == ['SATracker', '95.2', '100.0', '100.0']
    assert row_b[:4] == ['STARK', f'{suc_b:.1f}', '22.5', '62.5']
    for kind in ('success', 'precision', 'norm_precision'):
        img = cv2.imread(str(out / f'{kind}_plot.png'))
        assert img is not None and img.shape[0] > 200 and img.shape[1] > 300
    assert (out / 'results.md').read_text().strip() == '\n'.join(lines[:4])


def test_gt_dir_rescoring_matches_the_function(tmp_path, repo_root, capsys):
    gts, good, bad = _videos()
    gt_dir, res_dir = tmp_path / 'gt', tmp_path / 'raw_results'
    os.makedirs(gt_dir)
    os.makedirs(res_dir)
    for video, gt in gts.items():
        write_boxes_txt(str(gt_dir / f'{video}.txt'), gt)
        write_boxes_txt(str(res_dir / f'{video}.txt'), bad[video])
    ref = vl_sot_eval([bad['car_1'], bad['dog_2']], [gts['car_1'], gts['dog_2']])
    result = load_tracker_result(str(res_dir), 'B', gt_dir=str(gt_dir))
    assert result['success'] == pytest.approx(ref['success'])
    assert result['norm_precision'] == pytest.approx(ref['norm_precision'])
    assert result['ms_per_frame'] is None
    # absent flags: dog_2 frames 1..3 absent -> still 1/4 there; car_1 unchanged
    absent = tmp_path / 'absent'
    os.makedirs(absent)
    (absent / 'car_1.txt').write_text('0\n0\n0\n0\n0\n')
    (absent / 'dog_2.txt').write_text('0\n1\n1\n1\n')
    tool = _load_tool(repo_root)
    tool.main([
        str(res_dir), '--gt-dir',
        str(gt_dir), '--absent-dir',
        str(absent), '--out',
        str(tmp_path / 'cmp'), '--protocol', 'tnl2k_official'
    ])
    printed = capsys.readouterr().out
    assert 'ms/frame' not in printed.splitlines()[0]
    assert 'raw_results' in printed


def test_errors_are_clear(tmp_path, repo_root):
    tool = _load_tool(repo_root)
    empty = tmp_path / 'empty'
    os.makedirs(empty)
    with pytest.raises(SystemExit, match='vl_sot_eval.json not found'):
        tool.main([str(empty), '--out', str(tmp_path / 'o')])
    with pytest.raises(SystemExit):
        tool.main([str(empty), '--names', 'a', 'b', '--out', str(tmp_path / 'o')])


def test_importable_api(tmp_path):
    gts, good, bad = _videos()
    dir_a = _metric_dir(tmp_path, 'A', good, gts)
    result = load_tracker_result(dir_a)
    assert result['name'] == 'A' and result['num_videos'] == 2
    with open(osp.join(dir_a, 'vl_sot_eval.json')) as f:
        assert json.load(f)['ms_per_frame'] is not None
    result['ms_per_frame'] = 12.345
    table = format_results_table([result])
    assert '12.3' in table and table.count('\n') == 2
    paths = plot_all([result], str(tmp_path / 'plots'), prefix='demo_', kinds=('success', ))
    assert osp.isfile(paths['success']) and paths['success'].endswith('demo_success_plot.png')


def test_cli_help(repo_root):
    env = dict(os.environ)
    env['PYTHONPATH'] = osp.join(repo_root, 'projects') + os.pathsep + env.get('PYTHONPATH', '')
    done = subprocess.run([sys.executable, 'tools/analysis_tools/compare_trackers.py', '--help'],
                          cwd=repo_root,
                          capture_output=True,
                          text=True,
                          timeout=300,
                          env=env)
    assert done.returncode == 0, done.stderr
    assert '--gt-dir' in done.stdout and '--names' in done.stdout
