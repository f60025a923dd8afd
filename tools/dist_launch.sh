#!/usr/bin/env bash
# torchrun launcher shared by dist_train.sh and dist_test.sh: dist_launch.sh SCRIPT CONFIG NUM_PROCS [args]
# With CUDA: one process per GPU, NCCL. Without CUDA: NUM_PROCS CPU processes with gloo.
# Multi-node: NNODES, NODE_RANK, MASTER_ADDR, PORT as in MMTracking's script.
set -eu
SCRIPT=$1
CONFIG=$2
GPUS=$3
NNODES=${NNODES:-1}
NODE_RANK=${NODE_RANK:-0}
PORT=${PORT:-29500}
MASTER_ADDR=${MASTER_ADDR:-"127.0.0.1"}
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
if [ -z "${PYTHON:-}" ]; then
  if [ -x "$ROOT/.venv/bin/python" ]; then PYTHON="$ROOT/.venv/bin/python"; else PYTHON=python; fi
fi
# Without CUDA, keep each CPU process to its share of the cores.
if ! "$PYTHON" -c 'import torch, sys; sys.exit(not torch.cuda.is_available())' 2>/dev/null; then
  export OMP_NUM_THREADS=${OMP_NUM_THREADS:-$(( $(nproc) / GPUS > 0 ? $(nproc) / GPUS : 1 ))}
fi
export PYTHONPATH="$ROOT/projects:${PYTHONPATH:-}"
# Pre-flight, once, before any process starts: every missing file (data info files, weights,
# the checkpoint to start from) is listed with the command that makes it; exit status 2.
"$PYTHON" "$ROOT/tools/$SCRIPT" "$CONFIG" "${@:4}" --check-only >/dev/null || exit $?
"$PYTHON" -m torch.distributed.run \
    --nnodes="$NNODES" \
    --node_rank="$NODE_RANK" \
    --master_addr="$MASTER_ADDR" \
    --nproc_per_node="$GPUS" \
    --master_port="$PORT" \
    "$ROOT/tools/$SCRIPT" \
    "$CONFIG" \
    --launcher pytorch "${@:4}"
