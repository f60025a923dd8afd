# Copyright (c) SATracker authors. Licensed under the Apache License 2.0.
"""Deprecated name of ``tools/synthetic_benchmark.py`` (the ``make demo`` pipeline).

Kept so that older commands keep working; it prints a note and runs the new tool with the same
arguments.
"""
import os.path as osp
import runpy
import sys

if __name__ == '__main__':
    print(
        'tools/run_demo.py is now tools/synthetic_benchmark.py (same options); running it.',
        file=sys.stderr)
    sys.argv[0] = osp.join(osp.dirname(osp.abspath(__file__)), 'synthetic_benchmark.py')
    runpy.run_path(sys.argv[0], run_name='__main__')
