#!/usr/bin/env bash
# Installs SATracker and its whole stack into .venv at the repository root (docs/get_started.md).
#
# Idempotent: a second run compares a stamp of the requirement files and this script and
# returns in about a second when nothing changed. The slow step, building mmcv 2.0.0rc4 with
# its C++ ops from the sdist (~9 minutes on 2 cores), is done once per machine: the wheel is
# cached under ${SATRACKER_WHEEL_CACHE:-~/.cache/satracker/wheels}/<python>-torch<ver>/ and
# reused by every later install (fresh clones and CI included).
#
# Environment:
#   PYTHON                 the interpreter to build the venv from (default: python3.11,
#                          python3.12, python3); Python 3.11 is tested, 3.12 accepted (unverified)
#   SATRACKER_WHEEL_CACHE  where built wheels are kept (default ~/.cache/satracker/wheels)
#   FORCE_CUDA=1           build mmcv's CUDA ops too (GPU machines; needs nvcc matching torch)
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
VENV="$ROOT/.venv"
STAMP="$VENV/.satracker-install-stamp"
CACHE_ROOT="${SATRACKER_WHEEL_CACHE:-$HOME/.cache/satracker/wheels}"
MMCV_VERSION=2.0.0rc4
TORCH_VERSION=$(sed -n 's/^torch==\([^ ]*\).*/\1/p' "$ROOT/requirements/torch.txt")

CURRENT_STEP="start"
HINT=""
fail() {
  local rc=$?
  echo "" >&2
  echo "[install] FAILED at step: $CURRENT_STEP (exit code $rc)" >&2
  [ -n "$HINT" ] && echo "[install] what to do: $HINT" >&2
  echo "[install] The log above shows the failing command. Re-run 'make install' once fixed;" >&2
  echo "[install] finished steps are not repeated." >&2
  exit "$rc"
}
trap fail ERR
step() {
  CURRENT_STEP="$1"
  HINT="$2"
  echo "[install] $(date +%H:%M:%S) $1"
}

stamp_value() {
  cat "$ROOT/requirements/"*.txt "$ROOT/scripts/install.sh" "$ROOT/setup.cfg" | sha256sum | cut -c1-32
}

if [ -f "$STAMP" ] && [ "$(cat "$STAMP")" = "$(stamp_value)" ] && [ -x "$VENV/bin/python" ]; then
  echo "[install] .venv is up to date (remove $STAMP to force a reinstall)"
  exit 0
fi

step "check prerequisites" "install Python 3.11 (or 3.12) with venv and headers (e.g. apt-get install python3.11-venv python3.11-dev) and a C++17 compiler (apt-get install g++)"
if [ -z "${PYTHON:-}" ]; then
  PYTHON=$(command -v python3.11 || command -v python3.12 || command -v python3)
fi
"$PYTHON" -c 'import sys; assert sys.version_info[:2] in ((3, 11), (3, 12)), "SATracker is tested on Python 3.11 (3.12 accepted, unverified), found %s" % sys.version.split()[0]'
command -v g++ >/dev/null || command -v c++ >/dev/null
avail_kb=$(df -Pk "$ROOT" | awk 'NR==2 {print $4}')
if [ "$avail_kb" -lt 4000000 ]; then
  HINT="free at least 4 GB of disk on $(df -P "$ROOT" | awk 'NR==2 {print $6}') (the venv takes ~2.5 GB)"
  echo "[install] only $((avail_kb / 1024)) MB free" >&2
  false
fi

step "create the virtual environment .venv" "check that '$PYTHON -m venv' works (apt-get install python3.11-venv)"
[ -x "$VENV/bin/python" ] || "$PYTHON" -m venv "$VENV"
# pip, with the harmless "Location ... is ignored" notes of some local index mirrors filtered out.
pip_() {
  "$VENV/bin/python" -m pip --disable-pip-version-check "$@" 2> >(grep -v 'is ignored: it is neither a file nor a directory' >&2)
}

step "install build tools (setuptools, wheel)" "check the network connection to the package index"
pip_ install -q "setuptools>=77,<81" wheel

step "install torch==$TORCH_VERSION" "CPU-only: pip install torch==$TORCH_VERSION --index-url https://download.pytorch.org/whl/cpu inside .venv, then re-run (see README)"
if ! "$VENV/bin/python" -c "import torch, sys; sys.exit(torch.__version__.split('+')[0] != '$TORCH_VERSION')" 2>/dev/null; then
  pip_ install -q -r "$ROOT/requirements/torch.txt"
fi

step "install runtime dependencies" "check the network connection to the package index"
pip_ install -q -r "$ROOT/requirements/runtime.txt" -r "$ROOT/requirements/tests.txt" mmengine==0.10.7

PYTAG=$("$VENV/bin/python" -c 'import sys; print("cp%d%d" % sys.version_info[:2])')
CUDA_TAG=$([ "${FORCE_CUDA:-0}" = "1" ] && echo "-cuda" || echo "")
WHEEL_DIR="$CACHE_ROOT/$PYTAG-torch$TORCH_VERSION$CUDA_TAG"
mkdir -p "$WHEEL_DIR"
MMCV_WHEEL=$(ls "$WHEEL_DIR"/mmcv-"$MMCV_VERSION"-*.whl 2>/dev/null | head -n 1 || true)
if [ -z "$MMCV_WHEEL" ]; then
  step "build mmcv $MMCV_VERSION with ops from its sdist (about 9 minutes on 2 cores, once per machine)" \
       "needs g++ with C++17, Python headers (python3.11-dev) and ~2 GB of free disk; the build log is above"
  BUILD_DIR=$(mktemp -d)
  pip_ download -q --no-deps --no-binary :all: --no-build-isolation -d "$BUILD_DIR" "mmcv==$MMCV_VERSION"
  tar -xzf "$BUILD_DIR"/mmcv-"$MMCV_VERSION".tar.gz -C "$BUILD_DIR"
  SRC="$BUILD_DIR/mmcv-$MMCV_VERSION"
  # torch >= 2.1 headers need C++17; mmcv 2.0.0rc4 forces C++14.
  sed -i 's/-std=c++14/-std=c++17/g' "$SRC/setup.py"
  (cd "$SRC" && MMCV_WITH_OPS=1 MAX_JOBS="${MAX_JOBS:-2}" pip_ wheel -q --no-deps --no-build-isolation -w "$BUILD_DIR/dist" .)
  cp "$BUILD_DIR"/dist/mmcv-*.whl "$WHEEL_DIR/"
  rm -rf "$BUILD_DIR"
  MMCV_WHEEL=$(ls "$WHEEL_DIR"/mmcv-"$MMCV_VERSION"-*.whl | head -n 1)
else
  echo "[install] using the cached mmcv wheel $MMCV_WHEEL"
fi

step "install mmcv, mmdet, mmcls, mmtrack" "re-run; if the cached mmcv wheel is broken, delete $WHEEL_DIR and re-run to rebuild it"
pip_ install -q --no-deps "$MMCV_WHEEL"
pip_ install -q --no-deps mmdet==3.0.0rc5 mmcls==1.0.0rc5 mmtrack==1.0.0rc1 -r "$ROOT/requirements/optional.txt"

step "install satracker (editable)" "check setup.cfg; 'pip install -e .' must work from $ROOT"
pip_ install -q --no-deps --no-build-isolation -e "$ROOT"

step "check the installation" "an import failed: the message above names the package"
"$VENV/bin/python" - <<'PY'
import importlib.metadata as md
import mmcv.ops  # noqa: F401  needs the compiled mmcv._ext
import mmtrack  # noqa: F401
import satracker  # noqa: F401
import torch
import transformers
for pkg in ('torch', 'mmcv', 'mmengine', 'mmdet', 'mmcls', 'mmtrack', 'transformers', 'satracker'):
    print(f'[install]   {pkg:<13}{md.version(pkg)}')
try:
    md.version('torchvision')
    raise SystemExit('[install] torchvision is installed in .venv and breaks mmengine: pip uninstall torchvision')
except md.PackageNotFoundError:
    pass
PY
stamp_value > "$STAMP"
echo "[install] $(date +%H:%M:%S) done: .venv is ready"
