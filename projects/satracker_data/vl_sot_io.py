# Copyright (c) SATracker authors. Licensed under the Apache License 2.0.
"""Reading and checking the files of vision-language SOT releases.

Shared by the datasets of ``satracker.datasets`` (at load time) and by the converters of
:mod:`satracker_data.converters` (which check a whole release up front). Every defect of
a public release is handled by one rule and reported with one
:class:`DatasetDefectWarning` (or error) that names the file:

- more ground-truth rows than frames: the extra rows are dropped;
- fewer ground-truth rows than frames: the trailing frames are not used
  (:func:`fit_gt_rows` holds both rules);
- an empty or missing language file: the sentence is empty;
- a video folder without images: the video is skipped (converters);
- an unreadable image: an error naming the path when it is loaded
  (``--check-images`` of the converters lists all of them up front);
- comma, tab or space separated ground truth is accepted; a line that cannot be parsed
  is an error naming the file and the line;
- language files are read as UTF-8, falling back to other encodings with a warning.
"""
import os
import os.path as osp
import re
import warnings
from concurrent.futures import ThreadPoolExecutor
from typing import Callable, Iterable, List, Optional, Sequence

import numpy as np

#: Extensions (lower case) of the files that count as frames.
IMG_EXTENSIONS = ('.jpg', '.jpeg', '.png', '.bmp')

#: Files that are silently ignored in image folders.
_IGNORED_FILES = ('thumbs.db', 'desktop.ini')

#: Header line of the info files (MMTracking's, plus the language column).
INFO_HEADER = ('The format of each line in this txt is '
               '(video_path,annotation_path,start_frame_id,end_frame_id,'
               'language_path)')

#: Header line of MMTracking's own info files (GOT-10k, LaSOT, TrackingNet: no language).
MMTRACK_INFO_HEADER = ('The format of each line in this txt is '
                       '(video_path,annotation_path,start_frame_id,end_frame_id)')

__all__ = [
    'IMG_EXTENSIONS', 'INFO_HEADER', 'MMTRACK_INFO_HEADER', 'DatasetDefectWarning', 'warn_defect',
    'natural_key', 'list_frames', 'parse_gt_file', 'decode_text', 'clean_sentence', 'read_language',
    'fit_gt_rows', 'is_image_readable', 'find_unreadable_images', 'write_info_file',
    'read_info_file', 'to_posix', 'class_phrase', 'optional_column', 'language_path',
    'add_sentences'
]

_GT_SPLIT = re.compile(r'[,\s]+')
_NUM_SPLIT = re.compile(r'(\d+)')


class DatasetDefectWarning(UserWarning):
    """A defect of a dataset release, handled by a rule (the message says which)."""


def warn_defect(message: str) -> None:
    """Emit one :class:`DatasetDefectWarning`.

    Args:
        message (str): The message; it names the file concerned.
    """
    warnings.warn(message, DatasetDefectWarning, stacklevel=3)


def natural_key(name: str) -> list:
    """Sort key that orders embedded numbers numerically (``img2`` < ``img10``).

    Args:
        name (str): A file name.

    Returns:
        list: The key.
    """
    return [int(p) if p.isdigit() else p.lower() for p in _NUM_SPLIT.split(name)]


def list_frames(img_dir: str) -> List[str]:
    """List the frame files of a video folder, in natural order.

    Files whose extension is not an image extension (for example TNL2K's
    ``00000492.pn_error``) are left out with a warning naming them; hidden files and
    ``Thumbs.db`` are left out silently.

    Args:
        img_dir (str): The folder holding the frames.

    Returns:
        list[str]: File names (not paths); empty when there are none or the folder
        does not exist.
    """
    if not osp.isdir(img_dir):
        return []
    names, ignored = [], []
    for name in os.listdir(img_dir):
        if name.startswith('.') or name.lower() in _IGNORED_FILES:
            continue
        if not osp.isfile(osp.join(img_dir, name)):
            continue
        if osp.splitext(name)[1].lower() in IMG_EXTENSIONS:
            names.append(name)
        else:
            ignored.append(name)
    if ignored:
        shown = ', '.join(sorted(ignored)[:5])
        more = f' and {len(ignored) - 5} more' if len(ignored) > 5 else ''
        warn_defect(f'{img_dir}: ignored {len(ignored)} file(s) that are not images '
                    f'({shown}{more}).')
    return sorted(names, key=natural_key)


def parse_gt_file(path: str) -> np.ndarray:
    """Parse a ground-truth file with one ``x, y, w, h`` box per line.

    Values may be separated by commas, tabs or spaces (mixed separators too); ``NaN``
    is accepted (it marks an invalid box). Trailing blank lines are ignored.

    Args:
        path (str): The file.

    Returns:
        np.ndarray: (N, 4) float64 boxes in x, y, w, h.

    Raises:
        FileNotFoundError: When the file does not exist.
        ValueError: Naming the file and the 1-based line number of a line that is not
            four numbers (a blank line between boxes included).
    """
    if not osp.isfile(path):
        raise FileNotFoundError(f'Ground-truth file not found: {path}')
    with open(path, 'rb') as f:
        text = f.read().decode('utf-8-sig', errors='replace')
    lines = text.splitlines()
    while lines and not lines[-1].strip():
        lines.pop()
    boxes = np.empty((len(lines), 4), dtype=np.float64)
    for i, line in enumerate(lines):
        tokens = [t for t in _GT_SPLIT.split(line.strip()) if t]
        try:
            if len(tokens) != 4:
                raise ValueError
            boxes[i] = [float(t) for t in tokens]
        except ValueError:
            raise ValueError(f'{path}, line {i + 1}: cannot parse "{line.strip()}" as a box '
                             '(expected four numbers x, y, w, h separated by commas, tabs or '
                             'spaces).') from None
    return boxes


def decode_text(data: bytes, path: str = '<bytes>') -> str:
    """Decode the bytes of a language file: UTF-8 first, never failing.

    UTF-8 (with or without BOM) is tried first; otherwise cp1252 and finally latin-1
    (which decodes any byte string), with a warning naming the file.

    Args:
        data (bytes): File contents.
        path (str): The file, for the warning.

    Returns:
        str: The decoded text.
    """
    try:
        return data.decode('utf-8-sig')
    except UnicodeDecodeError:
        pass
    for encoding in ('cp1252', 'latin-1'):
        try:
            text = data.decode(encoding)
        except UnicodeDecodeError:
            continue
        warn_defect(f'{path} is not valid UTF-8; read it as {encoding}.')
        return text
    return data.decode('utf-8', errors='replace')  # pragma: no cover (latin-1 never fails)


def clean_sentence(text: str) -> str:
    """The first non-empty line of a text, with whitespace collapsed.

    Args:
        text (str): Raw text.

    Returns:
        str: The sentence ('' when there is none).
    """
    for line in text.splitlines():
        line = ' '.join(line.split())
        if line:
            return line
    return ''


def read_language(path: str) -> str:
    """Read the sentence of a video from its language file.

    A missing file or an empty one gives the empty sentence, with a warning naming the
    file (the text pipeline turns it into ``[CLS][SEP]`` and flags it invalid so that
    the dense matching loss is masked).

    Args:
        path (str): The language file (TNL2K ``language.txt``, LaSOT ``nlp.txt``, an
            OTB99-Lang query file).

    Returns:
        str: The sentence.
    """
    if not osp.isfile(path):
        warn_defect(f'Language file not found: {path}; using an empty sentence.')
        return ''
    with open(path, 'rb') as f:
        sentence = clean_sentence(decode_text(f.read(), path))
    if not sentence:
        warn_defect(f'Language file is empty: {path}; using an empty sentence.')
    return sentence


def fit_gt_rows(boxes: np.ndarray,
                num_frames: int,
                path: str,
                pad: bool = False,
                warn: Callable[[str], None] = warn_defect) -> np.ndarray:
    """The rule for a ground truth whose row count differs from the video's frames.

    More rows than frames: the extra rows are dropped. Fewer rows: the trailing frames
    have no box and are not used: the converters cut the video there (``pad=False``,
    the returned length is the usable length); a dataset, whose length an info file
    fixes, gives those frames NaN boxes (``pad=True``), so they are never training
    targets and count as invalid ground truth in scoring. Either case warns once.

    Args:
        boxes (np.ndarray): (N, 4) parsed boxes.
        num_frames (int): The number of frames of the video.
        path (str): The ground-truth file, named in the warning.
        pad (bool): Pad missing rows with NaN instead of cutting. Defaults to False.
        warn (Callable[[str], None]): Emits the message. Defaults to
            :func:`warn_defect` (a dataset passes its warn-once).

    Returns:
        np.ndarray: (min(N, num_frames), 4) boxes, or (num_frames, 4) with ``pad``.
    """
    boxes = np.asarray(boxes, dtype=np.float64).reshape(-1, 4)
    n = len(boxes)
    if n > num_frames:
        warn(f'{path} has {n} rows for {num_frames} frames: the last {n - num_frames} '
             'rows are dropped.')
        return boxes[:num_frames]
    if n < num_frames:
        warn(f'{path} has {n} rows for {num_frames} frames: the last {num_frames - n} '
             'frames have no box: those frames are not used.')
        if pad:
            return np.concatenate([boxes, np.full((num_frames - n, 4), np.nan)])
    return boxes


def is_image_readable(path: str) -> bool:
    """Whether OpenCV (MMCV's default image backend) decodes the file.

    Args:
        path (str): An image file.

    Returns:
        bool: True when it decodes to a non-empty image.
    """
    import cv2
    try:
        data = np.fromfile(path, dtype=np.uint8)
    except OSError:
        return False
    if data.size == 0:
        return False
    img = cv2.imdecode(data, cv2.IMREAD_COLOR)
    return img is not None and img.size > 0


def find_unreadable_images(paths: Sequence[str],
                           num_workers: int = 4,
                           desc: str = 'checking images') -> List[str]:
    """Decode every image and list those that cannot be read.

    Args:
        paths (Sequence[str]): Image files.
        num_workers (int): Decoding threads (OpenCV releases the GIL).
        desc (str): Progress bar label.

    Returns:
        list[str]: The unreadable paths, in input order.
    """
    from tqdm import tqdm
    with ThreadPoolExecutor(max(1, num_workers)) as pool:
        ok = list(tqdm(pool.map(is_image_readable, paths), total=len(paths), desc=desc))
    return [p for p, good in zip(paths, ok) if not good]


def write_info_file(path: str, rows: Iterable[Sequence], header: str = INFO_HEADER) -> int:
    """Write an info file: a header line, then one comma-separated line per video.

    There is no trailing newline (MMTracking's loaders split on ``\\n``).

    Args:
        path (str): Output file; its folder is created.
        rows (Iterable[Sequence]): The columns of each line; paths use ``/``.
        header (str): The first (comment) line.

    Returns:
        int: The number of lines written (without the header).

    Raises:
        ValueError: When a value contains a comma or a line break.
    """
    lines = []
    for row in rows:
        values = [str(v) for v in row]
        for v in values:
            if ',' in v or '\n' in v:
                raise ValueError(f'Cannot write "{v}" to {path}: info files are '
                                 'comma separated; rename the file or folder.')
        lines.append(','.join(values))
    os.makedirs(osp.dirname(osp.abspath(path)), exist_ok=True)
    with open(path, 'w', encoding='utf-8') as f:
        f.write('\n'.join([header] + lines))
    return len(lines)


def read_info_file(path: str) -> List[List[str]]:
    """Read an info file written by :func:`write_info_file` (or by MMTracking).

    Args:
        path (str): The file.

    Returns:
        list[list[str]]: The columns of each line after the header; blank lines are
        skipped; paths are returned with ``/`` separators.
    """
    with open(path, encoding='utf-8') as f:
        lines = f.read().split('\n')
    return [[c.strip() for c in line.strip().split(',')] for line in lines[1:] if line.strip()]


def to_posix(path: str) -> str:
    """A relative path with ``/`` separators, as written in info files.

    Args:
        path (str): A path.

    Returns:
        str: The same path with ``/``.
    """
    return path.replace(os.sep, '/')


def class_phrase(name: str) -> str:
    """A noun phrase for a class name: ``'an airplane'``, ``'a giant panda'``.

    Args:
        name (str): A class name (underscores become spaces).

    Returns:
        str: The phrase; '' for an empty name.
    """
    name = ' '.join(name.replace('_', ' ').split())
    if not name:
        return ''
    article = 'an' if name[0].lower() in 'aeiou' else 'a'
    return f'{article} {name}'


def optional_column(row: Sequence[str], index: int) -> Optional[str]:
    """Column ``index`` of an info row, or None when absent or empty.

    Args:
        row (Sequence[str]): The columns.
        index (int): Column index.

    Returns:
        str | None: The value.
    """
    if len(row) > index and row[index]:
        return row[index]
    return None


def language_path(row: Sequence[str], default_name: Optional[str] = None) -> Optional[str]:
    """The language file of a video, from its info row.

    Args:
        row (Sequence[str]): The columns of the info row (``video_path`` first).
        default_name (str, optional): A file name looked up next to the video's image
            folder when the row has no fifth column (``nlp.txt`` for MMTracking's LaSOT
            files).

    Returns:
        str | None: The fifth column, else ``default_name`` in the folder above
        ``row[0]``, else None.
    """
    path = optional_column(row, 4)
    if path is None and default_name:
        path = osp.join(osp.dirname(row[0]), default_name)
    return path


def add_sentences(data_list: List[dict],
                  ann_file: str,
                  root: str,
                  default_name: Optional[str] = None) -> List[List[str]]:
    """Add each video's language file and sentence to MMTracking's video infos.

    Args:
        data_list (list[dict]): One info per video, in the order of the info file's lines
            (what MMTracking's ``load_data_list`` returns); ``lang_path`` (str | None)
            and ``text`` (str) are added in place.
        ann_file (str): The info file.
        root (str): The folder the info file's paths are relative to.
        default_name (str, optional): See :func:`language_path`. Without a language file
            the sentence is empty, with a warning naming the info file and the video.

    Returns:
        list[list[str]]: The info file's rows, for their other columns.
    """
    rows = read_info_file(ann_file)
    for info, row in zip(data_list, rows):
        info['lang_path'] = language_path(row, default_name)
        if info['lang_path'] is None:
            warn_defect(f'{ann_file}: no language file for "{row[0]}"; using an empty '
                        'sentence.')
            info['text'] = ''
        else:
            info['text'] = read_language(osp.join(root, info['lang_path']))
    return rows
