#!/usr/bin/env bash
# The GPU path in one prepared run (docs/speed.md, "GPU"): on a node with a CUDA torch,
# numpy and transformers already installed and no network, install our wheel folder into a
# target directory, build mmcv's ops from its sdist against that torch, then in one go
#   (a) tools/dist_train.sh of the paper-size SATracker and of MMTracking's STARK-ST1, a few
#       iterations each with --amp: samples/s and peak GPU memory;
#   (b) tools/dist_test.sh of the trained SATracker checkpoint on a small synthetic set;
#   (c) tools/analysis_tools/benchmark_speed.py: track() FPS cached / uncached and STARK-ST1,
#       eager with --fp16, then with --fp16 --compile;
# each stage time-boxed (timeout), printing one RESULT line or why it failed, the next stage
# running whatever happened, and a summary table at the end. Weights are random (CvT-21 and
# BERT-base made here), the data synthetic (tools/dataset_converters/make_synthetic_vl.py).
#
#   tools/misc/gpu_check.sh --device cuda --wheels DIR --work DIR        (the GPU node)
#   tools/misc/gpu_check.sh --device cpu --tiny --python .venv/bin/python --skip-install
#                                                                        (a rehearsal here)
# The wheel folder comes from tools/misc/gpu_wheels.sh (a machine with PyPI access).
set -uo pipefail

REPO="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
HELPER="$REPO/tools/misc/gpu_check.py"
MMCV_VERSION=2.0.0rc4

usage() {
  cat <<EOF
usage: tools/misc/gpu_check.sh [--device cuda|cpu] [--wheels DIR] [--work DIR]
                               [--python PY] [--skip-install] [--tiny] [--gpus N]
                               [--iters N] [--batch N] [--frames N] [--budget SECONDS]
                               [--build-limit SECONDS] [--limit-factor N] [--port N]
                               [--no-compile]

  --device cuda|cpu  where the stages run (default cuda; cpu hides the GPUs and trains with
                     gloo: a rehearsal of the script)
  --wheels DIR       the wheel folder of tools/misc/gpu_wheels.sh (default
                     work_dirs/gpu_wheels); a built mmcv wheel is cached in DIR/mmcv-cache/
  --work DIR         where everything is written (default work_dirs/gpu_check)
  --python PY        the interpreter that holds torch (default python3)
  --skip-install     use PY's environment as it is (no pip install, no mmcv build)
  --tiny             tiny models and data (minutes on a laptop CPU)
  --gpus N           processes (GPUs) of the training and test runs (default 1)
  --iters N          training iterations (default 20, tiny 3)
  --batch N          samples per process and step (default 8, tiny 2)
  --frames N         frames of the benchmark's video, a fifth of them warm-up (default 120,
                     tiny 8)
  --budget SECONDS   the whole run's time (default 480); a stage gets at most what is left
  --build-limit S    time box of the mmcv build (default 300: about 2 minutes on 16 cores;
                     raise it, and --budget, on a machine with few cores)
  --limit-factor N   multiply every stage's time box by N (a slow or busy machine; default 1)
  --port N           first of the three ports of the torchrun launches (default 29610)
  --no-compile       skip the --compile benchmark (on by default with cuda, off with cpu)
EOF
}

die() { echo "gpu_check.sh: error: $*" >&2; exit 2; }

DEVICE=cuda
WHEELS="$REPO/work_dirs/gpu_wheels"
WORK="$REPO/work_dirs/gpu_check"
PY=python3
SKIP_INSTALL=0
TINY=0
GPUS=1
ITERS=""
BATCH=""
FRAMES=""
BUDGET=480
BUILD_LIMIT=300
LIMIT_FACTOR=1
PORT_BASE=29610
COMPILE=""
while [ $# -gt 0 ]; do
  case "$1" in
    --device) [ $# -ge 2 ] || die "--device needs a value"; DEVICE=$2; shift 2 ;;
    --wheels) [ $# -ge 2 ] || die "--wheels needs a folder"; WHEELS=$2; shift 2 ;;
    --work) [ $# -ge 2 ] || die "--work needs a folder"; WORK=$2; shift 2 ;;
    --python) [ $# -ge 2 ] || die "--python needs an interpreter"; PY=$2; shift 2 ;;
    --skip-install) SKIP_INSTALL=1; shift ;;
    --tiny) TINY=1; shift ;;
    --gpus) [ $# -ge 2 ] || die "--gpus needs a number"; GPUS=$2; shift 2 ;;
    --iters) [ $# -ge 2 ] || die "--iters needs a number"; ITERS=$2; shift 2 ;;
    --batch) [ $# -ge 2 ] || die "--batch needs a number"; BATCH=$2; shift 2 ;;
    --frames) [ $# -ge 2 ] || die "--frames needs a number"; FRAMES=$2; shift 2 ;;
    --budget) [ $# -ge 2 ] || die "--budget needs seconds"; BUDGET=$2; shift 2 ;;
    --build-limit) [ $# -ge 2 ] || die "--build-limit needs seconds"; BUILD_LIMIT=$2; shift 2 ;;
    --limit-factor) [ $# -ge 2 ] || die "--limit-factor needs a number"; LIMIT_FACTOR=$2; shift 2 ;;
    --port) [ $# -ge 2 ] || die "--port needs a number"; PORT_BASE=$2; shift 2 ;;
    --no-compile) COMPILE=0; shift ;;
    -h|--help) usage; exit 0 ;;
    *) usage >&2; die "unknown argument '$1'" ;;
  esac
done
case "$DEVICE" in cuda|cpu) ;; *) die "--device must be cuda or cpu, not '$DEVICE'" ;; esac
if [ "$TINY" = 1 ]; then
  : "${ITERS:=3}" "${BATCH:=2}" "${FRAMES:=8}"
else
  : "${ITERS:=20}" "${BATCH:=8}" "${FRAMES:=120}"
fi
for pair in "--gpus:$GPUS" "--iters:$ITERS" "--batch:$BATCH" "--frames:$FRAMES" \
    "--budget:$BUDGET" "--build-limit:$BUILD_LIMIT" "--limit-factor:$LIMIT_FACTOR" \
    "--port:$PORT_BASE"; do
  value=${pair#*:}
  [[ "$value" =~ ^[1-9][0-9]*$ ]] || die "${pair%%:*} must be a positive integer, not '$value'"
done
[ -z "$COMPILE" ] && COMPILE=$([ "$DEVICE" = cuda ] && echo 1 || echo 0)
command -v "$PY" >/dev/null 2>&1 || die "no interpreter '$PY' (pass --python PATH)"
PY=$(command -v "$PY")
if [ "$SKIP_INSTALL" = 0 ]; then
  [ -d "$WHEELS" ] || die "no wheel folder $WHEELS: make it with tools/misc/gpu_wheels.sh on \
a machine with PyPI access and copy it here (or pass --skip-install to use $PY as it is)"
fi
mkdir -p "$WORK/logs" || die "cannot create $WORK"
WORK="$(cd "$WORK" && pwd)"
SITE="$WORK/site"
LOGS="$WORK/logs"
SUMMARY="$WORK/summary.tsv"
: > "$SUMMARY"

# Everything the stages need, for the `bash -c` each one runs in under `timeout`.
export REPO HELPER PY WORK SITE WHEELS DEVICE GPUS ITERS BATCH FRAMES TINY MMCV_VERSION \
    PORT_BASE
export PYTHON="$PY"        # tools/dist_launch.sh runs this interpreter (the node has no `python`)
export PYTHONUNBUFFERED=1
export PYTHONPATH="$REPO/projects${PYTHONPATH:+:$PYTHONPATH}"
[ "$SKIP_INSTALL" = 0 ] && export PYTHONPATH="$SITE:$PYTHONPATH"
if [ "$DEVICE" = cpu ]; then
  export CUDA_VISIBLE_DEVICES=""  # the tools then take the CPU path (gloo)
  : "${OMP_NUM_THREADS:=$(nproc)}"
  export OMP_NUM_THREADS
fi
if [ "$TINY" = 1 ]; then export WORKERS=0; else export WORKERS=4; fi

START=$(date +%s)
DEADLINE=$((START + BUDGET))
log() { echo "[gpu_check] $(date +%H:%M:%S) $*"; }

# run_stage NAME LIMIT FUNCTION: runs FUNCTION under `timeout` (at most LIMIT x --limit-factor
# seconds and what is left of --budget), its output in $LOGS/NAME.log, and records the outcome.
run_stage() {
  local name=$1 limit=$(($2 * LIMIT_FACTOR)) fn=$3 left rc t0 secs status result
  left=$((DEADLINE - $(date +%s)))
  if [ "$left" -lt 10 ]; then
    printf '%s\tSKIP\t0\tno time left in --budget %s s\n' "$name" "$BUDGET" >> "$SUMMARY"
    log "SKIP $name: no time left in --budget $BUDGET s"
    return
  fi
  [ "$limit" -gt "$left" ] && limit=$left
  log "stage $name (at most $limit s; log $LOGS/$name.log)"
  t0=$(date +%s)
  # In the background, so that a signal to this script stops the stage too (on_signal).
  timeout -k 15 "$limit" bash -c "$fn" > "$LOGS/$name.log" 2>&1 &
  STAGE_PID=$!
  wait "$STAGE_PID"
  rc=$?
  STAGE_PID=""
  secs=$(( $(date +%s) - t0 ))
  result=$(grep -h "^RESULT $name: " "$LOGS/$name.log" | tail -n 1 | sed "s/^RESULT $name: //")
  if [ "$rc" = 124 ] || [ "$rc" = 137 ]; then
    status=TIMEOUT
    result="stopped after $limit s"
    kill_leftovers
  elif [ "$rc" != 0 ]; then
    status=FAIL
    # the last Python exception of a rank, else of a process (not torchrun's summary of the
    # ranks'), else the last error line, else the last line
    result=$(grep -E '^\[rank[0-9]+\]: [A-Za-z_.]*(Error|Exception)(:|$)' "$LOGS/$name.log" \
      | tail -n 1)
    [ -z "$result" ] && result=$(grep -E '^[A-Za-z_.]*(Error|Exception)(:|$)' "$LOGS/$name.log" \
      | grep -v ChildFailedError | tail -n 1)
    [ -z "$result" ] && result=$(grep -E 'error|ERROR' "$LOGS/$name.log" | grep -v error_file \
      | tail -n 1)
    [ -z "$result" ] && result=$(grep -v '^\s*$' "$LOGS/$name.log" | tail -n 1)
    result="exit $rc: ${result:0:300}"
  elif [ -z "$result" ]; then
    status=FAIL
    result="finished without a RESULT line"
  else
    status=PASS
  fi
  if [ "$status" = PASS ]; then
    echo "RESULT $name: $result"
  else
    echo "FAILED $name ($status after $secs s): $result"
    echo "  last lines of $LOGS/$name.log:"
    tail -n 12 "$LOGS/$name.log" | sed 's/^/    | /'
  fi
  printf '%s\t%s\t%s\t%s\n' "$name" "$status" "$secs" "${result//$'\t'/ }" >> "$SUMMARY"
}

# Processes of a stopped stage that left its process group (torchrun's workers, ninja's
# compiler jobs): those whose command line names this run's configs, benchmark files or build.
kill_leftovers() {
  local pids
  pids=$(pgrep -f -- "$WORK/(configs|bench_|build/)" || true)
  [ -n "$pids" ] && kill $pids 2>/dev/null
  sleep 2
  pids=$(pgrep -f -- "$WORK/(configs|bench_|build/)" || true)
  [ -n "$pids" ] && kill -9 $pids 2>/dev/null
  return 0
}

# Interrupted (Ctrl-C, the allocation's end): stop the running stage and its workers.
STAGE_PID=""
on_signal() {
  echo "[gpu_check] interrupted: stopping the running stage" >&2
  [ -n "$STAGE_PID" ] && kill -- -"$STAGE_PID" 2>/dev/null
  kill_leftovers
  exit 130
}
trap on_signal INT TERM

skip_stage() {
  printf '%s\tSKIP\t0\t%s\n' "$1" "$2" >> "$SUMMARY"
  log "SKIP $1: $2"
}

# ----------------------------------------------------------------------------- stages
stage_env() {
  "$PY" "$HELPER" env --device "$DEVICE"
}

stage_install() {
  set -e
  shopt -s nullglob
  local wheels=("$WHEELS"/*.whl)
  [ ${#wheels[@]} -gt 0 ] || { echo "error: no *.whl in $WHEELS"; exit 1; }
  "$PY" -m pip --disable-pip-version-check install -q --no-index --no-deps --no-compile \
      --no-cache-dir --upgrade --target "$SITE" "${wheels[@]}"
  echo "RESULT install: ${#wheels[@]} wheels from $WHEELS into $SITE"
}

# mmcv 2.0.0rc4 with its C++ ops. SATracker and STARK-ST1 call no mmcv op, but mmtrack and
# mmdet import mmcv.ops (RoIPool, PrRoIPool, point_sample, nms, ...), which needs the
# compiled mmcv._ext: its CPU build is enough (PrDiMP alone needs the CUDA PrRoIPool). The GPU
# is hidden during the build: mmcv compiles its CUDA kernels whenever torch sees a GPU.
stage_mmcv() {
  set -e
  local key cache src t0 whl built=""
  key=$("$PY" "$HELPER" mmcv-key)
  for cache in "$WHEELS/mmcv-cache/$key" "$WORK/mmcv-cache/$key"; do
    whl=$(ls "$cache"/mmcv-"$MMCV_VERSION"-*.whl 2>/dev/null | head -n 1 || true)
    [ -n "$whl" ] && break
  done
  if [ -z "$whl" ]; then
    if [ ! -f "$WHEELS/mmcv-$MMCV_VERSION.tar.gz" ]; then
      echo "error: neither a cached mmcv wheel for $key nor $WHEELS/mmcv-$MMCV_VERSION.tar.gz"
      exit 1
    fi
    "$PY" "$HELPER" build-check  # Python.h and a C++ compiler
    rm -rf "$WORK/build" && mkdir -p "$WORK/build"
    tar -xzf "$WHEELS/mmcv-$MMCV_VERSION.tar.gz" -C "$WORK/build"
    src="$WORK/build/mmcv-$MMCV_VERSION"
    sed -i 's/-std=c++14/-std=c++17/g' "$src/setup.py"  # torch >= 2.1 headers need C++17
    t0=$(date +%s)
    (cd "$src" && CUDA_VISIBLE_DEVICES="" FORCE_CUDA=0 MMCV_WITH_OPS=1 MAX_JOBS="$(nproc)" \
      "$PY" -m pip --disable-pip-version-check wheel -q --no-deps --no-build-isolation \
      --no-index -w "$WORK/build/dist" .)
    whl=$(ls "$WORK/build/dist"/mmcv-*.whl | head -n 1)
    cache="$WHEELS/mmcv-cache/$key"
    mkdir -p "$cache" 2>/dev/null && cp "$whl" "$cache/" 2>/dev/null || {
      cache="$WORK/mmcv-cache/$key"; mkdir -p "$cache"; cp "$whl" "$cache/"; }
    built="built from the sdist with CPU ops in $(( $(date +%s) - t0 )) s ($(nproc) jobs)"
    built+=", cached in $cache"
  fi
  "$PY" -m pip --disable-pip-version-check install -q --no-index --no-deps --no-compile \
      --upgrade --target "$SITE" "$whl"
  echo "RESULT mmcv: ${built:-cached wheel $whl}"
}

stage_imports() {
  "$PY" "$HELPER" imports
}

stage_prepare() {
  local vocab=() tiny=()
  if [ -f "$WHEELS/bert-base-uncased-vocab.txt" ]; then
    vocab=(--vocab "$WHEELS/bert-base-uncased-vocab.txt")
  fi
  [ "$TINY" = 1 ] && tiny=(--tiny)
  "$PY" "$HELPER" prepare "$WORK" "${tiny[@]}" --batch "$BATCH" --iters "$ITERS" \
      --gpus "$GPUS" --workers "$WORKERS" "${vocab[@]}"
}

train() {  # train NAME CONFIG PORT
  set -e
  rm -rf "$WORK/$1"
  PORT=$3 bash "$REPO/tools/dist_train.sh" "$WORK/configs/$2" "$GPUS" --amp \
      --work-dir "$WORK/$1"
  "$PY" "$HELPER" train-report "$WORK/$1" --batch "$BATCH" --gpus "$GPUS" --name "$1"
}
stage_train_satracker() { train train_satracker satracker.py "$PORT_BASE"; }
stage_train_stark() { train train_stark stark_st1.py $((PORT_BASE + 1)); }

stage_test() {
  set -e
  local ckpt
  ckpt=$(cat "$WORK/train_satracker/last_checkpoint" 2>/dev/null) || \
    { echo "error: no checkpoint: train_satracker did not finish"; exit 1; }
  rm -rf "$WORK/test_satracker"
  PORT=$((PORT_BASE + 2)) bash "$REPO/tools/dist_test.sh" "$WORK/configs/satracker.py" "$GPUS" \
      --checkpoint "$ckpt" --trust-checkpoint --work-dir "$WORK/test_satracker" \
      --cfg-options "test_evaluator.out_dir=$WORK/test_satracker/results"
  "$PY" "$HELPER" test-report "$WORK/test_satracker/results" --name test
}

bench() {  # bench NAME [benchmark_speed.py flags]
  set -e
  local name=$1 args=() goal=()
  shift
  if [ "$TINY" = 1 ]; then
    args=("$REPO/configs/satracker_tnl2k.py" --tiny --img-size 240 320
          --baseline "$REPO/configs/demo/stark-st1_tiny-r18_2xb8_synthetic.py")
  else
    args=("$REPO/configs/satracker_tnl2k.py")
  fi
  args+=(--frames "$FRAMES" --warmup $(( FRAMES / 5 > 1 ? FRAMES / 5 : 1 )))
  [ "$DEVICE" = cuda ] && goal=(--goal-fps 250)
  rm -f "$WORK/bench_$name.json"
  "$PY" "$REPO/tools/analysis_tools/benchmark_speed.py" "${args[@]}" --device "$DEVICE" "$@" \
      --json "$WORK/bench_$name.json"
  "$PY" "$HELPER" bench-report "$WORK/bench_$name.json" --name "$name" "${goal[@]}"
}
stage_bench() {
  if [ "$DEVICE" = cuda ]; then bench bench --fp16; else bench bench; fi
}
stage_bench_compile() {
  if [ "$DEVICE" = cuda ]; then
    bench bench_compile --fp16 --compile
  else
    bench bench_compile --compile
  fi
}
export -f stage_env stage_install stage_mmcv stage_imports stage_prepare train \
    stage_train_satracker stage_train_stark stage_test bench stage_bench stage_bench_compile

# ----------------------------------------------------------------------------- the run
SIZE=$([ "$TINY" = 1 ] && echo tiny || echo paper-size)
log "device $DEVICE, $SIZE, $GPUS process(es), batch $BATCH, $ITERS iterations," \
    "budget $BUDGET s, work $WORK"
# Time boxes (seconds), each also capped by what is left of --budget.
run_stage env 60 stage_env
if [ "$DEVICE" = cuda ] && grep -q 'sees no GPU' "$LOGS/env.log"; then
  die "$(grep -h 'sees no GPU' "$LOGS/env.log" | sed 's/^gpu_check.py env: error: //')"
fi
if [ "$SKIP_INSTALL" = 1 ]; then
  skip_stage install "--skip-install: $PY as it is"
  skip_stage mmcv "--skip-install"
else
  run_stage install 120 stage_install
  run_stage mmcv "$BUILD_LIMIT" stage_mmcv
fi
run_stage imports 90 stage_imports
run_stage prepare 120 stage_prepare
run_stage train_satracker 180 stage_train_satracker
run_stage train_stark 150 stage_train_stark
run_stage test 120 stage_test
run_stage bench 150 stage_bench
if [ "$COMPILE" = 1 ]; then
  run_stage bench_compile 240 stage_bench_compile
else
  skip_stage bench_compile "--compile not asked for (default on with --device cuda)"
fi

# ----------------------------------------------------------------------------- summary
TOTAL=$(( $(date +%s) - START ))
echo ""
echo "[gpu_check] summary: device $DEVICE, $SIZE, $TOTAL s in all (budget $BUDGET s); logs in $LOGS"
printf '  %-16s %-8s %5s  %s\n' stage status s result
bad=0
passed=0
while IFS=$'\t' read -r name status secs result; do
  printf '  %-16s %-8s %5s  %s\n' "$name" "$status" "$secs" "$result"
  case "$status" in
    PASS) passed=$((passed + 1)) ;;
    FAIL|TIMEOUT) bad=$((bad + 1)) ;;
    SKIP) case "$result" in "no time left"*) bad=$((bad + 1)) ;; esac ;;
  esac
done < "$SUMMARY"
echo "[gpu_check] $passed stages passed, $bad failed or ran out of time"
[ "$bad" = 0 ]
