#!/usr/bin/env bash
# Distributed testing: tools/dist_test.sh CONFIG NUM_PROCS [--checkpoint CKPT] [test.py args]
# Videos are sharded across the processes (CUDA: NCCL; CPU: gloo); the metric gathers them.
PORT=${PORT:-29501} exec bash "$(dirname "$0")/dist_launch.sh" test.py "$@"
