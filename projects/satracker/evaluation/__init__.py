# Copyright (c) SATracker authors. Licensed under the Apache License 2.0.
"""VL SOT evaluation.

- :mod:`.functional`: the protocol math (success / precision / normalised precision, the
  pytracking and TNL2K-toolkit rules), numpy only;
- :mod:`.metrics`: ``VLSOTMetric``, the registered MMEngine metric that collects a test run
  and scores it with ``functional``;
- :mod:`.result_files`: the result folder a run writes (``<video>.txt``,
  ``vl_sot_eval.json``, ``vl_sot_curves.npz``) and how it is read back;
- :mod:`.plots`: the comparison table and the success / precision plots.
"""
from . import functional, metrics, result_files  # noqa: F401
