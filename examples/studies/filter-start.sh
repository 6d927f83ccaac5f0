#!/bin/bash
# Issue 24, direction "filters that do not collapse": the Mo recipe
# (examples/fit/Mo-int-all.json) started from the paper's filters (one radial shape at
# random amplitudes: the filters stay nearly collinear) against filter_start "spread"
# (radial bumps at distinct radii, Legendre orders 0-3), and variants on the spread start.
# The medium schedule of examples/studies/tensor-filters.sh, the same for every variant:
# 200 AMSGrad epochs (milestones 140, 180), 200 L-BFGS iterations, a stratified 10 %
# validation split. Prints validation energy / force MAE and the fit time per variant.
#
#   THREADS=1 bash examples/studies/filter-start.sh
#   VARIANTS="spread-16-8-4 spread-surface-3" THREADS=1 bash examples/studies/filter-start.sh
#   (SNNP=path/to/snnp runs another build of snnp)
set -euo pipefail
REPO=$(cd "$(dirname "$0")/../.." && pwd)
THREADS=${THREADS:-1}
OUT=${OUT:-$REPO/runs/filter-start}
mkdir -p "$OUT"
python3 - "$REPO/examples/fit/Mo-int-all.json" "$OUT" <<'PY'
import json, sys
recipe, out = sys.argv[1:]
base = json.load(open(recipe))
base.update({"stratify_split": True, "epochs": 200, "milestones": [140, 180], "polish_epochs": 200})
spread = {"filter_start": "spread"}
variants = {
    "product-8": {},
    "spread-8": spread,
    "spread-12": dict(spread, three_body=12),
    "spread-8-seed2": dict(spread, seed=2, split_seed=1),
    "product-8-seed2": {"seed": 2, "split_seed": 1},
    "spread-16-8-4": dict(spread, hidden=[16, 8, 4]),
    "spread-surface-3": dict(spread, config_type_weights={"Surface": 3}),
    "spread-surface-30": dict(spread, config_type_weights={"Surface": 30}),
    "spread-2-12-16-8-4": dict(spread, two_body=2, three_body=12, hidden=[16, 8, 4]),
    "spread-2-16-16-8-4": dict(spread, two_body=2, three_body=16, hidden=[16, 8, 4]),
}
for name, extra in variants.items():
    json.dump(dict(base, **extra, output=f"{out}/{name}"), open(f"{out}/{name}.json", "w"), indent=1)
PY
printf '%-20s %12s %12s %10s\n' variant E_meV_atom F_eV_A fit_s
for name in ${VARIANTS:-product-8 spread-8 spread-12}; do
  [ -f "$OUT/$name/best.ckpt" ] || (cd "$REPO" && ${SNNP:-.build/release/snnp} fit --config "$OUT/$name.json" \
    --threads "$THREADS" > "$OUT/$name.out" 2>&1)
  python3 - "$OUT/$name.out" "$name" <<'PY'
import re, sys
m = re.search(r"done in (\d+) s; .*energy MAE ([0-9.]+) .*force MAE ([0-9.]+)", open(sys.argv[1]).read())
print("%-20s %12s %12s %10s" % (sys.argv[2], m.group(2), m.group(3), m.group(1)))
PY
done
