# Copyright (c) SATracker authors. Licensed under the Apache License 2.0.
"""Vision-language SOT datasets and transforms (registered into mmtrack's registries)."""
from . import transforms  # noqa: F401
from .base_vl_sot_dataset import VLSOTDatasetMixin
from .lasot_lang_dataset import LaSOTLangDataset
from .otb99_lang_dataset import OTB99LangDataset
from .phase1_datasets import (GOT10kLangDataset, SOTCocoLangDataset,
                              TrackingNetLangDataset)
from .tnl2k_dataset import TNL2KDataset
from .vl_sot_io import DatasetDefectWarning

__all__ = [
    'VLSOTDatasetMixin', 'TNL2KDataset', 'OTB99LangDataset', 'LaSOTLangDataset',
    'GOT10kLangDataset', 'SOTCocoLangDataset', 'TrackingNetLangDataset',
    'DatasetDefectWarning'
]
