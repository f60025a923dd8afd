# Copyright (c) SATracker authors. Licensed under the Apache License 2.0.
"""A synthetic vision-language tracking set in TNL2K layout.

Each video shows coloured shapes moving over a textured, slowly panning background.
The target has look-alike distractors that differ from it in exactly one thing, and the
video's sentence names that thing:

- ``colour`` videos: the distractors have the target's shape and other colours;
- ``shape`` videos: the distractors have the target's colour and other shapes;
- ``position`` videos: the distractors are identical, and the sentence says where the
  target is in the first frame relative to them (left / right / top / bottom).

At least one distractor crosses the target's path (and passes in front of it about half
of the time), so the box alone is ambiguous after the crossing while the sentence is
not. A few unrelated shapes add clutter. Everything is drawn from a NumPy generator
seeded by ``(seed, split, video index)``, so a seed gives identical files.

Optionally (``fade_prob``), a share of the videos starts colourless: the first frames fade in
from grey to full colour over :data:`FADE_FRAMES` frames, so the first box shows the target's
shape but not its colour, while the sentence still names it (the situation a sentence is
for: a first frame that does not tell the target apart). ``mode_weights`` sets how often each
kind of video is drawn. Both default to off / uniform, which draws the same videos as before
they existed.

Written layout (read by ``TNL2KDataset``)::

    <out>/<split>/<video>/imgs/00001.jpg ...
    <out>/<split>/<video>/groundtruth.txt     x,y,w,h per frame (pixels)
    <out>/<split>/<video>/language.txt        one sentence
    <out>/<split>/<video>/language_distractor.txt   the crossing look-alike's sentence
    <out>/<split>/<video>/meta.json           target colour/shape, mode, occluded frames,
                                              both sentences
    <out>/annotations/tnl2k_<split>_infos.txt, tnl2k_<split>_frames.json
"""
import json
import os
import os.path as osp
import time
from typing import Dict, List, Optional, Sequence, Tuple

import cv2
import numpy as np

__all__ = [
    'COLOURS', 'SHAPES', 'MODES', 'FADE_FRAMES', 'DISTRACTOR_LANGUAGE_FILE', 'SENTENCE_TEMPLATES',
    'OPPOSITE', 'shape_polygon', 'shape_box', 'draw_shape', 'make_background', 'simulate',
    'plan_video', 'render_video', 'write_video', 'make_synthetic_vl'
]

#: Colour name -> BGR (saturated, far from the grey background and from each other).
COLOURS = {
    'red': (40, 40, 225),
    'green': (50, 190, 40),
    'blue': (225, 90, 30),
    'yellow': (30, 225, 235),
    'purple': (190, 40, 160),
    'orange': (20, 140, 255),
}
SHAPES = ('circle', 'square', 'triangle', 'diamond', 'star')
MODES = ('colour', 'shape', 'position')
#: Frames over which a fading-in video goes from grey (frame 0) to full colour.
FADE_FRAMES = 12
#: Per video, the sentence of the crossing look-alike (same template, its colour / shape /
#: position word): read instead of ``language.txt`` for the "wrong sentence" check.
DISTRACTOR_LANGUAGE_FILE = 'language_distractor.txt'
SENTENCE_TEMPLATES = ('the {c} {s}', 'track the {c} {s}', 'the {s} that is {c}',
                      'a {c} {s} moving around')


def shape_polygon(shape: str, cx: int, cy: int, r: int) -> Optional[np.ndarray]:
    """Vertices (K, 2) int32 of a shape inscribed in the square of half-size ``r``.

    Args:
        shape (str): One of ``SHAPES``; 'circle' has no polygon (returns None).
        cx, cy (int): Centre.
        r (int): Half-size.

    Returns:
        np.ndarray | None: The vertices.
    """
    if shape == 'circle':
        return None
    if shape == 'square':
        pts = [(-r, -r), (r, -r), (r, r), (-r, r)]
    elif shape == 'triangle':
        pts = [(0, -r), (r, r), (-r, r)]
    elif shape == 'diamond':
        pts = [(0, -r), (r, 0), (0, r), (-r, 0)]
    elif shape == 'star':
        pts = []
        for k in range(10):
            rad = r if k % 2 == 0 else r * 0.45
            ang = -np.pi / 2 + k * np.pi / 5
            pts.append((rad * np.cos(ang), rad * np.sin(ang)))
    else:
        raise ValueError(f'unknown shape {shape}')
    return np.round(np.asarray(pts) + [cx, cy]).astype(np.int32)


def shape_box(shape: str, cx: int, cy: int, r: int) -> Tuple[int, int, int, int]:
    """Tight pixel box (x, y, w, h) of a drawn shape.

    Args:
        shape (str): One of ``SHAPES``.
        cx, cy (int): Centre.
        r (int): Half-size.

    Returns:
        tuple[int, int, int, int]: x, y, w, h (pixels covered: x .. x + w - 1).
    """
    poly = shape_polygon(shape, cx, cy, r)
    if poly is None:
        return cx - r, cy - r, 2 * r + 1, 2 * r + 1
    x1, y1 = poly.min(0)
    x2, y2 = poly.max(0)
    return int(x1), int(y1), int(x2 - x1 + 1), int(y2 - y1 + 1)


def draw_shape(img: np.ndarray, shape: str, cx: int, cy: int, r: int,
               colour: Sequence[int]) -> None:
    """Draw a filled shape with a thin dark outline, in place.

    Args:
        img (np.ndarray): (H, W, 3) uint8 BGR image.
        shape (str): One of ``SHAPES``.
        cx, cy (int): Centre.
        r (int): Half-size.
        colour (Sequence[int]): BGR.
    """
    colour = tuple(int(c) for c in colour)
    poly = shape_polygon(shape, cx, cy, r)
    if poly is None:
        cv2.circle(img, (cx, cy), r, colour, -1, cv2.LINE_8)
        cv2.circle(img, (cx, cy), r, (20, 20, 20), 1, cv2.LINE_8)
    else:
        cv2.fillPoly(img, [poly], colour, cv2.LINE_8)
        cv2.polylines(img, [poly], True, (20, 20, 20), 1, cv2.LINE_8)


def make_background(rng: np.random.Generator, height: int, width: int) -> np.ndarray:
    """A low-saturation textured background (smooth blobs, stripes and grain).

    Args:
        rng (np.random.Generator): Random generator.
        height, width (int): Size.

    Returns:
        np.ndarray: (height, width, 3) uint8 BGR.
    """
    coarse = rng.uniform(0, 1, (max(2, height // 24), max(2, width // 24)))
    blobs = cv2.resize(coarse.astype(np.float32), (width, height), interpolation=cv2.INTER_CUBIC)
    yy, xx = np.mgrid[0:height, 0:width].astype(np.float32)
    theta = rng.uniform(0, np.pi)
    period = rng.uniform(8, 24)
    stripes = np.sin((xx * np.cos(theta) + yy * np.sin(theta)) * 2 * np.pi / period)
    grain = rng.normal(0, 1, (height, width)).astype(np.float32)
    grey = 100 + 35 * (blobs - 0.5) * 2 + 10 * stripes + 6 * grain
    tint = rng.uniform(-8, 8, 3)
    img = grey[..., None] + tint[None, None, :]
    return np.clip(img, 45, 160).astype(np.uint8)


def simulate(rng: np.random.Generator, start: np.ndarray, velocity: np.ndarray, steps: int,
             lo: np.ndarray, hi: np.ndarray) -> np.ndarray:
    """Positions of a point moving with jittered velocity, bouncing inside [lo, hi].

    Args:
        rng (np.random.Generator): Random generator.
        start (np.ndarray): (2,) start position.
        velocity (np.ndarray): (2,) velocity per step.
        steps (int): Number of positions (start included).
        lo, hi (np.ndarray): (2,) bounds.

    Returns:
        np.ndarray: (steps, 2) float positions.
    """
    pos = np.array(start, dtype=np.float64)
    vel = np.array(velocity, dtype=np.float64)
    speed = np.linalg.norm(vel) + 1e-6
    out = np.empty((steps, 2))
    for t in range(steps):
        out[t] = pos
        vel = vel + rng.normal(0, 0.15, 2)
        vel = vel / (np.linalg.norm(vel) + 1e-6) * speed
        pos = pos + vel
        for d in range(2):
            if pos[d] < lo[d]:
                pos[d], vel[d] = 2 * lo[d] - pos[d], abs(vel[d])
            elif pos[d] > hi[d]:
                pos[d], vel[d] = 2 * hi[d] - pos[d], -abs(vel[d])
    return out


def _random_velocity(rng: np.random.Generator) -> np.ndarray:
    ang = rng.uniform(0, 2 * np.pi)
    return rng.uniform(1.5, 3.5) * np.array([np.cos(ang), np.sin(ang)])


#: The position word of the other side (for a look-alike whose own word is unclear).
OPPOSITE = {
    'on the left': 'on the right',
    'on the right': 'on the left',
    'at the top': 'at the bottom',
    'at the bottom': 'at the top',
}


def _position_word(target: np.ndarray, others: List[np.ndarray], r: int) -> Optional[str]:
    """Where the target is relative to all look-alikes, or None when unclear."""
    dx = np.array([target[0] - o[0] for o in others])
    dy = np.array([target[1] - o[1] for o in others])
    gap = 3 * r
    if np.all(dx <= -gap):
        return 'on the left'
    if np.all(dx >= gap):
        return 'on the right'
    if np.all(dy <= -gap):
        return 'at the top'
    if np.all(dy >= gap):
        return 'at the bottom'
    return None


def plan_video(rng: np.random.Generator,
               num_frames: int,
               width: int,
               height: int,
               fade_prob: float = 0.0,
               mode_weights: Optional[Sequence[float]] = None) -> dict:
    """Draw the objects, trajectories and sentence of one video.

    Args:
        rng (np.random.Generator): Random generator of the video.
        num_frames (int): Frames.
        width, height (int): Frame size.
        fade_prob (float): Probability that the video fades in from grey. Default 0.
        mode_weights (Sequence[float], optional): Relative frequency of the ``MODES``
            (colour, shape, position). Default: uniform.

    Returns:
        dict: ``objects`` (list of dicts with colour, shape, r, traj (F, 2), z), index
        ``target`` into it, ``sentence``, ``mode``, ``distractor_sentence`` and
        ``fade_frames`` (0: no fade-in).
    """
    if mode_weights is not None:
        weights = np.asarray(mode_weights, dtype=np.float64)
        if weights.shape != (len(MODES), ) or (weights < 0).any() or weights.sum() <= 0:
            raise ValueError(f'mode_weights must be {len(MODES)} non-negative numbers '
                             f'(for {MODES}) with a positive sum, got {mode_weights}')
        weights = weights / weights.sum()
    for _ in range(100):
        if mode_weights is None:
            mode = MODES[rng.integers(len(MODES))]
        else:
            mode = MODES[rng.choice(len(MODES), p=weights)]
        t_colour = list(COLOURS)[rng.integers(len(COLOURS))]
        t_shape = SHAPES[rng.integers(len(SHAPES))]
        r = int(rng.integers(10, 17))
        lo = np.array([r + 2, r + 2], dtype=np.float64)
        hi = np.array([width - r - 3, height - r - 3], dtype=np.float64)
        n_dis = int(rng.integers(1, 4)) if mode != 'position' else int(rng.integers(1, 3))
        other_colours = [c for c in COLOURS if c != t_colour]
        other_shapes = [s for s in SHAPES if s != t_shape]
        rng.shuffle(other_colours)
        rng.shuffle(other_shapes)

        t_start = rng.uniform(lo, hi)
        t_traj = simulate(rng, t_start, _random_velocity(rng), num_frames, lo, hi)
        objects = [dict(colour=t_colour, shape=t_shape, r=r, traj=t_traj, z=1.0)]
        for k in range(n_dis):
            if mode == 'colour':
                colour, shape = other_colours[k % len(other_colours)], t_shape
            elif mode == 'shape':
                colour, shape = t_colour, other_shapes[k % len(other_shapes)]
            else:
                colour, shape = t_colour, t_shape
            if k == 0:
                # Cross the target's path: start the trajectory at the target's
                # position at a middle frame and run it both ways.
                tc = int(
                    rng.integers(num_frames // 3, max(num_frames // 3 + 1, 2 * num_frames // 3)))
                p = t_traj[tc] + rng.normal(0, r / 3, 2)
                p = np.clip(p, lo, hi)
                v = _random_velocity(rng)
                fwd = simulate(rng, p, v, num_frames - tc, lo, hi)
                bwd = simulate(rng, p, -v, tc + 1, lo, hi)[::-1]
                traj = np.concatenate([bwd[:-1], fwd], axis=0)
                z = 2.0 if rng.uniform() < 0.5 else 0.0
            else:
                traj = simulate(rng, rng.uniform(lo, hi), _random_velocity(rng), num_frames, lo, hi)
                z = float(rng.uniform(0, 2))
            objects.append(dict(colour=colour, shape=shape, r=r, traj=traj, z=z))
        # Clutter: unrelated colour and shape.
        for _k in range(int(rng.integers(0, 3))):
            colour = other_colours[-1 - _k % len(other_colours)]
            shape = other_shapes[-1 - _k % len(other_shapes)]
            rc = int(rng.integers(7, 15))
            lo_c = np.array([rc + 2, rc + 2], dtype=np.float64)
            hi_c = np.array([width - rc - 3, height - rc - 3], dtype=np.float64)
            traj = simulate(rng, rng.uniform(lo_c, hi_c), _random_velocity(rng), num_frames, lo_c,
                            hi_c)
            objects.append(
                dict(colour=colour, shape=shape, r=rc, traj=traj, z=float(rng.uniform(0, 2))))
        # The first frame must show the target clearly apart from everything else.
        p0 = t_traj[0]
        if any(np.abs(o['traj'][0] - p0).max() < r + o['r'] + 4 for o in objects[1:]):
            continue
        template = SENTENCE_TEMPLATES[rng.integers(len(SENTENCE_TEMPLATES))]
        sentence = template.format(c=t_colour, s=t_shape)
        # The crossing look-alike (objects[1]) described the same way: the "wrong sentence"
        # of the demo's language check (nothing drawn from rng, so the videos do not change).
        look_alike = objects[1]
        distractor_sentence = template.format(c=look_alike['colour'], s=look_alike['shape'])
        if mode == 'position':
            word = _position_word(p0, [o['traj'][0] for o in objects[1:1 + n_dis]], r)
            if word is None:
                continue
            sentence = f'the {t_colour} {t_shape} {word}'
            others = [p0] + [o['traj'][0] for o in objects[2:1 + n_dis]]
            d_word = _position_word(look_alike['traj'][0], others, r) or OPPOSITE[word]
            distractor_sentence = f'the {t_colour} {t_shape} {d_word}'
        fade = fade_prob > 0 and rng.uniform() < fade_prob  # no draw when off
        return dict(
            objects=objects,
            target=0,
            sentence=sentence,
            mode=mode,
            distractor_sentence=distractor_sentence,
            fade_frames=FADE_FRAMES if fade else 0)
    raise RuntimeError('could not plan a synthetic video (frame too small?)')


def render_video(rng: np.random.Generator, plan: dict, num_frames: int, width: int, height: int):
    """Yield the frames of a planned video with the target's box and occlusion.

    Args:
        rng (np.random.Generator): Random generator of the video.
        plan (dict): From :func:`plan_video`.
        num_frames (int): Frames.
        width, height (int): Frame size.

    Yields:
        tuple[np.ndarray, tuple, bool]: BGR frame, target box (x, y, w, h) and
        whether an object drawn over the target covers the box centre.
    """
    margin = 24
    canvas = make_background(rng, height + 2 * margin, width + 2 * margin)
    pan_v = rng.uniform(-0.4, 0.4, 2)
    objects = plan['objects']
    order = sorted(range(len(objects)), key=lambda i: objects[i]['z'])
    target = objects[plan['target']]
    for t in range(num_frames):
        off = np.clip(np.round(margin + pan_v * t), 0, 2 * margin).astype(int)
        img = canvas[off[1]:off[1] + height, off[0]:off[0] + width].copy()
        noise = rng.normal(0, 2.0, (height, width, 1)).astype(np.float32)
        img = np.clip(img + noise, 0, 255).astype(np.uint8)
        for i in order:
            o = objects[i]
            cx, cy = np.round(o['traj'][t]).astype(int)
            draw_shape(img, o['shape'], int(cx), int(cy), o['r'], COLOURS[o['colour']])
        fade = plan.get('fade_frames', 0)
        if t < fade:  # fading in from grey: saturation t / fade
            grey = cv2.cvtColor(cv2.cvtColor(img, cv2.COLOR_BGR2GRAY), cv2.COLOR_GRAY2BGR)
            img = cv2.addWeighted(img, t / fade, grey, 1 - t / fade, 0)
        tcx, tcy = np.round(target['traj'][t]).astype(int)
        box = shape_box(target['shape'], int(tcx), int(tcy), target['r'])
        occluded = False
        for o in objects:
            if o is target or o['z'] <= target['z']:
                continue
            ocx, ocy = np.round(o['traj'][t]).astype(int)
            ox, oy, ow, oh = shape_box(o['shape'], int(ocx), int(ocy), o['r'])
            if ox - 1 <= tcx <= ox + ow and oy - 1 <= tcy <= oy + oh:
                occluded = True
        yield img, box, occluded


def write_video(video_dir: str,
                rng: np.random.Generator,
                num_frames: int,
                width: int,
                height: int,
                jpeg_quality: int = 90,
                **plan_kwargs) -> dict:
    """Plan, render and write one video in TNL2K layout.

    Args:
        video_dir (str): The video folder to create.
        rng (np.random.Generator): Random generator of the video.
        num_frames (int): Frames.
        width, height (int): Frame size.
        jpeg_quality (int): JPEG quality.
        **plan_kwargs: ``fade_prob`` and ``mode_weights`` of :func:`plan_video`.

    Returns:
        dict: The video's meta (also written to ``meta.json``).
    """
    plan = plan_video(rng, num_frames, width, height, **plan_kwargs)
    img_dir = osp.join(video_dir, 'imgs')
    os.makedirs(img_dir, exist_ok=True)
    boxes, occluded = [], []
    for t, (img, box, occ) in enumerate(render_video(rng, plan, num_frames, width, height)):
        ok, buf = cv2.imencode('.jpg', img, [cv2.IMWRITE_JPEG_QUALITY, jpeg_quality])
        assert ok
        with open(osp.join(img_dir, f'{t + 1:05d}.jpg'), 'wb') as f:
            f.write(buf.tobytes())
        boxes.append(box)
        occluded.append(occ)
    with open(osp.join(video_dir, 'groundtruth.txt'), 'w') as f:
        f.write('\n'.join(','.join(str(v) for v in b) for b in boxes) + '\n')
    with open(osp.join(video_dir, 'language.txt'), 'w', encoding='utf-8') as f:
        f.write(plan['sentence'] + '\n')
    with open(osp.join(video_dir, DISTRACTOR_LANGUAGE_FILE), 'w', encoding='utf-8') as f:
        f.write(plan['distractor_sentence'] + '\n')
    target = plan['objects'][plan['target']]
    meta = dict(
        sentence=plan['sentence'],
        distractor_sentence=plan['distractor_sentence'],
        mode=plan['mode'],
        target_colour=target['colour'],
        target_bgr=list(COLOURS[target['colour']]),
        target_shape=target['shape'],
        fade_frames=plan['fade_frames'],
        num_distractors=sum(1 for o in plan['objects'][1:]
                            if o['colour'] == target['colour'] or o['shape'] == target['shape']),
        occluded=occluded)
    with open(osp.join(video_dir, 'meta.json'), 'w', encoding='utf-8') as f:
        json.dump(meta, f)
    return meta


def make_synthetic_vl(out_dir: str,
                      train_videos: int = 8,
                      test_videos: int = 4,
                      num_frames: int = 40,
                      seed: int = 0,
                      width: int = 320,
                      height: int = 240,
                      write_infos: bool = True,
                      progress: bool = False,
                      fade_prob: float = 0.0,
                      mode_weights: Optional[Sequence[float]] = None) -> Dict[str, dict]:
    """Write the synthetic set and (by default) its TNL2K info files.

    Args:
        out_dir (str): Output root (``data/synthetic_vl`` for the demo).
        train_videos (int): Videos in ``train/``.
        test_videos (int): Videos in ``test/``.
        num_frames (int): Frames per video.
        seed (int): Seed; the same seed gives identical files.
        width, height (int): Frame size. Defaults to 320x240.
        write_infos (bool): Run the TNL2K converter into ``<out>/annotations``.
        progress (bool): Show progress bars.
        fade_prob (float): Share of videos that fade in from grey (:func:`plan_video`).
        mode_weights (Sequence[float], optional): Relative frequency of colour / shape /
            position videos. Default uniform.

    Returns:
        dict: Per split: ``videos`` (names), ``seconds`` and, with ``write_infos``,
        ``info_file`` / ``frames_file``.
    """
    from tqdm import tqdm

    from .converters import gen_tnl2k_infos
    if not 0 <= fade_prob <= 1:
        raise ValueError(f'fade_prob must be in [0, 1], got {fade_prob}')
    if num_frames < 2 or width < 96 or height < 96:
        raise ValueError(f'synthetic videos need at least 2 frames of 96x96 pixels, not '
                         f'{num_frames} frames of {width}x{height}.')
    summary = {}
    for split_idx, (split, count) in enumerate((('train', train_videos), ('test', test_videos))):
        if count <= 0:
            continue
        t0 = time.time()
        names = []
        for i in tqdm(range(count), desc=f'synthetic {split}', disable=not progress):
            rng = np.random.default_rng([seed, split_idx, i])
            name = f'syn_{split}_{i:04d}'
            write_video(
                osp.join(out_dir, split, name),
                rng,
                num_frames,
                width,
                height,
                fade_prob=fade_prob,
                mode_weights=mode_weights)
            names.append(name)
        summary[split] = dict(videos=names, seconds=time.time() - t0)
        if write_infos:
            info = gen_tnl2k_infos(
                out_dir, osp.join(out_dir, 'annotations'), split=split, progress=progress)[split]
            summary[split].update(info_file=info['info_file'], frames_file=info['frames_file'])
    return summary
