#!/usr/bin/env bash
# Distributed training: tools/dist_train.sh CONFIG NUM_PROCS [train.py args]
# With CUDA: one process per GPU (NCCL). Without CUDA: NUM_PROCS CPU processes (gloo).
# Multi-node: set NNODES, NODE_RANK, MASTER_ADDR and PORT as for MMTracking's script.
exec bash "$(dirname "$0")/dist_launch.sh" train.py "$@"
