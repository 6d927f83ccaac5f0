#!/usr/bin/env bash
# Committees of 4 heads fitted with the shipped recipes (examples/fit/<El>-int-all-committee.json)
# against the shipped single-head files (docs/studies/uncertainty.md, section 6): validation
# MAE of the committee mean, of each of its heads alone and of the single-head file on the
# same validation frames, and the Spearman correlation of the committee spread and the
# grade with the frame's energy error.
# Needs: swift build -c release, and runs/<El>-int-all-committee/ from
# `snnp fit --config examples/fit/<El>-int-all-committee.json` (the split of the single-head
# recipe: same seed and fraction); its best.ckpt is exported here.
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
SNNP=$ROOT/.build/release/snnp
EXPORT=$ROOT/.build/release/snnp-export
PY="python3 $ROOT/examples/uncertainty/analyze.py"
TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT
pooled=()
for el in ${ELEMENTS:-Mo Si Ge Li}; do
  run=$ROOT/runs/$el-int-all-committee
  v=$run/validation.xyz
  [[ -f $run/best.ckpt && -f $v ]] || { echo "$el: no committee fit in $run, skipped"; continue; }
  k=$TMP/$el-committee.snnp
  "$EXPORT" "$run/best.ckpt" -o "$k" > /dev/null
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
