# Copyright (c) SATracker authors. Licensed under the Apache License 2.0.
"""Info-file converters for TNL2K, OTB99-Lang and LaSOT (with language).

The command-line tools in ``tools/dataset_converters`` call these functions. Each walks
a public release in its own layout, applies the defect rules of
:mod:`satracker_data.vl_sot_io` (one warning naming the file per defect) and writes
MMTracking-style info files, ``video_path,ann_path,start_frame_id,end_frame_id`` lines
plus the language file, with paths relative to the release root, so that a dataset
config uses ``data_root=<release root>`` and ``data_prefix=dict(img_path='')``.
"""
import glob
import json
import os
import os.path as osp
import re
import time
from dataclasses import dataclass, field
from typing import Dict, List, Optional, Sequence

from tqdm import tqdm

from .lasot_splits import LASOT_TEST_VIDEOS, OTB_FRAME_RANGES, OTB_INIT_SKIP
from .vl_sot_io import (INFO_HEADER, find_unreadable_images, fit_gt_rows, list_frames, natural_key,
                        parse_gt_file, read_language, to_posix, warn_defect, write_info_file)

__all__ = [
    'TNL2K_SPLIT_DIRS', 'OTB_INFO_HEADER', 'SplitScan', 'find_tnl2k_split_dir', 'gen_tnl2k_infos',
    'gen_otb99_lang_infos', 'gen_lasot_lang_infos'
]

TNL2K_SPLIT_DIRS = {
    'train': ('train', 'TNL2K_train_subset', 'TNL2K_train'),
    'test': ('test', 'TNL2K_test_subset', 'TNL2K_test'),
}
OTB_INFO_HEADER = ('The format of each line in this txt is (video_path,annotation_path,'
                   'start_frame_id,end_frame_id,language_path,framename_template)')


def _splits(split: str) -> List[str]:
    if split not in ('train', 'test', 'all'):
        raise ValueError(f'split must be "train", "test" or "all", not "{split}".')
    return ['train', 'test'] if split == 'all' else [split]


def _report_unreadable(paths: Sequence[str], out_file: str, num_workers: int,
                       desc: str) -> List[str]:
    """Decode every image, write the unreadable ones to ``out_file`` and warn."""
    bad = find_unreadable_images(paths, num_workers=num_workers, desc=desc)
    if bad:
        with open(out_file, 'w', encoding='utf-8') as f:
            f.write('\n'.join(bad) + '\n')
        shown = '\n  '.join(bad[:20])
        more = f'\n  ... and {len(bad) - 20} more' if len(bad) > 20 else ''
        warn_defect(f'{len(bad)} unreadable image(s) (listed in {out_file}); loading '
                    f'them raises an error:\n  {shown}{more}')
    elif osp.exists(out_file):
        os.remove(out_file)
    return bad


@dataclass
class SplitScan:
    """What a converter gathers while it walks one split of a release.

    Args:
        dataset (str): The release, for progress bars and messages ('TNL2K').
        split (str): 'train' or 'test'.

    Attributes:
        rows (list[tuple]): One info-file line (its columns) per kept video.
        skipped (list[str]): The videos left out, each with a warning saying why.
        errors (list[str]): Unparsable ground-truth lines, raised together by
            :meth:`write` so that one run lists all of them.
        images (list[str]): The frames the info file uses (decoded by
            ``check_images``).
        started (float): ``time.time()`` when the scan began.
    """
    dataset: str
    split: str
    rows: List[tuple] = field(default_factory=list)
    skipped: List[str] = field(default_factory=list)
    errors: List[str] = field(default_factory=list)
    images: List[str] = field(default_factory=list)
    started: float = field(default_factory=time.time)

    def skip(self, video: str, message: str) -> None:
        """Leave a video out, with a warning.

        Args:
            video (str): The video (folder or name), listed in the summary.
            message (str): The warning; it names the file concerned.
        """
        warn_defect(message)
        self.skipped.append(video)

    def usable_length(self, gt_path: str, num_frames: int, skip_rows: int = 0) -> Optional[int]:
        """The frames that have a box: min(rows, frames), by :func:`fit_gt_rows`.

        Args:
            gt_path (str): The ground-truth file.
            num_frames (int): The video's frames.
            skip_rows (int): Rows before the first frame (OTB's Tiger1).

        Returns:
            int | None: The length; None when the file has unparsable lines (kept in
            :attr:`errors`).
        """
        try:
            boxes = parse_gt_file(gt_path)[skip_rows:]
        except ValueError as e:
            self.errors.append(str(e))
            return None
        return len(fit_gt_rows(boxes, num_frames, gt_path))

    def write(self,
              out_dir: str,
              name: str,
              check_images: bool = False,
              num_workers: int = 4,
              header: str = INFO_HEADER) -> dict:
        """Write ``<name>_<split>_infos.txt`` and, with ``check_images``, the unreadable list.

        Args:
            out_dir (str): Where the info files go.
            name (str): The files' prefix ('tnl2k').
            check_images (bool): Decode :attr:`images` and list the unreadable ones in
                ``<name>_<split>_unreadable.txt`` (and a warning).
            num_workers (int): Threads for ``check_images``.
            header (str): The info file's first line.

        Returns:
            dict: The split's summary: ``info_file``, ``num_videos``, ``skipped``,
            ``unreadable`` (paths) and ``seconds``.

        Raises:
            ValueError: Listing every unparsable ground-truth line (file and line).
        """
        if self.errors:
            raise ValueError('Unparsable ground truth (fix these lines and re-run):\n  ' +
                             '\n  '.join(self.errors))
        info_file = osp.join(out_dir, f'{name}_{self.split}_infos.txt')
        write_info_file(info_file, self.rows, header=header)
        unreadable = []
        if check_images:
            unreadable = _report_unreadable(
                self.images, osp.join(out_dir, f'{name}_{self.split}_unreadable.txt'), num_workers,
                f'{self.dataset} {self.split} images')
        return dict(
            info_file=info_file,
            num_videos=len(self.rows),
            skipped=self.skipped,
            unreadable=unreadable,
            seconds=time.time() - self.started)


def _checked_length(scan: SplitScan, video_dir: str, num_frames: int) -> Optional[int]:
    """The usable length of a video with ``<video_dir>/groundtruth.txt`` (TNL2K, LaSOT).

    A video without ground truth or without a box is skipped; None then, and when the
    file has unparsable lines (:meth:`SplitScan.usable_length`).
    """
    gt_path = osp.join(video_dir, 'groundtruth.txt')
    if not osp.isfile(gt_path):
        scan.skip(video_dir, f'Ground truth not found: {gt_path}: video skipped.')
        return None
    length = scan.usable_length(gt_path, num_frames)
    if length == 0:
        scan.skip(video_dir, f'{gt_path} has no boxes: video skipped.')
        return None
    return length


# --------------------------------------------------------------------------- TNL2K
def find_tnl2k_split_dir(data_root: str, split: str) -> Optional[str]:
    """The folder of a TNL2K split under ``data_root`` (``train``/``TNL2K_train_subset``...).

    Args:
        data_root (str): The release root.
        split (str): 'train' or 'test'.

    Returns:
        str | None: The folder name relative to ``data_root``.
    """
    for name in TNL2K_SPLIT_DIRS[split]:
        if osp.isdir(osp.join(data_root, name)):
            return name
    return None


def gen_tnl2k_infos(data_root: str,
                    out_dir: str,
                    split: str = 'all',
                    check_images: bool = False,
                    num_workers: int = 4,
                    split_dirs: Optional[Dict[str, str]] = None,
                    progress: bool = True) -> Dict[str, dict]:
    """Write ``tnl2k_<split>_infos.txt`` and ``tnl2k_<split>_frames.json``.

    Each video ``<split_dir>/<video>/`` has ``imgs/`` (any image names and extensions,
    stored per video in natural order), ``groundtruth.txt`` and ``language.txt``.

    Args:
        data_root (str): The TNL2K root holding the split folders.
        out_dir (str): Where the info files go.
        split (str): 'train', 'test' or 'all'.
        check_images (bool): Decode every used frame and list the unreadable ones
            (``tnl2k_<split>_unreadable.txt`` and a warning).
        num_workers (int): Threads for ``check_images``.
        split_dirs (dict, optional): Folder name per split, overriding the search for
            ``train``/``TNL2K_train_subset``/... .
        progress (bool): Show progress bars.

    Returns:
        dict: Per split: ``info_file``, ``frames_file``, ``num_videos``, ``skipped``
        (list of video folders), ``unreadable`` (list of paths).

    Raises:
        FileNotFoundError: When a requested split folder is missing.
        ValueError: Listing every unparsable ground-truth line (file and line).
    """
    summary = {}
    for sp in _splits(split):
        split_dir = (split_dirs or {}).get(sp) or find_tnl2k_split_dir(data_root, sp)
        if split_dir is None or not osp.isdir(osp.join(data_root, split_dir)):
            if split == 'all':
                warn_defect(f'No {sp} folder ({" / ".join(TNL2K_SPLIT_DIRS[sp])}) under '
                            f'{data_root}; the {sp} split is skipped.')
                continue
            raise FileNotFoundError(f'No TNL2K {sp} folder under {data_root} (looked '
                                    f'for {", ".join(TNL2K_SPLIT_DIRS[sp])}).')
        split_path = osp.join(data_root, split_dir)
        videos = sorted((v for v in os.listdir(split_path) if osp.isdir(osp.join(split_path, v))),
                        key=natural_key)
        scan, frames = SplitScan('TNL2K', sp), {}
        for video in tqdm(videos, desc=f'TNL2K {sp}', disable=not progress):
            video_dir = osp.join(split_path, video)
            img_sub = 'imgs' if osp.isdir(osp.join(video_dir, 'imgs')) else 'img'
            names = list_frames(osp.join(video_dir, img_sub))
            if not names:
                scan.skip(video_dir, f'{osp.join(video_dir, img_sub)} has no images: video '
                          'skipped.')
                continue
            length = _checked_length(scan, video_dir, len(names))
            if length is None:
                continue
            read_language(osp.join(video_dir, 'language.txt'))
            rel = to_posix(osp.join(split_dir, video))
            video_path = f'{rel}/{img_sub}'
            scan.rows.append(
                (video_path, f'{rel}/groundtruth.txt', 0, length - 1, f'{rel}/language.txt'))
            frames[video_path] = names
            if check_images:
                scan.images.extend(osp.join(video_dir, img_sub, n) for n in names[:length])
        summary[sp] = scan.write(out_dir, 'tnl2k', check_images, num_workers)
        frames_file = osp.join(out_dir, f'tnl2k_{sp}_frames.json')
        with open(frames_file, 'w', encoding='utf-8') as f:
            json.dump(frames, f, separators=(',', ':'))
        summary[sp]['frames_file'] = frames_file
    return summary


# ---------------------------------------------------------------------- OTB99-Lang
def _frame_template(name: str) -> Optional[str]:
    m = re.fullmatch(r'(\D*)(\d+)(\.\w+)', name)
    if m is None:
        return None
    prefix, digits, ext = m.groups()
    return f'{prefix}%0{len(digits)}d{ext}'


def _otb_video(videos_root: str, seq: str):
    """Folder and ground-truth file of an OTB99-Lang sequence.

    ``Jogging-1`` uses ``Jogging-1/`` when the release has it, otherwise the shared
    ``Jogging/`` folder with ``groundtruth_rect.1.txt`` (likewise Skating2-1/2).

    Returns:
        tuple[str, str] | None: Folder name and ground-truth file name.
    """
    m = re.fullmatch(r'(.+)-(\d+)', seq)
    candidates = [(seq, None)]
    if m:
        candidates.append((m.group(1), m.group(2)))
    for folder, index in candidates:
        vdir = osp.join(videos_root, folder)
        if not osp.isdir(vdir):
            continue
        names = ['groundtruth_rect.txt'
                 ] if index is None else [f'groundtruth_rect.{index}.txt', 'groundtruth_rect.txt']
        if index is None:
            names += sorted(
                osp.basename(p) for p in glob.glob(osp.join(vdir, 'groundtruth_rect.*.txt')))
        for gt in names:
            path = osp.join(vdir, gt)
            if osp.isfile(path) and osp.getsize(path) > 0:
                return folder, gt
        return folder, None
    return None


def gen_otb99_lang_infos(data_root: str,
                         out_dir: str,
                         split: str = 'all',
                         check_images: bool = False,
                         num_workers: int = 4,
                         frame_ranges: Optional[Dict[str, tuple]] = None,
                         progress: bool = True) -> Dict[str, dict]:
    """Write ``otb99_lang_<split>_infos.txt`` from an OTB99-Lang release.

    The split is given by the query files, ``OTB_query_<split>/<Seq>.txt``; frames are
    ``OTB_videos/<Seq>/img/*`` with MMTracking's OTB100 frame ranges (see
    ``OTB_FRAME_RANGES``; other sequences use all their images) and the name template
    of the first frame (``%05d.jpg`` for Board). Each line also has the query file and
    the template.

    Args:
        data_root (str): Folder with ``OTB_videos``, ``OTB_query_train``,
            ``OTB_query_test``.
        out_dir (str): Where the info files go.
        split (str): 'train', 'test' or 'all'.
        check_images (bool): Decode every used frame and list the unreadable ones.
        num_workers (int): Threads for ``check_images``.
        frame_ranges (dict, optional): ``{seq: (first, last)}`` overriding
            ``OTB_FRAME_RANGES``.
        progress (bool): Show progress bars.

    Returns:
        dict: Per split: ``info_file``, ``num_videos``, ``skipped``, ``unreadable``.
    """
    ranges = dict(OTB_FRAME_RANGES if frame_ranges is None else frame_ranges)
    videos_root = osp.join(data_root, 'OTB_videos')
    summary = {}
    for sp in _splits(split):
        query_dir = f'OTB_query_{sp}'
        if not osp.isdir(osp.join(data_root, query_dir)):
            raise FileNotFoundError(f'{osp.join(data_root, query_dir)} not found.')
        seqs = sorted((osp.splitext(f)[0]
                       for f in os.listdir(osp.join(data_root, query_dir)) if f.endswith('.txt')),
                      key=natural_key)
        scan = SplitScan('OTB99-Lang', sp)
        for seq in tqdm(seqs, desc=f'OTB99-Lang {sp}', disable=not progress):
            found = _otb_video(videos_root, seq)
            if found is None:
                scan.skip(seq, f'No folder for {seq} in {videos_root}: video skipped.')
                continue
            folder, gt_name = found
            img_dir = osp.join(videos_root, folder, 'img')
            names = list_frames(img_dir)
            if not names:
                scan.skip(seq, f'{img_dir} has no images: video skipped.')
                continue
            if gt_name is None:
                scan.skip(
                    seq, f'No non-empty groundtruth_rect*.txt in '
                    f'{osp.join(videos_root, folder)}: video skipped.')
                continue
            template = _frame_template(names[0])
            if template is None:
                scan.skip(
                    seq, f'{img_dir}: frame names like "{names[0]}" are not '
                    'numbered: video skipped.')
                continue
            numbers = sorted(int(re.sub(r'\D', '', osp.splitext(n)[0])) for n in names)
            base = folder if folder in ranges else seq
            first, last = ranges.get(base, (numbers[0], numbers[-1]))
            last = min(last, numbers[-1])
            skip = OTB_INIT_SKIP.get(base, 0)
            gt_path = osp.join(videos_root, folder, gt_name)
            length = scan.usable_length(gt_path, last - first + 1, skip)
            if length is None:
                continue
            if length <= 0:
                scan.skip(seq, f'{gt_path} has no boxes for frames {first}-{last}: video '
                          'skipped.')
                continue
            last = first + length - 1
            lang_rel = f'{query_dir}/{seq}.txt'
            read_language(osp.join(data_root, lang_rel))
            rel = f'OTB_videos/{folder}'
            scan.rows.append((f'{rel}/img', f'{rel}/{gt_name}', first, last, lang_rel, template))
            expected = [osp.join(img_dir, template % i) for i in range(first, last + 1)]
            missing = [p for p in expected if not osp.isfile(p)]
            if missing:
                warn_defect(f'{img_dir}: {len(missing)} frame(s) of {first}-{last} are '
                            f'missing (first: {missing[0]}); loading them raises an '
                            'error.')
            if check_images:
                scan.images.extend(p for p in expected if osp.isfile(p))
        summary[sp] = scan.write(
            out_dir, 'otb99_lang', check_images, num_workers, header=OTB_INFO_HEADER)
    return summary


# --------------------------------------------------------------------------- LaSOT
def gen_lasot_lang_infos(data_root: str,
                         out_dir: str,
                         split: str = 'all',
                         check_images: bool = False,
                         num_workers: int = 4,
                         test_videos: Optional[Sequence[str]] = None,
                         progress: bool = True) -> Dict[str, dict]:
    """Write ``lasot_<split>_infos.txt`` (MMTracking's format plus ``nlp.txt``).

    Videos are ``<class>/<class>-<n>/img/%08d.jpg``; the test split is LaSOT's official
    280 videos (``LASOT_TEST_VIDEOS``), the train split all the others. The files are
    readable by MMTracking's ``LaSOTDataset`` too (it ignores the fifth column).

    Args:
        data_root (str): The ``LaSOTBenchmark`` folder (class folders inside).
        out_dir (str): Where the info files go.
        split (str): 'train', 'test' or 'all'.
        check_images (bool): Decode every used frame and list the unreadable ones.
        num_workers (int): Threads for ``check_images``.
        test_videos (Sequence[str], optional): Test video names overriding the
            official list.
        progress (bool): Show progress bars.

    Returns:
        dict: Per split: ``info_file``, ``num_videos``, ``skipped``, ``unreadable``.
    """
    test_set = set(LASOT_TEST_VIDEOS if test_videos is None else test_videos)
    all_videos = sorted(
        (osp.basename(p) for p in glob.glob(osp.join(data_root, '*', '*-*')) if osp.isdir(p)),
        key=natural_key)
    summary = {}
    for sp in _splits(split):
        scan = SplitScan('LaSOT', sp)
        if sp == 'test':
            present = set(all_videos)
            missing = sorted(test_set - present, key=natural_key)
            if missing:
                warn_defect(f'{len(missing)} LaSOT test video(s) not found under '
                            f'{data_root} (e.g. {missing[0]}): left out.')
            videos = [v for v in all_videos if v in test_set]
        else:
            videos = [v for v in all_videos if v not in test_set]
        for video in tqdm(videos, desc=f'LaSOT {sp}', disable=not progress):
            cls = video.rsplit('-', 1)[0]
            rel = f'{cls}/{video}'
            video_dir = osp.join(data_root, cls, video)
            img_dir = osp.join(video_dir, 'img')
            names = list_frames(img_dir)
            if not names:
                scan.skip(video_dir, f'{img_dir} has no images: video skipped.')
                continue
            numbers = [int(osp.splitext(n)[0]) for n in names if osp.splitext(n)[0].isdigit()]
            last = max(numbers) if numbers else len(names)
            if len(numbers) != last:
                warn_defect(f'{img_dir}: {last - len(numbers)} of frames 1-{last} are '
                            'missing or misnamed; loading them raises an error.')
            for aux in ('full_occlusion.txt', 'out_of_view.txt'):
                if not osp.isfile(osp.join(video_dir, aux)):
                    warn_defect(f'{osp.join(video_dir, aux)} not found: loading this '
                                'video raises an error.')
            length = _checked_length(scan, video_dir, last)
            if length is None:
                continue
            read_language(osp.join(video_dir, 'nlp.txt'))
            scan.rows.append((f'{rel}/img', f'{rel}/groundtruth.txt', 1, length, f'{rel}/nlp.txt'))
            if check_images:
                scan.images.extend(
                    p for p in (osp.join(img_dir, '%08d.jpg' % i) for i in range(1, length + 1))
                    if osp.isfile(p))
        summary[sp] = scan.write(out_dir, 'lasot', check_images, num_workers)
    return summary
