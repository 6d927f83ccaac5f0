#!/usr/bin/env bash
# The shipped committee files against the shipped single-head files (docs/results.md,
# "Uncertainty"): validation MAE of the committee mean, of each of its heads alone and
# of the single-head file on the same validation frames, and the Spearman correlation of
# the committee spread and the grade with the frame's energy error.
# Needs: swift build -c release, and runs/<El>-int-all-committee/validation.xyz from
# `bash scripts/refit.sh <El>-int-all-committee` (the split of the single-head recipe:
# same seed and fraction).
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
SNNP=$ROOT/.build/release/snnp
PY="python3 $ROOT/examples/uncertainty/analyze.py"
TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT
pooled=()
for el in ${ELEMENTS:-Mo Si Ge Li}; do
  k=$ROOT/potentials/$el.int-all-committee.snnp
  v=$ROOT/runs/$el-int-all-committee/validation.xyz
  [[ -f $k && -f $v ]] || { echo "$el: no committee file or validation frames, skipped"; continue; }
  echo "== $el ($(grep -c Lattice "$v") validation frames)"
  $PY mae "$SNNP" "$ROOT/potentials/$el.int-all.snnp" "$v" "$el single head (shipped int-all)"
  $PY mae "$SNNP" "$k" "$v" "$el committee K=4 (mean of heads)"
  for h in 1 2 3 4; do
    $PY onehead "$k" "$TMP/$el-head$h.snnp" $h
    $PY mae "$SNNP" "$TMP/$el-head$h.snnp" "$v" "$el committee head $h alone"
  done
  $PY pooled "$SNNP" "$k" "$v"
  pooled+=("$k" "$v")
done
echo "== all elements"
$PY pooled "$SNNP" "${pooled[@]}"
