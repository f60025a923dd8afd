# Copyright (c) SATracker authors. Licensed under the Apache License 2.0.
"""Two gloo CPU processes, each with its own videos, give the numbers of one process."""
import json
import os
import os.path as osp
import subprocess
import sys

import numpy as np

from satracker.evaluation.metrics import VLSOTMetric

# five videos (x, y, w, h) and one function feeding a shard of them to a metric
COMMON = r'''
import numpy as np
import torch


def make_videos():
    rng = np.random.default_rng(0)
    videos = []
    for v in range(5):
        n = 20 + 7 * v
        gt = np.abs(rng.normal(100, 30, (n, 4))) + 5
        videos.append((v, gt, gt + rng.normal(0, 6, (n, 4))))
    return videos


def feed(metric, videos):
    def to_xyxy(b):
        return [b[0], b[1], b[0] + b[2], b[1] + b[3]]
    for v, gt, pred in videos:
        for i in range(len(gt)):
            metric.process({}, [dict(
                pred_track_instances=dict(bboxes=torch.tensor([to_xyxy(pred[i])])),
                instances=[dict(bbox=np.array(to_xyxy(gt[i])), visible=True)],
                frame_id=i, video_id=v, video_length=len(gt),
                img_path=f'data/x/video_{v}/imgs/{i:05d}.jpg')])
'''

SCRIPT = COMMON + r'''
import json
import sys

import torch.distributed as dist
from satracker.evaluation.metrics import VLSOTMetric

dist.init_process_group('gloo')
rank, world = dist.get_rank(), dist.get_world_size()
metric = VLSOTMetric(out_dir=sys.argv[1] if rank == 0 else None)
feed(metric, make_videos()[rank::world])          # shard the videos across ranks
res = metric.evaluate(0)
with open(sys.argv[2] + f'.{rank}', 'w') as f:
    json.dump(res, f)
dist.destroy_process_group()
'''


def test_two_cpu_processes_match_one(tmp_path):
    ns = {}
    exec(COMMON, ns)
    single = VLSOTMetric()
    ns['feed'](single, ns['make_videos']())
    one = single.evaluate(0)

    script = tmp_path / 'run_metric.py'
    script.write_text(SCRIPT)
    repo = osp.dirname(osp.dirname(osp.dirname(osp.abspath(__file__))))
    env = dict(os.environ)
    env['PYTHONPATH'] = osp.join(repo, 'projects') + os.pathsep + env.get('PYTHONPATH', '')
    env['OMP_NUM_THREADS'] = '1'
    cmd = [
        sys.executable, '-m', 'torch.distributed.run', '--nproc_per_node=2', '--master_port',
        '29617',
        str(script),
        str(tmp_path / 'out'),
        str(tmp_path / 'res')
    ]
    done = subprocess.run(cmd, cwd=tmp_path, env=env, capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stderr[-3000:]
    two = [json.loads((tmp_path / f'res.{r}').read_text()) for r in range(2)]
    assert two[0] == two[1] == one  # every rank gets rank 0's numbers
    assert set(one) == {'vlsot/success', 'vlsot/norm_precision', 'vlsot/precision'}
    written = [f'video_{v}.txt' for v in range(5)] + ['vl_sot_curves.npz', 'vl_sot_eval.json']
    assert sorted(os.listdir(tmp_path / 'out')) == sorted(written)
    assert np.isfinite(list(one.values())).all()
