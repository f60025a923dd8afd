#!/usr/bin/env bash
# Testing on a Slurm cluster, with MMTracking 1.x's arguments (GPUS is the 4th argument).
# Usage: [GPUS_PER_NODE=8] [CPUS_PER_TASK=2] [SRUN_ARGS=...] \
#     tools/slurm_test.sh PARTITION JOB_NAME CONFIG GPUS [test.py args, e.g. --checkpoint CKPT]
USAGE="usage: $0 PARTITION JOB_NAME CONFIG GPUS [test.py args]"
if [ $# -lt 4 ] || ! [[ "$4" =~ ^[1-9][0-9]*$ ]]; then
  echo "$USAGE" >&2
  echo "slurm_test.sh: error: GPUS (4th argument) must be a positive number, got '${4:-}'" >&2
  exit 2
fi
set -x
PARTITION=$1
JOB_NAME=$2
CONFIG=$3
GPUS=$4
GPUS_PER_NODE=${GPUS_PER_NODE:-8}
CPUS_PER_TASK=${CPUS_PER_TASK:-2}
SRUN_ARGS=${SRUN_ARGS:-""}
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
PYTHONPATH="$ROOT/projects:${PYTHONPATH:-}" \
srun -p "${PARTITION}" \
    --job-name="${JOB_NAME}" \
    --gres=gpu:${GPUS_PER_NODE} \
    --ntasks=${GPUS} \
    --ntasks-per-node=${GPUS_PER_NODE} \
    --cpus-per-task=${CPUS_PER_TASK} \
    --kill-on-bad-exit=1 \
    ${SRUN_ARGS} \
    python -u "$ROOT/tools/test.py" "${CONFIG}" --launcher="slurm" "${@:5}"
