# Copyright (c) SATracker authors. Licensed under the Apache License 2.0.
"""Compare trackers: load what :class:`VLSOTMetric` wrote, print one table, draw the plots.

Used by ``tools/analysis_tools/compare_trackers.py`` and by the demo::

    from satracker.evaluation.plots import (format_results_table, load_tracker_result,
                                            plot_all)
    results = [load_tracker_result('work_dirs/demo/satracker/results', 'SATracker'),
               load_tracker_result('work_dirs/demo/stark/results', 'STARK')]
    print(format_results_table(results))
    plot_all(results, 'work_dirs/demo/plots')

A tracker result is a dict with ``name``, ``success``, ``norm_precision``, ``precision``
(%), ``ms_per_frame`` (float or None), ``protocol``, ``num_videos``, ``video_names``,
``curves`` and ``thresholds`` (dicts with keys ``success``, ``precision``, ``norm_precision``;
curves in %).

matplotlib is imported (with the Agg backend) only when a plot is drawn.
"""
import glob
import json
import os
import os.path as osp
import re
from typing import Dict, List, Optional, Sequence

import numpy as np

from .functional.vl_sot_eval import PROTOCOLS, vl_sot_eval

#: File names that :class:`VLSOTMetric` writes next to the ``<video>.txt`` files.
RESULTS_JSON = 'vl_sot_eval.json'
CURVES_NPZ = 'vl_sot_curves.npz'
_CURVE_KEYS = ('success', 'precision', 'norm_precision')


def load_boxes_txt(path: str) -> np.ndarray:
    """Read boxes, one frame per line, numbers separated by commas, tabs or spaces.

    Args:
        path (str): A ``<video>.txt`` file (``x,y,w,h`` per line; ``NaN`` allowed).

    Returns:
        np.ndarray: (N, 4) float64.
    """
    rows = []
    with open(path) as f:
        for line in f:
            line = line.strip()
            if not line:
                continue
            rows.append([float(v) for v in re.split(r'[,\t ]+', line)][:4])
    return np.asarray(rows, dtype=np.float64).reshape(-1, 4)


def load_flags_txt(path: str) -> np.ndarray:
    """Read 0/1 flags (one per frame, separated by newlines or commas) as a bool array."""
    with open(path) as f:
        values = [v for v in re.split(r'[,\s]+', f.read().strip()) if v]
    return np.asarray([float(v) != 0 for v in values], dtype=bool)


def _result_from_eval(name: str, ev: dict, video_names: List[str],
                      ms_per_frame: Optional[float]) -> dict:
    return dict(
        name=name,
        success=float(ev['success']),
        norm_precision=float(ev['norm_precision']),
        precision=float(ev['precision']),
        ms_per_frame=ms_per_frame,
        protocol=ev['protocol'],
        num_videos=len(video_names),
        video_names=list(video_names),
        curves={k: np.asarray(ev[f'{k}_curve'], dtype=np.float64) for k in _CURVE_KEYS},
        thresholds={k: np.asarray(ev[f'{k}_thresholds'], dtype=np.float64)
                    for k in _CURVE_KEYS})


def load_tracker_result(result_dir: str,
                        name: Optional[str] = None,
                        gt_dir: Optional[str] = None,
                        absent_dir: Optional[str] = None,
                        protocol: Optional[str] = None) -> dict:
    """Load (or compute) the scores and mean curves of one tracker.

    Without ``gt_dir`` the numbers and curves come from the ``vl_sot_eval.json`` that
    :class:`VLSOTMetric` wrote in ``result_dir`` (no ground truth needed). With ``gt_dir``
    they are computed from ``<result_dir>/<video>.txt`` against ``<gt_dir>/<video>.txt`` for
    every ``.txt`` in ``gt_dir`` (boxes ``x, y, w, h``), with
    :func:`~satracker.evaluation.functional.vl_sot_eval`.

    Args:
        result_dir (str): A folder written by ``VLSOTMetric`` (or any folder of
            ``<video>.txt`` predictions when ``gt_dir`` is given).
        name (str, optional): Display name; defaults to the JSON's ``tracker_name``, else the
            folder name.
        gt_dir (str, optional): Folder of ``<video>.txt`` ground-truth files.
        absent_dir (str, optional): Folder of ``<video>.txt`` 0/1 flags, 1 = target absent
            (the LaSOT/TNL2K toolkits' ``absent`` files); absent frames are misses. Only with
            ``gt_dir``.
        protocol (str, optional): Protocol for ``gt_dir`` scoring (default ``'pytracking'``);
            with the JSON it must match the stored one if given.

    Returns:
        dict: A tracker result (see the module docstring).
    """
    json_path = osp.join(result_dir, RESULTS_JSON)
    stored = None
    if osp.isfile(json_path):
        with open(json_path) as f:
            stored = json.load(f)
    default_name = (stored or {}).get('tracker_name') or osp.basename(osp.normpath(result_dir))
    name = name or default_name
    if gt_dir is None:
        if stored is None:
            raise FileNotFoundError(
                f'{json_path} not found: point to a folder written by VLSOTMetric(out_dir=...) '
                'or pass --gt-dir with <video>.txt ground-truth files')
        if protocol is not None and protocol != stored['protocol']:
            raise ValueError(f'{json_path} was scored with protocol {stored["protocol"]!r}, '
                             f'not {protocol!r}; pass --gt-dir to rescore')
        ev = dict(success=stored['success'], norm_precision=stored['norm_precision'],
                  precision=stored['precision'], protocol=stored['protocol'])
        for k in _CURVE_KEYS:
            ev[f'{k}_curve'] = stored['curves'][k]
            ev[f'{k}_thresholds'] = stored['thresholds'][k]
        video_names = [v['name'] for v in stored.get('videos', [])]
        return _result_from_eval(name, ev, video_names, stored.get('ms_per_frame'))

    protocol = protocol or 'pytracking'
    if protocol not in PROTOCOLS:
        raise ValueError(f'protocol must be one of {PROTOCOLS}, got {protocol!r}')
    gt_files = sorted(glob.glob(osp.join(gt_dir, '*.txt')))
    if not gt_files:
        raise FileNotFoundError(f'no <video>.txt ground-truth files in {gt_dir}')
    video_names = [osp.splitext(osp.basename(p))[0] for p in gt_files]
    missing = [v for v in video_names if not osp.isfile(osp.join(result_dir, f'{v}.txt'))]
    if missing:
        raise FileNotFoundError(f'{len(missing)} videos of {gt_dir} have no result in '
                                f'{result_dir}: {missing[:5]}')
    preds = [load_boxes_txt(osp.join(result_dir, f'{v}.txt')) for v in video_names]
    gts = [load_boxes_txt(p) for p in gt_files]
    visible = None
    if absent_dir is not None:
        visible = [~load_flags_txt(osp.join(absent_dir, f'{v}.txt')) for v in video_names]
    ev = vl_sot_eval(preds, gts, visible, protocol=protocol, video_names=video_names)
    return _result_from_eval(name, ev, video_names, (stored or {}).get('ms_per_frame'))


def format_results_table(results: Sequence[dict], digits: int = 1) -> str:
    """One Markdown table: ``Tracker | SUC | NPRE | PRE`` (+ ``ms/frame`` when any has it).

    Args:
        results (Sequence[dict]): Tracker results, in the order to print.
        digits (int): Decimals of the scores.

    Returns:
        str: The table (no trailing newline).
    """
    with_speed = any(r.get('ms_per_frame') is not None for r in results)
    header = ['Tracker', 'SUC', 'NPRE', 'PRE'] + (['ms/frame'] if with_speed else [])
    rows = []
    for r in results:
        row = [str(r['name'])] + [f'{r[k]:.{digits}f}'
                                  for k in ('success', 'norm_precision', 'precision')]
        if with_speed:
            ms = r.get('ms_per_frame')
            row.append('-' if ms is None else f'{ms:.1f}')
        rows.append(row)
    widths = [max(len(h), *(len(row[i]) for row in rows)) for i, h in enumerate(header)]

    def line(cells):
        return '| ' + ' | '.join(
            c.ljust(w) if i == 0 else c.rjust(w)
            for i, (c, w) in enumerate(zip(cells, widths))) + ' |'

    sep = '|' + '|'.join('-' * (w + 1) + (':' if i else '-') for i, w in enumerate(widths)) + '|'
    return '\n'.join([line(header), sep] + [line(row) for row in rows])


_STYLES = [('#d62728', '-'), ('#1f77b4', '-'), ('#2ca02c', '-'), ('#ff7f0e', '-'),
           ('#9467bd', '-'), ('#8c564b', '--'), ('#e377c2', '--'), ('#7f7f7f', '--'),
           ('#bcbd22', '--'), ('#17becf', '--'), ('#000000', '-.'), ('#aec7e8', '-.')]

_PLOT_OPTS = dict(
    success=dict(title='Success plot', xlabel='Overlap threshold', ylabel='Success rate [%]',
                 xlim=(0, 1), legend='lower left', score='success'),
    precision=dict(title='Precision plot', xlabel='Location error threshold [pixels]',
                   ylabel='Precision [%]', xlim=(0, 50), legend='lower right',
                   score='precision'),
    norm_precision=dict(title='Normalized precision plot', xlabel='Normalized location error '
                        'threshold', ylabel='Normalized precision [%]', xlim=(0, 0.5),
                        legend='lower right', score='norm_precision'))


def plot_curves(results: Sequence[dict], kind: str, out_file: str,
                title: Optional[str] = None, dpi: int = 150) -> str:
    """Draw one plot in the style of the tracking papers and save it as PNG (or PDF).

    Curves are drawn best first with the legend ``[score] name``, the score being the AUC for
    the success plot and the reported point (or the protocol's score) for precision plots.

    Args:
        results (Sequence[dict]): Tracker results.
        kind (str): ``'success'``, ``'precision'`` or ``'norm_precision'``.
        out_file (str): Output file; its extension picks the format.
        title (str, optional): Plot title; defaults to e.g. ``'Success plot'``.
        dpi (int): Resolution.

    Returns:
        str: ``out_file``.
    """
    if kind not in _PLOT_OPTS:
        raise ValueError(f'kind must be one of {tuple(_PLOT_OPTS)}, got {kind!r}')
    import matplotlib
    matplotlib.use('Agg')
    import matplotlib.pyplot as plt

    opts = _PLOT_OPTS[kind]
    order = sorted(range(len(results)), key=lambda i: -results[i][opts['score']])
    fig, ax = plt.subplots(figsize=(6.4, 4.8))
    for rank, i in enumerate(order):
        r = results[i]
        color, style = _STYLES[rank % len(_STYLES)]
        ax.plot(r['thresholds'][kind], r['curves'][kind], color=color, linestyle=style,
                linewidth=2.0, label=f'[{r[opts["score"]]:.1f}] {r["name"]}')
    ax.set(xlabel=opts['xlabel'], ylabel=opts['ylabel'], xlim=opts['xlim'], ylim=(0, 100),
           title=title or opts['title'])
    ax.grid(True, linestyle=':', color='k', alpha=0.6)
    ax.legend(loc=opts['legend'], fancybox=False, edgecolor='black', framealpha=1.0)
    fig.tight_layout()
    os.makedirs(osp.dirname(osp.abspath(out_file)), exist_ok=True)
    fig.savefig(out_file, dpi=dpi)
    plt.close(fig)
    return out_file


def plot_all(results: Sequence[dict], out_dir: str, prefix: str = '',
             kinds: Sequence[str] = ('success', 'precision', 'norm_precision'),
             title_suffix: str = '') -> Dict[str, str]:
    """Draw the success, precision and normalised-precision plots as PNGs in ``out_dir``.

    Args:
        results (Sequence[dict]): Tracker results.
        out_dir (str): Output folder (created).
        prefix (str): File-name prefix, e.g. ``'tnl2k_'``.
        kinds (Sequence[str]): Which plots.
        title_suffix (str): Appended to each title, e.g. ``' on TNL2K'``.

    Returns:
        dict: ``kind -> path`` (``<out_dir>/<prefix><kind>_plot.png``).
    """
    os.makedirs(out_dir, exist_ok=True)
    return {
        kind: plot_curves(results, kind, osp.join(out_dir, f'{prefix}{kind}_plot.png'),
                          title=_PLOT_OPTS[kind]['title'] + title_suffix)
        for kind in kinds
    }
