# Copyright (c) SATracker authors. Licensed under the Apache License 2.0.
"""write_clip (GIF / MP4 by extension) and FrameReader's lazy errors."""
import cv2
import numpy as np
import pytest
from PIL import Image

from satracker.visualization import FrameReader, FrameReadError, write_clip

H, W = 40, 56


def _frames(n=6):
    """BGR frames of distinct colours (frame k: blue = 40 k, red = 200)."""
    frames = []
    for k in range(n):
        img = np.zeros((H, W, 3), np.uint8)
        img[..., 0], img[..., 2] = 40 * k, 200
        frames.append(img)
    return frames


def test_gif_holds_every_frame_in_rgb(tmp_path):
    frames = _frames()
    frames[3] = cv2.resize(frames[3], (W * 2, H * 2))  # another size: resized to the first
    out = tmp_path / 'sub' / 'clip.gif'
    assert write_clip(iter(frames), str(out), fps=5) == 6
    with Image.open(out) as gif:
        assert gif.n_frames == 6 and gif.size == (W, H)
        assert gif.info['duration'] == 200
        gif.seek(5)
        r, g, b = gif.convert('RGB').getpixel((W // 2, H // 2))
    assert abs(r - 200) <= 8 and g <= 8 and abs(b - 200) <= 8  # BGR (200, 0, 200) -> RGB


def test_mp4_is_written_while_frames_come(tmp_path):
    out = str(tmp_path / 'clip.mp4')
    assert write_clip((f for f in _frames(5)), out, fps=10) == 5
    cap = cv2.VideoCapture(out)
    sizes = []
    while True:
        ok, frame = cap.read()
        if not ok:
            break
        sizes.append(frame.shape)
    cap.release()
    assert sizes == [(H, W, 3)] * 5


def test_bad_clips_are_named(tmp_path):
    with pytest.raises(ValueError, match=r'clip ".*clip.webm": unknown extension'):
        write_clip(_frames(1), str(tmp_path / 'clip.webm'))
    with pytest.raises(ValueError, match='no frames'):
        write_clip([], str(tmp_path / 'clip.gif'))
    with pytest.raises(ValueError, match='fps must be > 0'):
        write_clip(_frames(1), str(tmp_path / 'clip.gif'), fps=0)


def test_frame_reader_names_a_bad_frame_when_it_comes(tmp_path):
    for k, frame in enumerate(_frames(2)):
        cv2.imwrite(str(tmp_path / f'{k}.png'), frame)
    (tmp_path / '2.png').write_bytes(b'not a png')
    reader = FrameReader(str(tmp_path))
    assert len(reader) == 3 and reader.fps is None
    frames = iter(reader)
    assert next(frames).shape == (H, W, 3) and next(frames)[0, 0, 0] == 40
    with pytest.raises(FrameReadError, match='2.png'):
        next(frames)
