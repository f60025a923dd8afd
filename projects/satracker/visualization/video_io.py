# Copyright (c) SATracker authors. Licensed under the Apache License 2.0.
"""Frames in (a video file or a folder of images) and clips out (GIF or MP4)."""
import os
import os.path as osp
import re
from typing import Iterable, Iterator, List, Optional

import cv2
import mmcv
import numpy as np

IMG_EXTENSIONS = ('.jpg', '.jpeg', '.png', '.bmp')
#: Clip formats of :func:`write_clip`: GIF with Pillow, the others with OpenCV (``mp4v``).
CLIP_EXTENSIONS = ('.gif', '.mp4', '.avi', '.mov', '.mkv')
VIDEO_FOURCC = 'mp4v'


class FrameReadError(ValueError):
    """A video or frame folder that cannot be read; the message names the path."""


def _natural_key(name: str):
    """Sort key that orders ``2.jpg`` before ``10.jpg`` (plain name order otherwise)."""
    return [int(t) if t.isdigit() else t.lower() for t in re.split(r'(\d+)', name)]


def _imread(filename: str) -> np.ndarray:
    frame = cv2.imread(filename, cv2.IMREAD_COLOR)
    if frame is None:
        raise FrameReadError(f'cannot read image "{filename}" (corrupt or not an image)')
    return frame


class FrameReader:
    """Frames of a video file (``mmcv.VideoReader``) or of a folder of images, in order.

    Opening reads the first frame, so an unreadable input fails at once with its path.

    Args:
        path (str): A video file (anything OpenCV decodes) or a folder of images
            (``IMG_EXTENSIONS``, sorted by name, numbers in names compared as numbers).

    Attributes:
        first (np.ndarray): (H, W, 3) uint8 BGR first frame.
        files (list[str]): The frame files of a folder (empty for a video).
        fps (float | None): The video's frame rate (None for a folder).

    Raises:
        FrameReadError: When the path does not exist, the video cannot be decoded, the
            folder has no image, or an image cannot be read.
    """

    def __init__(self, path: str) -> None:
        self.path = path
        self.files: List[str] = []
        self.fps: Optional[float] = None
        self._video = None
        if osp.isdir(path):
            names = sorted(
                (n for n in os.listdir(path)
                 if n.lower().endswith(IMG_EXTENSIONS) and osp.isfile(osp.join(path, n))),
                key=_natural_key)
            if not names:
                raise FrameReadError(f'no frames in folder "{path}": expected images with one '
                                     f'of the extensions {", ".join(IMG_EXTENSIONS)}')
            self.files = [osp.join(path, n) for n in names]
            self.first = _imread(self.files[0])
        elif osp.isfile(path):
            self._video = mmcv.VideoReader(path)
            first = self._video.read() if self._video.opened else None
            if first is None:
                raise FrameReadError(
                    f'cannot read video "{path}": OpenCV could not open it or decode a frame '
                    '(not a video, an unsupported codec, or an empty file). A folder of jpg / '
                    'png frames works as well.')
            self.first = first
            fps = float(self._video.fps)
            self.fps = fps if np.isfinite(fps) and fps > 0 else None
        else:
            raise FrameReadError(f'input "{path}" does not exist (expected a video file or a '
                                 'folder of frames)')

    def __len__(self) -> int:
        """The number of frames (a video's count as its header gives it)."""
        return len(self.files) if self._video is None else max(self._video.frame_cnt, 0)

    def __iter__(self) -> Iterator[np.ndarray]:
        """Yield (H, W, 3) uint8 BGR frames, the first one included (iterate once)."""
        yield self.first
        if self._video is None:
            for filename in self.files[1:]:
                yield _imread(filename)
            return
        while True:
            frame = self._video.read()
            if frame is None:
                return
            yield frame


def write_clip(frames: Iterable[np.ndarray], out_file: str, fps: float = 10.0) -> int:
    """Write BGR frames as a GIF (Pillow) or a video (OpenCV, ``mp4v``), by extension.

    Frames whose size differs from the first one's are resized to it. A video is written
    while the frames come (``frames`` may be a generator); a GIF holds them in memory, each
    frame with its own 256-colour palette (no dithering). A GIF of 320 x 300 frames takes
    about 40 kB a frame on textured images: keep clips short (the hook's ``clip_step``).

    Args:
        frames (Iterable[np.ndarray]): (H, W, 3) uint8 BGR frames.
        out_file (str): ``.gif``, or one of ``.mp4``, ``.avi``, ``.mov``, ``.mkv``; its folder
            is created.
        fps (float): Frames per second. Defaults to 10.

    Returns:
        int: The number of frames written.

    Raises:
        ValueError: For another extension, ``fps <= 0`` or no frame.
        IOError: When OpenCV cannot open the video for writing.
    """
    ext = osp.splitext(out_file)[1].lower()
    if ext not in CLIP_EXTENSIONS:
        raise ValueError(f'clip "{out_file}": unknown extension "{ext}"; use one of '
                         f'{", ".join(CLIP_EXTENSIONS)}')
    if not fps > 0:
        raise ValueError(f'clip "{out_file}": fps must be > 0, got {fps}')
    os.makedirs(osp.dirname(osp.abspath(out_file)), exist_ok=True)
    size, count, images, writer = None, 0, [], None
    try:
        for frame in frames:
            if size is None:
                size = (frame.shape[1], frame.shape[0])
                if ext != '.gif':
                    writer = cv2.VideoWriter(out_file, cv2.VideoWriter_fourcc(*VIDEO_FOURCC),
                                             float(fps), size)
                    if not writer.isOpened():
                        raise IOError(f'cannot write video "{out_file}" with the '
                                      f'{VIDEO_FOURCC} codec (an .mp4 or .gif name works)')
            if (frame.shape[1], frame.shape[0]) != size:
                frame = cv2.resize(frame, size, interpolation=cv2.INTER_AREA)
            if writer is not None:
                writer.write(np.ascontiguousarray(frame, dtype=np.uint8))
            else:
                images.append(np.ascontiguousarray(frame[..., ::-1], dtype=np.uint8))
            count += 1
    finally:
        if writer is not None:
            writer.release()
    if count == 0:
        raise ValueError(f'clip "{out_file}": no frames to write')
    if images:
        from PIL import Image

        # a palette per frame, without dithering: dither noise defeats GIF's LZW (2x larger)
        pil = [
            Image.fromarray(img).quantize(256, Image.Quantize.FASTOCTREE, dither=Image.Dither.NONE)
            for img in images
        ]
        pil[0].save(
            out_file,
            save_all=True,
            append_images=pil[1:],
            duration=max(10, int(round(1000.0 / fps))),
            loop=0)
    return count
