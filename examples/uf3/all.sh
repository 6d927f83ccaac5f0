#!/bin/bash
# UF3 for every element in ELEMENTS, one after the other on one core: the validation
# split of the shipped snnp recipe (examples/fit/<El>-int-all.json, written by a 1-epoch
# fit), the features (resumable), the fit, and the LAMMPS check of the written file.
# Results: OUT/<El>/result.json and OUT/<El>/<El>.uf3 (README.md).
#
#   python3 -m venv .venv && .venv/bin/pip install uf3
#   ELEMENTS="Cu Ni Ge Li" OUT=/tmp/uf3-all bash examples/uf3/all.sh
set -euo pipefail
REPO=$(cd "$(dirname "$0")/../.." && pwd)
OUT=${OUT:-/tmp/uf3-all}
PY=${PY:-$REPO/.venv/bin/python}
cd "$REPO"
for el in ${ELEMENTS:-Mo Si Ge Li Cu Ni}; do
  d=$OUT/$el
  mkdir -p "$d"
  [ -f "$d/snnp-split/validation.xyz" ] || .build/release/snnp fit --config examples/fit/$el-int-all.json \
    --epochs 1 --polish-epochs 0 --threads 1 --output "$d/snnp-split" > "$d/split.log"
  OMP_NUM_THREADS=1 "$PY" examples/uf3/fit_uf3.py featurize $el "$d" "$d/snnp-split/validation.xyz" > "$d/featurize.log"
  OMP_NUM_THREADS=1 "$PY" examples/uf3/fit_uf3.py fit $el "$d" "$d/snnp-split/validation.xyz" > "$d/fit.log"
  echo "$el: $(python3 -c 'import json,sys; r=json.load(open(sys.argv[1]))["validation"]; print("validation %.2f meV/atom, %.4f eV/A over %d frames" % (r["energy_mae_meV"], r["force_mae"], r["frames"]))' "$d/result.json")"
done
