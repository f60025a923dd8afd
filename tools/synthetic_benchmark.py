# Copyright (c) SATracker authors. Licensed under the Apache License 2.0.
"""The ``make demo`` pipeline: synthetic VL data -> train 3 trackers -> test -> one table.

Steps (each a progress bar; full logs in its folder under the work dir):

1. generate the synthetic vision-language set of the seed in TNL2K layout
   (``data/synthetic_vl`` for seed 0, ``data/synthetic_vl_seed<S>`` otherwise);
2. train each tracker of :data:`TRACKERS` with ``tools/dist_train.sh CONFIG 2`` (two CPU
   processes, gloo) on the same data with the same budget;
3. publish each last checkpoint weights-only and test it with ``tools/test.py`` on the test
   videos (VLSOTMetric, pytracking protocol); the trained SATracker is also tested with its
   sentence removed and with the wrong sentence (the crossing look-alike's), the two checks
   that its score comes from reading the sentence;
4. write one table (``results.md``), the success / precision plots and one clip of a test
   video (GT, prediction, sentence, matching map) in the work dir.

A step is reused when the inputs it was made from are unchanged: the resolved config and
options, the data (a hash of its files), the package source and the library versions
(``step.json`` in each step's folder). ``--force`` redoes everything.

Usage:
    python tools/synthetic_benchmark.py [--seed 0] [--work-dir work_dirs/demo] [--procs 2]
        [--only satracker,wo-sam,stark] [--precision auto|bf16|fp32] [--val] [--force]
"""
import argparse
import glob
import hashlib
import json
import os
import os.path as osp
import re
import shutil
import subprocess
import sys
import time
from typing import Dict, List, Optional, Sequence

ROOT = osp.dirname(osp.dirname(osp.abspath(__file__)))

#: The trackers of the table: (name, key for --only, config, trained by, test variant).
#: A row without its own training tests the checkpoint of the row named in "trained by".
TRACKERS = (
    ('SATracker', 'satracker', 'configs/demo/satracker_tiny-minilm_2xb8_synthetic.py', None),
    ('SATracker w/o SAM', 'wo-sam', 'configs/demo/satracker_tiny-minilm-wo-sam_2xb8_synthetic.py',
     None),
    ('STARK-ST1', 'stark', 'configs/demo/stark-st1_tiny-r18_2xb8_synthetic.py', None),
    ('SATracker, sentence removed', 'satracker',
     'configs/demo/satracker_tiny-minilm_2xb8_synthetic_sentence-removed.py', 'SATracker'),
    ('SATracker, wrong sentence', 'satracker',
     'configs/demo/satracker_tiny-minilm_2xb8_synthetic_wrong-sentence.py', 'SATracker'),
)

#: The synthetic set: videos per split, frames per video, and the generator's fade-in share
#: and mode weights. Our choices for the demo (docs/demo.md): every video fades in from grey,
#: so the first box shows the target's shape but not its colour and the sentence is what names
#: it, and colour videos (where that matters) are drawn three times as often as shape or
#: position videos (both judged on the validation videos); 24 test videos (chosen beforehand),
#: so that a row's score is less at the mercy of a few videos.
DATA = dict(train_videos=24, test_videos=24, frames=60, fade_prob=1.0, mode_weights=(3, 1, 1))
#: The validation videos (``--val``) are drawn with this offset on the seed, never the test's.
VAL_SEED_OFFSET = 1000

LEGEND = """\
SUC: area under the success curve (mean over IoU thresholds 0..1), NPRE: precision at a
normalised centre error of 0.2, PRE: precision at 20 pixels (pytracking's protocol, in %).
ms/frame: wall time per test frame (crop + forward), one process on one thread. "sentence
removed" and "wrong sentence" are the trained SATracker tested with the empty sentence and the
sentence of the look-alike that crosses the target."""

#: Files whose content makes a step's result (besides its config and data).
SOURCE_GLOBS = ('projects/satracker/**/*.py', 'projects/satracker_data/**/*.py', 'tools/train.py',
                'tools/test.py', 'tools/dist_*.sh', 'tools/misc/publish_model.py')
LIBRARIES = ('torch', 'numpy', 'mmengine', 'mmcv', 'mmdet', 'mmtrack', 'transformers',
             'opencv-python')

_TRAIN_LINE = re.compile(r'Epoch\(train\)\s*\[(\d+)\]\[\s*(\d+)/(\d+)\].*?loss: ([\d.]+)')
_TEST_LINE = re.compile(r'Epoch\(test\)\s*\[\s*(\d+)/(\d+)\]')


def log(msg: str) -> None:
    print(f'[demo {time.strftime("%H:%M:%S")}] {msg}', flush=True)


# --------------------------------------------------------------------------- hashing
def _hash_files(paths: Sequence[str], root: str) -> str:
    h = hashlib.sha256()
    for path in sorted(paths):
        h.update(osp.relpath(path, root).encode())
        with open(path, 'rb') as f:
            h.update(hashlib.sha256(f.read()).digest())
    return h.hexdigest()


def data_hash(data_root: str) -> str:
    """A hash of every file of a data folder (names and contents)."""
    files = [
        p for p in glob.glob(osp.join(data_root, '**', '*'), recursive=True)
        if osp.isfile(p) and osp.basename(p) not in ('step.json', 'generator.json')
    ]
    if not files:
        raise FileNotFoundError(f'no data files in {data_root}')
    return _hash_files(files, data_root)


def source_hash(root: str = ROOT) -> str:
    """A hash of the package source and of the tools a step runs."""
    files = sorted({p for g in SOURCE_GLOBS for p in glob.glob(osp.join(root, g), recursive=True)})
    return _hash_files(files, root)


def library_versions() -> Dict[str, str]:
    from importlib.metadata import PackageNotFoundError, version
    out = {}
    for name in LIBRARIES:
        try:
            out[name] = version(name)
        except PackageNotFoundError:
            out[name] = 'absent'
    out['python'] = sys.version.split()[0]
    return out


def resolved_config(config: str, options: Sequence[str]) -> str:
    """The config as MMEngine resolves it (bases merged, ``--cfg-options`` applied), as JSON."""
    from mmengine.config import Config, DictAction
    cfg = Config.fromfile(osp.join(ROOT, config))
    if options:
        parser = argparse.ArgumentParser()
        parser.add_argument('--cfg-options', nargs='+', action=DictAction)
        cfg.merge_from_dict(parser.parse_args(['--cfg-options', *options]).cfg_options)
    return json.dumps(cfg.to_dict(), sort_keys=True, default=repr)


class Step:
    """A pipeline step that is redone only when its inputs changed.

    Args:
        folder (str): The step's output folder (``step.json`` records its inputs).
        inputs (dict): Everything the result depends on (JSON-serialisable).
        force (bool): Redo even when the recorded inputs match.
    """

    def __init__(self, folder: str, inputs: dict, force: bool = False):
        self.folder = folder
        self.inputs = inputs
        self.key = hashlib.sha256(json.dumps(inputs, sort_keys=True,
                                             default=repr).encode()).hexdigest()
        self.force = force

    @property
    def record(self) -> str:
        return osp.join(self.folder, 'step.json')

    def done(self) -> Optional[dict]:
        """The outputs recorded by a finished run with the same inputs, else None."""
        if self.force or not osp.isfile(self.record):
            return None
        with open(self.record) as f:
            rec = json.load(f)
        if rec.get('key') != self.key:
            return None
        outputs = rec.get('outputs', {})
        if not all(osp.exists(p) for p in outputs.values() if isinstance(p, str)):
            return None
        return outputs

    def start(self) -> None:
        shutil.rmtree(self.folder, ignore_errors=True)
        os.makedirs(self.folder)

    def finish(self, outputs: dict) -> dict:
        with open(self.record, 'w') as f:
            json.dump(
                dict(key=self.key, inputs=self.inputs, outputs=outputs), f, indent=1, default=repr)
        return outputs


# --------------------------------------------------------------------------- running
def run_with_bar(cmd: List[str],
                 log_file: str,
                 desc: str,
                 kind: str,
                 total: Optional[int] = None,
                 threads: Optional[int] = None) -> float:
    """Run a command from the repo root, its output to ``log_file``, one progress bar.

    Args:
        cmd (list[str]): The command.
        log_file (str): Where its stdout and stderr go.
        desc (str): The bar's label.
        kind (str): 'train' (bar over iterations, with the loss), 'test' (over frames) or
            'plain' (no bar).
        total (int, optional): Training iterations in all (``max_epochs`` x iterations per
            epoch); the bar learns iterations per epoch from the log.
        threads (int, optional): ``OMP_NUM_THREADS`` of the command (the tests run on one
            thread: a tiny model gains little from two, and loses much when the cores are
            shared).

    Returns:
        float: Wall time in seconds.

    Raises:
        SystemExit: When the command fails (the end of its log is printed).
    """
    from tqdm import tqdm
    env = dict(os.environ, PYTHONPATH=osp.join(ROOT, 'projects'), HF_HUB_OFFLINE='1')
    from satracker.cli import free_port
    env.setdefault('PORT', str(free_port()))  # dist_train.sh's; another run may hold 29500
    if threads:
        env['OMP_NUM_THREADS'] = str(threads)
    start = time.time()
    bar = tqdm(
        total=total,
        desc=desc,
        unit='it' if kind == 'train' else 'frame',
        dynamic_ncols=True,
        disable=kind == 'plain',
        leave=True)
    with open(log_file, 'w') as out:
        out.write('$ ' + ' '.join(cmd) + '\n')
        out.flush()
        proc = subprocess.Popen(
            cmd,
            cwd=ROOT,
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
            bufsize=1)
        for line in proc.stdout:
            out.write(line)
            if kind == 'train':
                m = _TRAIN_LINE.search(line)
                if m:
                    epoch, it, per_epoch, loss = m.groups()
                    done = (int(epoch) - 1) * int(per_epoch) + int(it)
                    bar.set_postfix_str(f'loss {float(loss):.3f}', refresh=False)
                    bar.update(done - bar.n)
            elif kind == 'test':
                m = _TEST_LINE.search(line)
                if m:
                    bar.total = int(m.group(2))
                    bar.update(int(m.group(1)) - bar.n)
        rc = proc.wait()
    if rc == 0 and bar.total:
        bar.update(bar.total - bar.n)
    bar.close()
    if rc != 0:
        with open(log_file) as f:
            tail = f.readlines()[-25:]
        print(''.join(tail), file=sys.stderr)
        raise SystemExit(f'demo: step "{desc}" failed (exit {rc}); full log: '
                         f'{osp.relpath(log_file, ROOT)}')
    return time.time() - start


def train_iterations(config: str, options: Sequence[str], procs: int) -> int:
    cfg = json.loads(resolved_config(config, options))
    loader = cfg['train_dataloader']
    per_epoch = loader['sampler']['samples_per_epoch'] // (loader['batch_size'] * procs)
    return cfg['train_cfg']['max_epochs'] * per_epoch


# --------------------------------------------------------------------------- the pipeline
def parse_args(argv=None):
    parser = argparse.ArgumentParser(
        description='SATracker demo (make demo): synthetic VL data, 3 trainings, one table')
    parser.add_argument(
        '--seed', type=int, default=0, help='seed of the data and of the trainings (default 0)')
    parser.add_argument(
        '--work-dir', default=None, help='default: work_dirs/demo (seed 0), work_dirs/demo_seed<S>')
    parser.add_argument('--procs', type=int, default=2, help='training processes')
    parser.add_argument(
        '--only', default=None, help='comma-separated subset of: satracker, wo-sam, stark')
    parser.add_argument(
        '--precision',
        choices=('fp32', 'auto', 'bf16'),
        default='fp32',
        help='training precision (default fp32: the same numbers on every '
        'CPU); auto: bf16 autocast where the CPU computes bf16 natively, else '
        'fp32; bf16: always')
    parser.add_argument(
        '--val',
        action='store_true',
        help='test on validation videos (seed + 1000) instead of the test '
        'videos: how the demo\'s settings were chosen')
    parser.add_argument('--force', action='store_true', help='redo every step')
    parser.add_argument(
        '--data-dir', default='data', help='where the synthetic sets are written (default data/)')
    for key, what in (('train_videos', 'training videos'), ('test_videos', 'test videos'),
                      ('frames', 'frames per video')):
        parser.add_argument(
            '--' + key.replace('_', '-'),
            type=int,
            default=DATA[key],
            help=f'for quick checks: {what} (the demo: %(default)s)')
    from satracker.cli import add_passed_on_cfg_options
    add_passed_on_cfg_options(parser, 'extra --cfg-options for every training and test')
    args = parser.parse_args(argv)
    keys = {t[1] for t in TRACKERS}
    if args.only:
        unknown = set(args.only.split(',')) - keys
        if unknown:
            parser.error(f'--only: unknown tracker(s) {sorted(unknown)}; choose from '
                         f'{sorted(keys)}')
    if min(args.procs, args.train_videos, args.test_videos) < 1 or args.frames < 10:
        parser.error('--procs, --train-videos and --test-videos must be >= 1, --frames >= 10')
    return args


def data_roots(seed: int, data_dir: str = 'data') -> Dict[str, str]:
    """The data folders of a seed: training + test videos, and validation videos."""
    train = 'synthetic_vl' if seed == 0 else f'synthetic_vl_seed{seed}'
    return dict(
        train=osp.join(data_dir, train),
        val=osp.join(data_dir, f'synthetic_vl_val_seed{seed + VAL_SEED_OFFSET}'))


def make_data(out: str,
              seed: int,
              train_videos: int,
              test_videos: int,
              frames: int,
              force: bool = False) -> str:
    """Generate a synthetic set unless the same generator and arguments made it; its hash."""
    gen_args = [
        '--out', out, '--train-videos',
        str(train_videos), '--test-videos',
        str(test_videos), '--frames',
        str(frames), '--seed',
        str(seed)
    ]
    if DATA['fade_prob']:
        gen_args += ['--fade-prob', str(DATA['fade_prob'])]
    if DATA['mode_weights']:
        gen_args += ['--mode-weights', *(str(w) for w in DATA['mode_weights'])]
    gen_src = _hash_files([
        osp.join(ROOT, 'tools/dataset_converters/make_synthetic_vl.py'),
        osp.join(ROOT, 'projects/satracker_data/synthetic_vl.py')
    ], ROOT)
    stamp = osp.join(ROOT, out, 'generator.json')
    want = dict(args=gen_args, generator=gen_src)
    if not force and osp.isfile(stamp):
        with open(stamp) as f:
            rec = json.load(f)
        if rec.get('made_by') == want and rec.get('hash') == data_hash(osp.join(ROOT, out)):
            log(f'data: {out} reused (same generator, arguments and files)')
            return rec['hash']
    shutil.rmtree(osp.join(ROOT, out), ignore_errors=True)
    os.makedirs(osp.dirname(osp.join(ROOT, out)) or '.', exist_ok=True)
    run_with_bar([sys.executable, 'tools/dataset_converters/make_synthetic_vl.py', *gen_args],
                 osp.join(ROOT, out + '.log'), f'data {out}', 'plain')
    digest = data_hash(osp.join(ROOT, out))
    with open(stamp, 'w') as f:
        json.dump(dict(made_by=want, hash=digest), f, indent=1)
    return digest


def use_bf16(precision: str) -> bool:
    if precision != 'auto':
        return precision == 'bf16'
    import torch

    from satracker.models.trackers.satracker import bf16_supported
    return not torch.cuda.is_available() and bf16_supported('cpu')


def main(argv=None):
    args = parse_args(argv)
    start = time.time()
    work_dir = osp.join(
        ROOT, args.work_dir
        or ('work_dirs/demo' if args.seed == 0 else f'work_dirs/demo_seed{args.seed}'))
    os.makedirs(work_dir, exist_ok=True)
    roots = data_roots(args.seed, args.data_dir)
    timings = {}

    t0 = time.time()
    train_hash = make_data(roots['train'], args.seed, args.train_videos, args.test_videos,
                           args.frames, args.force)
    test_root, test_hash = roots['train'], train_hash
    if args.val:
        test_root = roots['val']
        test_hash = make_data(test_root, args.seed + VAL_SEED_OFFSET, 0, args.test_videos,
                              args.frames, args.force)
    timings['data'] = time.time() - t0

    bf16 = use_bf16(args.precision)
    log(f'seed {args.seed}; training precision: {"bf16 autocast" if bf16 else "fp32"}' +
        ('' if bf16 or args.precision == 'fp32' else ' (this CPU has no native bf16: fp32)'))
    common = dict(source=source_hash(), libraries=library_versions(), seed=args.seed)
    train_opts = [
        f'train_dataloader.dataset.data_root={roots["train"]}/', f'randomness.seed={args.seed}',
        *args.cfg_options
    ]
    test_opts = [f'test_dataloader.dataset.data_root={test_root}/', *args.cfg_options]

    wanted = set(args.only.split(',')) if args.only else {t[1] for t in TRACKERS}
    rows = [t for t in TRACKERS if t[1] in wanted]
    checkpoints, results = {}, []
    from satracker.evaluation.plots import format_results_table, plot_all
    from satracker.evaluation.result_files import load_tracker_result
    for name, _key, config, trained_by in rows:
        slug = osp.splitext(osp.basename(config))[0]
        run_dir = osp.join(work_dir, slug)
        if trained_by is None:
            step = Step(
                osp.join(run_dir, 'train'),
                dict(
                    common,
                    config=resolved_config(config, train_opts),
                    data=train_hash,
                    procs=args.procs,
                    bf16=bf16), args.force)
            outputs = step.done()
            if outputs is None:
                step.start()
                cmd = [
                    'bash', 'tools/dist_train.sh', config,
                    str(args.procs), '--work-dir', step.folder, *(['--amp'] if bf16 else []),
                    '--cfg-options', *train_opts
                ]
                timings[f'train {name}'] = run_with_bar(
                    cmd, osp.join(step.folder, 'train.log'), f'train {name}', 'train',
                    train_iterations(config, train_opts, args.procs))
                with open(osp.join(step.folder, 'last_checkpoint')) as f:
                    last = f.read().strip()
                published = osp.join(step.folder, 'published.pth')
                run_with_bar([
                    sys.executable, 'tools/misc/publish_model.py', last, published,
                    '--trust-checkpoint', '--no-hash'
                ], osp.join(step.folder, 'publish.log'), 'publish', 'plain')
                outputs = step.finish(dict(checkpoint=published))
            else:
                log(f'train {name}: reused {osp.relpath(step.folder, ROOT)} (inputs unchanged)')
            checkpoints[name] = dict(outputs, key=step.key)
        ckpt = checkpoints.get(trained_by or name)
        if ckpt is None:
            log(f'{name}: skipped ({trained_by} not selected)')
            continue
        step = Step(
            osp.join(run_dir, 'test-val' if args.val else 'test'),
            dict(
                common,
                config=resolved_config(config, test_opts),
                data=test_hash,
                checkpoint=ckpt['key']), args.force)
        outputs = step.done()
        if outputs is None:
            step.start()
            result_dir = osp.join(step.folder, 'results')
            cmd = [
                sys.executable, 'tools/test.py', config, '--checkpoint', ckpt['checkpoint'],
                '--work-dir', step.folder, '--cfg-options', f'test_evaluator.out_dir={result_dir}',
                f'test_evaluator.tracker_name={name}', *test_opts
            ]
            timings[f'test {name}'] = run_with_bar(
                cmd, osp.join(step.folder, 'test.log'), f'test {name}', 'test', threads=1)
            outputs = step.finish(dict(results=result_dir))
        else:
            log(f'test {name}: reused {osp.relpath(step.folder, ROOT)} (inputs unchanged)')
        results.append(load_tracker_result(outputs['results'], name))

    split = 'validation' if args.val else 'test'
    table = format_results_table(results)
    plots = plot_all(results, work_dir, title_suffix=f' on synthetic VL ({split} split)')
    clip = copy_clip(work_dir)
    with open(osp.join(work_dir, 'results.md'), 'w') as f:
        f.write(f'Seed {args.seed}, {split} videos of {test_root}\n\n{table}\n\n{LEGEND}\n')
    with open(osp.join(work_dir, 'results.json'), 'w') as f:
        json.dump(
            dict(
                seed=args.seed,
                split=split,
                bf16_training=bf16,
                rows=[{
                    k: r[k]
                    for k in ('name', 'success', 'norm_precision', 'precision', 'ms_per_frame')
                    if k in r
                } for r in results]),
            f,
            indent=1,
            default=float)
    with open(osp.join(work_dir, 'timings.json'), 'w') as f:
        json.dump(timings, f, indent=2)
    print(f'\nSeed {args.seed}, {split} videos ({test_root}):\n\n{table}\n\n{LEGEND}\n')
    rel = osp.relpath(work_dir, ROOT)
    log('plots: ' + ', '.join(osp.relpath(p, ROOT) for p in plots.values()))
    if clip:
        log(f'clip: {osp.relpath(clip, ROOT)}')
    log('per step (s): ' + ', '.join(f'{k} {v:.0f}' for k, v in timings.items()))
    log(f'demo finished in {time.time() - start:.0f} s; table, plots and logs in {rel}/')


def copy_clip(work_dir: str) -> Optional[str]:
    """Copy the first clip the SATracker test wrote next to the plots."""
    clips = sorted(
        glob.glob(
            osp.join(work_dir, 'satracker_tiny-minilm_2xb8_synthetic', 'test*', '**', '*.gif'),
            recursive=True))
    if not clips:
        return None
    out = osp.join(work_dir, 'clip_' + osp.basename(clips[0]))
    shutil.copyfile(clips[0], out)
    return out


if __name__ == '__main__':
    main()
