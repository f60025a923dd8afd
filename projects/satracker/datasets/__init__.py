# Copyright (c) SATracker authors. Licensed under the Apache License 2.0.
"""Vision-language SOT datasets and transforms (registered into mmtrack's registries).

One file per dataset (``tnl2k_dataset.py``, ``otb99_lang_dataset.py``,
``lasot_lang_dataset.py``, ``phase1_datasets.py``) on :class:`VLSOTDatasetMixin`
(``base_vl_sot_dataset.py``); ``transforms/`` tokenises and packs. Reading the files of a
release (ground truth, sentences, info files, the defect rules), the converters and the
synthetic set live in the torch-free package :mod:`satracker_data`; the modules
``vl_sot_io``, ``converters``, ``lasot_splits`` and ``synthetic_vl`` here re-export it.
"""
from . import transforms  # noqa: F401
from .base_vl_sot_dataset import VLSOTDatasetMixin
from .lasot_lang_dataset import LaSOTLangDataset
from .otb99_lang_dataset import OTB99LangDataset
from .phase1_datasets import GOT10kLangDataset, SOTCocoLangDataset, TrackingNetLangDataset
from .tnl2k_dataset import TNL2KDataset
from .vl_sot_io import DatasetDefectWarning

__all__ = [
    'VLSOTDatasetMixin', 'TNL2KDataset', 'OTB99LangDataset', 'LaSOTLangDataset',
    'GOT10kLangDataset', 'SOTCocoLangDataset', 'TrackingNetLangDataset', 'DatasetDefectWarning'
]
