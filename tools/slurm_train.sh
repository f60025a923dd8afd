#!/usr/bin/env bash
# Training on a Slurm cluster, with MMTracking 1.x's arguments (GPUS is the 5th argument).
# Usage: [GPUS_PER_NODE=8] [CPUS_PER_TASK=2] [SRUN_ARGS=...] \
#     tools/slurm_train.sh PARTITION JOB_NAME CONFIG WORK_DIR GPUS [train.py args]
# e.g.   tools/slurm_train.sh dev satracker configs/satracker_tnl2k.py work_dirs/tnl2k 8 --resume
USAGE="usage: $0 PARTITION JOB_NAME CONFIG WORK_DIR GPUS [train.py args]"
if [ $# -lt 5 ] || ! [[ "$5" =~ ^[1-9][0-9]*$ ]]; then
  echo "$USAGE" >&2
  echo "slurm_train.sh: error: GPUS (5th argument) must be a positive number, got '${5:-}'" >&2
  exit 2
fi
set -x
PARTITION=$1
JOB_NAME=$2
CONFIG=$3
WORK_DIR=$4
GPUS=$5
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
    python -u "$ROOT/tools/train.py" "${CONFIG}" --work-dir="${WORK_DIR}" --launcher="slurm" \
    "${@:6}"
