# Copyright (c) SATracker authors. Licensed under the Apache License 2.0.
"""``tools/demo.py`` on a generated clip: video in / video out, frame folder in / frames out,
and clear errors for bad inputs (the frame reader's are ``satracker.visualization``'s)."""
import os.path as osp

import cv2
import numpy as np
import pytest
from tool_loading import load_tool

from satracker.visualization import FrameReadError

REPO = osp.dirname(osp.dirname(osp.dirname(osp.abspath(__file__))))
DEMO_CONFIG = osp.join(REPO, 'configs/demo/satracker_tiny-minilm_2xb8_synthetic.py')
NUM_FRAMES = 8
H, W = 96, 128

# The demo config at test size: a random 3-layer BERT (MiniLM's tokenizer and vocabulary
# stay, so real WordPiece ids are valid) and 16/32/48-wide stages.
TINY_CONFIG = f"""
_base_ = [{DEMO_CONFIG!r}]
model = dict(
    backbone=dict(
        embed_dims=(16, 32, 48),
        depths=(1, 1, 1),
        num_heads=(1, 1, 1),
        text_encoder=dict(
            type='StagedBertEncoder',
            pretrained=None,
            bert_config=dict(hidden_size=32, num_hidden_layers=3, num_attention_heads=2,
                             intermediate_size=64),
            layer_split=(1, 1, 1))),
    head=dict(bbox_head=dict(inplanes=48, channel=16), text_dims=32))
"""

demo = load_tool(REPO, 'tools/demo.py')


def _clip(n=NUM_FRAMES):
    """Frames with a red square moving right over a noisy background; the first box."""
    rng = np.random.RandomState(0)
    frames = []
    for k in range(n):
        img = (rng.rand(H, W, 3) * 60).astype(np.uint8)
        x = 20 + 4 * k
        img[30:54, x:x + 24] = (30, 30, 220)
        frames.append(img)
    return frames, '20,30,24,24'


@pytest.fixture(scope='module')
def config(tmp_path_factory):
    path = tmp_path_factory.mktemp('cfg') / 'satracker_tiny_demo.py'
    path.write_text(TINY_CONFIG)
    return str(path)


@pytest.fixture(scope='module')
def clip_video(tmp_path_factory):
    frames, bbox = _clip()
    path = str(tmp_path_factory.mktemp('clip') / 'clip.mp4')
    writer = cv2.VideoWriter(path, cv2.VideoWriter_fourcc(*'mp4v'), 10.0, (W, H))
    assert writer.isOpened()
    for frame in frames:
        writer.write(frame)
    writer.release()
    return path, bbox


@pytest.fixture(scope='module')
def clip_folder(tmp_path_factory):
    frames, bbox = _clip()
    folder = tmp_path_factory.mktemp('frames')
    # names whose plain and numeric orders differ: 1, 2, ..., 10 would sort 1, 10, 2
    for k, frame in enumerate(frames):
        ext = 'png' if k % 2 else 'jpg'
        assert cv2.imwrite(str(folder / f'{k + 1}.{ext}'), frame)
    (folder / 'notes.txt').write_text('not a frame')
    return str(folder), bbox


def _count_video_frames(path):
    cap = cv2.VideoCapture(path)
    assert cap.isOpened(), path
    count = 0
    size = None
    while True:
        ok, frame = cap.read()
        if not ok:
            break
        size = frame.shape[:2]
        count += 1
    cap.release()
    return count, size


def test_demo_video_to_video(config, clip_video, tmp_path, capsys):
    video, bbox = clip_video
    out = str(tmp_path / 'sub' / 'tracked.mp4')
    boxes = demo.main([
        video, '--text', 'the red square on the left', '--bbox', bbox, '--config', config, '--out',
        out, '--show-score-map'
    ])
    assert osp.isfile(out)
    count, size = _count_video_frames(out)
    # the sentence is on a band below the frame: the video is taller, never covered
    assert count == NUM_FRAMES and size[0] > H and size[1] == W
    assert len(boxes) == NUM_FRAMES
    np.testing.assert_allclose(boxes[0], [20, 30, 24, 24], atol=1e-4)
    assert all(np.all(np.isfinite(b)) and b[2] > 0 and b[3] > 0 for b in boxes)
    assert 'written to' in capsys.readouterr().out


def test_demo_folder_to_frames_with_checkpoint(config, clip_folder, tmp_path):
    """Frames in, frames out, weights from a weights-only checkpoint; the boxes are those
    of the Python API on the same frames."""
    import torch

    from satracker.apis import inference_vlsot, init_model
    folder, bbox = clip_folder
    model = init_model(config)
    ckpt = str(tmp_path / 'published.pth')
    torch.save(dict(state_dict=model.state_dict(), meta=dict(note='test')), ckpt)

    out = tmp_path / 'frames_out'
    boxes = demo.main([
        folder, '--text', 'the red square', '--bbox', bbox, '--config', config, '--checkpoint',
        ckpt, '--out',
        str(out) + '/'
    ])
    written = sorted(p.name for p in out.iterdir())
    assert written == [f'{k:06d}.jpg' for k in range(NUM_FRAMES)]
    first = cv2.imread(str(out / '000000.jpg'))
    assert first.shape[0] > H and first.shape[1:] == (W, 3)
    # the given box is drawn in red (BGR (0, 0, 255)) on the first frame
    assert first[30, 32, 2] > 180 and first[30, 32, 1] < 90

    reader = demo.FrameReader(folder)
    x, y, w, h = demo.parse_bbox(bbox)
    expected = []
    for k, frame in enumerate(reader):
        pred = inference_vlsot(model, frame, [x, y, x + w, y + h], 'the red square', k)
        x1, y1, x2, y2 = pred.pred_track_instances.bboxes[0].tolist()
        expected.append([x1, y1, x2 - x1, y2 - y1])
    np.testing.assert_allclose(boxes, expected, atol=1e-3)


def test_frame_folder_is_sorted_numerically(clip_folder):
    folder, _ = clip_folder
    reader = demo.FrameReader(folder)
    assert [osp.basename(f) for f in reader.files
            ] == [f'{k + 1}.{"png" if k % 2 else "jpg"}' for k in range(NUM_FRAMES)]
    assert len(list(reader)) == NUM_FRAMES


@pytest.mark.parametrize('bbox', ['1,2,3', 'a,b,c,d', '1,2,3,4,5', '1,2,nan,4', ''])
def test_malformed_bbox_is_named(bbox):
    with pytest.raises(demo.DemoInputError, match='malformed') as err:
        demo.parse_bbox(bbox)
    assert f'"{bbox}"' in str(err.value)


def test_bbox_parsing_and_frame_check():
    np.testing.assert_allclose(demo.parse_bbox('10, 20 30,40'), [10, 20, 30, 40])
    with pytest.raises(demo.DemoInputError, match='must be > 0'):
        demo.parse_bbox('10,20,0,40')
    with pytest.raises(demo.DemoInputError, match='must be > 0'):
        demo.parse_bbox('10,20,30,-1')
    demo.check_bbox_in_frame(np.array([0., 0., W, H]), (H, W, 3), 'x')
    with pytest.raises(demo.DemoInputError, match='outside the first frame of "clip.mp4"'):
        demo.check_bbox_in_frame(np.array([W - 10., 10., 20., 20.]), (H, W, 3), 'clip.mp4')


def test_errors_name_the_input(config, clip_video, clip_folder, tmp_path):
    video, bbox = clip_video
    out = str(tmp_path / 'o.mp4')

    def run(inp, box=bbox, cfg=config, dst=out):
        demo.main([inp, '--text', 'x', '--bbox', box, '--config', cfg, '--out', dst])

    missing = str(tmp_path / 'missing.mp4')
    with pytest.raises(FrameReadError, match='does not exist') as err:
        run(missing)
    assert missing in str(err.value)

    broken = tmp_path / 'broken.mp4'
    broken.write_bytes(b'this is not a video')
    with pytest.raises(FrameReadError, match='cannot read video') as err:
        run(str(broken))
    assert str(broken) in str(err.value)

    empty = tmp_path / 'empty_folder'
    empty.mkdir()
    (empty / 'readme.txt').write_text('no frames here')
    with pytest.raises(FrameReadError, match='no frames') as err:
        run(str(empty))
    assert str(empty) in str(err.value)

    bad_frames = tmp_path / 'bad_frames'
    bad_frames.mkdir()
    (bad_frames / '000.jpg').write_bytes(b'not a jpeg')
    with pytest.raises(FrameReadError, match='cannot read image') as err:
        run(str(bad_frames))
    assert str(bad_frames / '000.jpg') in str(err.value)

    # box outside the first frame (W x H = 128 x 96), and a malformed one, through main()
    with pytest.raises(demo.DemoInputError, match='outside the first frame') as err:
        run(video, box='120,10,30,30')
    assert video in str(err.value) and '128x96' in str(err.value)
    with pytest.raises(demo.DemoInputError, match='"1,2,3" is malformed'):
        run(video, box='1,2,3')
    with pytest.raises(demo.DemoInputError, match='names a single image'):
        run(video, dst=str(tmp_path / 'one.jpg'))
    with pytest.raises(demo.DemoInputError, match='--fps 0 must be > 0'):
        demo.main(
            [video, '--text', 'x', '--bbox', bbox, '--config', config, '--out', out, '--fps', '0'])
    with pytest.raises(demo.DemoInputError, match='config file .*nope.py'):
        run(video, cfg=str(tmp_path / 'nope.py'))
    assert not osp.exists(out)


def test_command_line_error_exits_with_the_message(clip_video, tmp_path):
    """As a script, a bad input ends with one ``demo.py: error: ...`` line, no traceback."""
    import subprocess
    import sys
    video, _ = clip_video
    proc = subprocess.run([
        sys.executable,
        osp.join(REPO, 'tools/demo.py'), video, '--text', 'x', '--bbox', '10,10,-5,20', '--config',
        DEMO_CONFIG, '--out',
        str(tmp_path / 'o.mp4')
    ],
                          capture_output=True,
                          text=True,
                          timeout=120)
    assert proc.returncode != 0
    assert 'demo.py: error: --bbox "10,10,-5,20"' in proc.stderr
    assert 'Traceback' not in proc.stderr
