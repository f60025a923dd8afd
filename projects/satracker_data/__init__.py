# Copyright (c) SATracker authors. Licensed under the Apache License 2.0.
"""SATracker's offline data tools: reading releases, info files, converters, synthetic set.

Needs NumPy, OpenCV and tqdm only (never torch, MMTracking or transformers), so the
command lines in ``tools/dataset_converters`` import it directly and start in a fraction
of a second. Installed with ``satracker``; the datasets of ``satracker.datasets`` read
files through it.

- :mod:`satracker_data.vl_sot_io`: parsing ground truth, sentences and frame folders;
  the defect rules (one :class:`DatasetDefectWarning` naming the file); info files.
- :mod:`satracker_data.converters`: the TNL2K, OTB99-Lang and LaSOT info-file writers.
- :mod:`satracker_data.lasot_splits`: LaSOT's official test split, OTB100's frame ranges.
- :mod:`satracker_data.synthetic_vl`: the synthetic vision-language set (TNL2K layout).
- :mod:`satracker_data.cli`: what the converter command lines share.

The old module paths ``satracker.datasets.{vl_sot_io,converters,lasot_splits,
synthetic_vl}`` re-export these names.
"""
from .vl_sot_io import DatasetDefectWarning

__all__ = ['DatasetDefectWarning']
