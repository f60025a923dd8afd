# Copyright (c) SATracker authors. Licensed under the Apache License 2.0.
"""Compare trackers: one table and the success / precision plots of tracker results.

Used by ``tools/analysis_tools/compare_trackers.py`` and by the demo::

    from satracker.evaluation.plots import format_results_table, plot_all
    from satracker.evaluation.result_files import load_tracker_result
    results = [load_tracker_result('work_dirs/demo/satracker/results', 'SATracker'),
               load_tracker_result('work_dirs/demo/stark/results', 'STARK')]
    print(format_results_table(results))
    plot_all(results, 'work_dirs/demo/plots')

A tracker result is the dict of :func:`~satracker.evaluation.result_files.load_tracker_result`
(which this module re-exports, with the result-file constants, for older imports); reading
and writing result folders is :mod:`satracker.evaluation.result_files`' job, scoring is
:mod:`satracker.evaluation.functional`'s.

matplotlib is imported (with the Agg backend) only when a plot is drawn.
"""
import os
import os.path as osp
from typing import Dict, Optional, Sequence

# Re-exported: older code imports these names from here (tools/run_demo.py among others).
# yapf: disable  (isort wraps this import; yapf would move the noqa comment)
from .result_files import (CURVES_NPZ, RESULTS_JSON, load_boxes_txt, load_flags_txt,  # noqa: F401
                           load_tracker_result)

# yapf: enable

__all__ = [
    'format_results_table', 'plot_curves', 'plot_all', 'load_tracker_result', 'load_boxes_txt',
    'load_flags_txt', 'RESULTS_JSON', 'CURVES_NPZ'
]


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
        row = [str(r['name'])
               ] + [f'{r[k]:.{digits}f}' for k in ('success', 'norm_precision', 'precision')]
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


_STYLES = [('#d62728', '-'), ('#1f77b4', '-'), ('#2ca02c', '-'), ('#ff7f0e', '-'), ('#9467bd', '-'),
           ('#8c564b', '--'), ('#e377c2', '--'), ('#7f7f7f', '--'), ('#bcbd22', '--'),
           ('#17becf', '--'), ('#000000', '-.'), ('#aec7e8', '-.')]

# yapf: disable
_PLOT_OPTS = dict(
    success=dict(title='Success plot', xlabel='Overlap threshold', ylabel='Success rate [%]',
                 xlim=(0, 1), legend='lower left', score='success'),
    precision=dict(title='Precision plot', xlabel='Location error threshold [pixels]',
                   ylabel='Precision [%]', xlim=(0, 50), legend='lower right',
                   score='precision'),
    norm_precision=dict(title='Normalized precision plot',
                        xlabel='Normalized location error threshold',
                        ylabel='Normalized precision [%]', xlim=(0, 0.5), legend='lower right',
                        score='norm_precision'))
# yapf: enable


def plot_curves(results: Sequence[dict],
                kind: str,
                out_file: str,
                title: Optional[str] = None,
                dpi: int = 150) -> str:
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
        ax.plot(
            r['thresholds'][kind],
            r['curves'][kind],
            color=color,
            linestyle=style,
            linewidth=2.0,
            label=f'[{r[opts["score"]]:.1f}] {r["name"]}')
    ax.set(
        xlabel=opts['xlabel'],
        ylabel=opts['ylabel'],
        xlim=opts['xlim'],
        ylim=(0, 100),
        title=title or opts['title'])
    ax.grid(True, linestyle=':', color='k', alpha=0.6)
    ax.legend(loc=opts['legend'], fancybox=False, edgecolor='black', framealpha=1.0)
    fig.tight_layout()
    os.makedirs(osp.dirname(osp.abspath(out_file)), exist_ok=True)
    fig.savefig(out_file, dpi=dpi)
    plt.close(fig)
    return out_file


def plot_all(results: Sequence[dict],
             out_dir: str,
             prefix: str = '',
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
        kind:
        plot_curves(
            results,
            kind,
            osp.join(out_dir, f'{prefix}{kind}_plot.png'),
            title=_PLOT_OPTS[kind]['title'] + title_suffix)
        for kind in kinds
    }
