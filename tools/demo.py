# Copyright (c) SATracker authors. Licensed under the Apache License 2.0.
"""Track a target described by a box and a sentence through a video and save the result.

Examples:
    # a video file -> an mp4 (box in red, the sentence on a band at the top)
    python tools/demo.py demo.mp4 --text "the red car on the left" --bbox 120,80,60,40 \
        --config configs/satracker/satracker_cvt21-bert_2xb8-200e_tnl2k-otb99-lasot_test-tnl2k.py \
        --checkpoint satracker_tnl2k.pth --out work_dirs/demo_out.mp4

    # a folder of frames (jpg / png, sorted by name) -> a folder of jpg frames, with the
    # dense matching score map drawn as a heat-map over the search region
    python tools/demo.py data/synthetic_vl/test/video_0000/imgs --text "the blue circle" \
        --bbox 30,40,20,20 --config configs/demo/satracker_tiny-minilm_2xb8_synthetic.py \
        --checkpoint work_dirs/demo/satracker/epoch_10.pth --out work_dirs/demo_frames/ \
        --show-score-map

``INPUT`` is a video file (anything OpenCV reads) or a folder of frames. ``--bbox`` is the
target in the first frame as ``x,y,w,h`` in pixels (top-left corner, width, height).
``--out`` is a video file (written with OpenCV's ``mp4v`` codec), a folder (ending with ``/``,
an existing folder, or a path without extension: frames are written as ``%06d.jpg``), or a
frame pattern such as ``out/%06d.jpg`` / ``out/{:06d}.png``.

The checkpoint is read weights-only (``torch.load(weights_only=True)``); convert a training
checkpoint first with ``python tools/misc/publish_model.py IN OUT --trust-checkpoint``.
Without ``--checkpoint`` the model has the weights its config's ``init_cfg`` gives (random
for the demo configs): the boxes then mean nothing, but the whole path runs.
"""
import argparse
import logging
import os
import os.path as osp
import re
import sys
import warnings
from contextlib import contextmanager
from typing import Iterator, List, Optional, Sequence, Tuple

import cv2
import numpy as np
from mmengine.config import Config, DictAction

from satracker.utils import resolve_tokenizer_paths

IMG_EXTENSIONS = ('.jpg', '.jpeg', '.png', '.bmp')
VIDEO_FOURCC = 'mp4v'
DEFAULT_FPS = 30.0


class DemoInputError(ValueError):
    """A user input of the demo (video, frames, box, output path) that cannot be used."""


def parse_args(argv: Optional[Sequence[str]] = None) -> argparse.Namespace:
    """Parse the command line.

    Args:
        argv (Sequence[str], optional): Arguments without the program name; ``None`` reads
            ``sys.argv``.

    Returns:
        argparse.Namespace: The parsed arguments.
    """
    parser = argparse.ArgumentParser(
        description='SATracker video demo: track a target given by a box and a sentence')
    parser.add_argument('input', help='a video file, or a folder of frames (jpg / png, '
                        'sorted by name)')
    parser.add_argument('--text', required=True,
                        help='the sentence describing the target (may be "")')
    parser.add_argument('--bbox', required=True,
                        help='the target in the first frame: x,y,w,h in pixels')
    parser.add_argument('--config', required=True, help='the tracker config file')
    parser.add_argument('--checkpoint', default=None,
                        help='weights-only checkpoint (see tools/misc/publish_model.py)')
    parser.add_argument('--out', required=True,
                        help='output video (.mp4, mp4v codec), or a folder / frame pattern '
                        '(e.g. out/%%06d.jpg) for images')
    parser.add_argument('--device', default='cpu', help='device, e.g. cpu or cuda:0')
    parser.add_argument('--bf16', action='store_true',
                        help="track in bfloat16 (model.test_cfg.precision='bf16'); a CPU "
                        'without AVX512-BF16 / AMX-BF16 warns and tracks in fp32')
    parser.add_argument('--fps', type=float, default=None,
                        help='fps of the output video (default: the input video\'s, '
                        f'{DEFAULT_FPS:g} for a frame folder)')
    parser.add_argument('--show-score-map', action='store_true',
                        help='draw the dense matching score map as a heat-map over the '
                        'search region (models with the dense matching head only)')
    parser.add_argument(
        '--cfg-options', nargs='+', action=DictAction,
        help='override settings of the config, e.g. model.test_cfg.search_factor=4.5')
    parser.add_argument('--verbose', action='store_true',
                        help='keep mmengine\'s INFO messages while the model is built')
    return parser.parse_args(argv)


# --------------------------------------------------------------------------- inputs
def parse_bbox(text: str) -> np.ndarray:
    """Parse ``x,y,w,h`` (commas and/or spaces) into a (4,) float array.

    Args:
        text (str): The ``--bbox`` value.

    Returns:
        np.ndarray: (4,) ``x, y, w, h``.

    Raises:
        DemoInputError: When it is not four finite numbers, or ``w`` / ``h`` <= 0.
    """
    parts = [p for p in re.split(r'[,\s]+', str(text).strip()) if p]
    try:
        values = [float(p) for p in parts]
    except ValueError:
        values = []
    if len(values) != 4 or not np.all(np.isfinite(values)):
        raise DemoInputError(
            f'--bbox "{text}" is malformed: expected four numbers x,y,w,h (pixels of the '
            'first frame, top-left corner, width, height), e.g. --bbox 120,80,60,40')
    box = np.asarray(values, dtype=np.float64)
    if box[2] <= 0 or box[3] <= 0:
        raise DemoInputError(
            f'--bbox "{text}" has width {box[2]:g} and height {box[3]:g}: both must be > 0')
    return box


def check_bbox_in_frame(box: np.ndarray, frame_shape: Tuple[int, ...], source: str,
                        tolerance: float = 1.0) -> None:
    """Check that the ``x, y, w, h`` box lies inside the first frame.

    Args:
        box (np.ndarray): (4,) ``x, y, w, h``.
        frame_shape (tuple): ``(H, W, ...)`` of the first frame.
        source (str): The input path, named in the message.
        tolerance (float): Pixels a box may stick out (rounding of user boxes).

    Raises:
        DemoInputError: When (part of) the box lies outside the frame.
    """
    h, w = frame_shape[:2]
    x, y, bw, bh = box
    if x < -tolerance or y < -tolerance or x + bw > w + tolerance or y + bh > h + tolerance:
        raise DemoInputError(
            f'--bbox {x:g},{y:g},{bw:g},{bh:g} (x1={x:g}, y1={y:g}, x2={x + bw:g}, '
            f'y2={y + bh:g}) lies outside the first frame of "{source}", which is {w}x{h} '
            '(width x height): give the box as x,y,w,h in that frame\'s pixels')


def _natural_key(name: str):
    """Sort key that orders ``2.jpg`` before ``10.jpg`` (plain name order otherwise)."""
    return [int(t) if t.isdigit() else t.lower() for t in re.split(r'(\d+)', name)]


class FrameReader:
    """Frames of a video file or of a folder of images, as (H, W, 3) uint8 BGR arrays.

    Opening reads the first frame, so an unreadable input fails at once with its path.

    Args:
        path (str): A video file or a folder of images (``IMG_EXTENSIONS``, sorted by name,
            numbers in names compared as numbers).

    Raises:
        DemoInputError: When the path does not exist, the video cannot be opened, or no
            frame can be read.
    """

    def __init__(self, path: str) -> None:
        self.path = path
        self._cap = None
        self.files: List[str] = []
        self.fps: Optional[float] = None
        if osp.isdir(path):
            names = sorted((n for n in os.listdir(path)
                            if n.lower().endswith(IMG_EXTENSIONS)
                            and osp.isfile(osp.join(path, n))), key=_natural_key)
            if not names:
                raise DemoInputError(
                    f'no frames in folder "{path}": expected images with one of the '
                    f'extensions {", ".join(IMG_EXTENSIONS)}')
            self.files = [osp.join(path, n) for n in names]
            self.num_frames: Optional[int] = len(self.files)
            self.first = self._read_file(self.files[0])
        elif osp.isfile(path):
            self._cap = cv2.VideoCapture(path)
            ok, frame = self._cap.read() if self._cap.isOpened() else (False, None)
            if not ok or frame is None:
                self._cap.release()
                raise DemoInputError(
                    f'cannot read video "{path}": OpenCV could not open it or decode a '
                    'frame (not a video, an unsupported codec, or an empty file). A folder '
                    'of jpg / png frames works as well.')
            self.first = frame
            count = int(self._cap.get(cv2.CAP_PROP_FRAME_COUNT))
            self.num_frames = count if count > 0 else None
            fps = float(self._cap.get(cv2.CAP_PROP_FPS))
            self.fps = fps if np.isfinite(fps) and fps > 0 else None
        else:
            raise DemoInputError(f'input "{path}" does not exist (expected a video file or a '
                                 'folder of frames)')

    @staticmethod
    def _read_file(filename: str) -> np.ndarray:
        frame = cv2.imread(filename, cv2.IMREAD_COLOR)
        if frame is None:
            raise DemoInputError(f'cannot read image "{filename}" (corrupt or not an image)')
        return frame

    def __iter__(self) -> Iterator[np.ndarray]:
        yield self.first
        if self._cap is not None:
            while True:
                ok, frame = self._cap.read()
                if not ok or frame is None:
                    break
                yield frame
        else:
            for filename in self.files[1:]:
                yield self._read_file(filename)

    def close(self) -> None:
        """Release the video (if any)."""
        if self._cap is not None:
            self._cap.release()
            self._cap = None


# --------------------------------------------------------------------------- outputs
class FrameWriter:
    """Write drawn frames as a video (``mp4v``) or as numbered images.

    Args:
        out (str): A video file; a folder (ends with a separator, exists as a folder, or has
            no extension): frames ``%06d.jpg`` in it; or a frame pattern with ``%d``-style or
            ``{}``-style formatting ending with an image extension.
        fps (float): Frames per second of the video.
        frame_size (tuple): ``(W, H)`` of the video; frames of another size are resized.

    Raises:
        DemoInputError: For a single image name (no pattern) or a video that cannot be
            opened for writing.
    """

    def __init__(self, out: str, fps: float, frame_size: Tuple[int, int]) -> None:
        self.out = out
        self.frame_size = frame_size
        self.count = 0
        self.pattern: Optional[str] = None
        self._video = None
        kind = self.kind(out)
        if kind == 'folder':
            os.makedirs(out, exist_ok=True)
            self.pattern = osp.join(out, '%06d.jpg')
        elif kind == 'pattern':
            self.pattern = out
            os.makedirs(osp.dirname(osp.abspath(out)), exist_ok=True)
        else:
            os.makedirs(osp.dirname(osp.abspath(out)), exist_ok=True)
            fourcc = cv2.VideoWriter_fourcc(*VIDEO_FOURCC)
            self._video = cv2.VideoWriter(out, fourcc, float(fps), tuple(frame_size))
            if not self._video.isOpened():
                raise DemoInputError(
                    f'cannot write video "{out}" with the {VIDEO_FOURCC} codec (use an .mp4 '
                    'name, or a folder for frames)')

    @staticmethod
    def kind(out: str) -> str:
        """What ``out`` names: ``'folder'``, ``'pattern'`` (numbered images) or ``'video'``.

        Raises:
            DemoInputError: When ``out`` names a single image.
        """
        ext = osp.splitext(out)[1].lower()
        if out.endswith(('/', os.sep)) or osp.isdir(out) or not ext:
            return 'folder'
        if ext in IMG_EXTENSIONS:
            if '%' not in out and '{' not in out:
                raise DemoInputError(
                    f'--out "{out}" names a single image; give a video file (.mp4), a '
                    'folder, or a frame pattern such as out/%06d.jpg')
            return 'pattern'
        return 'video'

    def _frame_path(self, index: int) -> str:
        if '{' in self.pattern:
            return self.pattern.format(index)
        return self.pattern % index

    def write(self, frame: np.ndarray) -> None:
        """Write one (H, W, 3) uint8 BGR frame."""
        if self._video is not None:
            if (frame.shape[1], frame.shape[0]) != tuple(self.frame_size):
                frame = cv2.resize(frame, tuple(self.frame_size))
            self._video.write(frame)
        else:
            path = self._frame_path(self.count)
            if not cv2.imwrite(path, frame):
                raise IOError(f'could not write "{path}"')
        self.count += 1

    def close(self) -> None:
        """Finish the video file."""
        if self._video is not None:
            self._video.release()
            self._video = None


# --------------------------------------------------------------------------- model
@contextmanager
def _quiet_mmengine(enabled: bool = True):
    """Raise mmengine's current logger to WARNING (hides the per-parameter init log)."""
    if not enabled:
        yield
        return
    from mmengine.logging import MMLogger
    logger = MMLogger.get_current_instance()
    level = logger.level
    logger.setLevel(logging.WARNING)
    try:
        yield
    finally:
        logger.setLevel(level)


def _drop_file_loading(pipeline):
    """A pipeline without its ``...FromFile`` transforms (frames come from memory here)."""
    if pipeline is None:
        return None
    return [t for t in pipeline if not str(t.get('type', '')).endswith('FromFile')]


def load_demo_config(config: str, cfg_options: Optional[dict] = None,
                     show_score_map: bool = False) -> Config:
    """Read the tracker config and prepare it for in-memory tracking.

    The test pipeline's image-loading transforms are removed (the demo passes decoded
    frames), and ``--show-score-map`` switches on ``model.test_cfg.with_score_map``.

    Args:
        config (str): The config file.
        cfg_options (dict, optional): ``--cfg-options`` overrides.
        show_score_map (bool): Ask the tracker for the dense matching map.

    Returns:
        Config: The prepared config.

    Raises:
        DemoInputError: When the config file does not exist.
    """
    if not osp.isfile(config):
        raise DemoInputError(f'config file "{config}" does not exist')
    cfg = Config.fromfile(config)
    if cfg_options:
        cfg.merge_from_dict(cfg_options)
    resolve_tokenizer_paths(cfg)
    if cfg.get('test_dataloader', None) is not None and \
            cfg.test_dataloader.get('dataset', None) is not None and \
            cfg.test_dataloader.dataset.get('pipeline', None) is not None:
        cfg.test_dataloader.dataset.pipeline = _drop_file_loading(
            cfg.test_dataloader.dataset.pipeline)
    if cfg.get('test_pipeline', None) is not None:
        cfg.test_pipeline = _drop_file_loading(cfg.test_pipeline)
    if show_score_map:
        cfg.merge_from_dict({'model.test_cfg.with_score_map': True})
    return cfg


def _to_numpy(x) -> Optional[np.ndarray]:
    if x is None:
        return None
    if hasattr(x, 'detach'):
        x = x.detach().float().cpu().numpy()
    return np.asarray(x)


# --------------------------------------------------------------------------- main
def main(argv: Optional[Sequence[str]] = None) -> List[List[float]]:
    """Run the demo.

    Args:
        argv (Sequence[str], optional): Command-line arguments (without the program
            name); ``None`` reads ``sys.argv``.

    Returns:
        list[list[float]]: The tracked box of every frame as ``[x, y, w, h]`` (the first is
        the given box).

    Raises:
        DemoInputError: For an unreadable input, no frames, a malformed ``--bbox``, a box
            outside the first frame or an unusable ``--out``; every message names the path
            or the value at fault.
    """
    args = parse_args(argv)
    # user inputs first: they fail in a second, loading the config imports the model code
    box_xywh = parse_bbox(args.bbox)
    if not osp.isfile(args.config):
        raise DemoInputError(f'config file "{args.config}" does not exist')
    FrameWriter.kind(args.out)
    if args.fps is not None and not args.fps > 0:
        raise DemoInputError(f'--fps {args.fps:g} must be > 0')
    reader = FrameReader(args.input)
    writer = None
    try:
        check_bbox_in_frame(box_xywh, reader.first.shape,
                            reader.files[0] if reader.files else args.input)
        cfg = load_demo_config(args.config, args.cfg_options, args.show_score_map)
        if args.bf16:
            cfg.merge_from_dict({'model.test_cfg.precision': 'bf16'})
        height, width = reader.first.shape[:2]
        fps = args.fps or reader.fps or DEFAULT_FPS

        import satracker  # noqa: F401  (registration)
        from satracker.apis import inference_vlsot, init_model
        from satracker.engine.hooks import draw_vl_frame
        from tqdm import tqdm
        with _quiet_mmengine(not args.verbose):
            model = init_model(cfg, args.checkpoint, device=args.device)
        writer = FrameWriter(args.out, fps, (width, height))

        init_xyxy = [box_xywh[0], box_xywh[1], box_xywh[0] + box_xywh[2],
                     box_xywh[1] + box_xywh[3]]
        boxes: List[List[float]] = []
        warned = False
        progress = tqdm(total=reader.num_frames, unit='frame', desc='tracking',
                        dynamic_ncols=True)
        for frame_id, frame in enumerate(reader):
            result = inference_vlsot(model, frame, init_xyxy, args.text, frame_id)
            pred = _to_numpy(result.pred_track_instances.bboxes).reshape(-1, 4)[0]
            pred = pred.astype(np.float64)
            boxes.append([float(pred[0]), float(pred[1]), float(pred[2] - pred[0]),
                          float(pred[3] - pred[1])])
            score_map = crop = None
            if args.show_score_map and frame_id > 0:
                score_map = _to_numpy(getattr(result, 'dm_score_map', None))
                crop = _to_numpy(getattr(result, 'search_crop_bbox', None))
                if (score_map is None or crop is None) and not warned:
                    warnings.warn('--show-score-map: this model gives no dense matching '
                                  'score map (no dense matching head); drawing boxes only')
                    warned = True
            drawn = draw_vl_frame(frame, pred_bbox=pred, text=args.text, score_map=score_map,
                                  crop_bbox=crop, frame_id=frame_id)
            writer.write(drawn)
            progress.update(1)
        progress.close()
    finally:
        reader.close()
        if writer is not None:
            writer.close()
    print(f'{len(boxes)} frames tracked; written to {osp.abspath(args.out)}')
    return boxes


if __name__ == '__main__':
    try:
        main()
    except (DemoInputError, FileNotFoundError) as error:
        sys.exit(f'demo.py: error: {error}')
