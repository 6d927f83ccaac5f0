#!/bin/bash
# Issue 24, direction "tensor-product three-body filters": the Mo recipe
# (examples/fit/Mo-int-all.json) with its 8 product-form three-body filters against
# three_body_basis [4, 4] (40 tensor-product filters from 4 radial and 4 angular
# splines), at 5.2 A and with a 4.4 A three-body cutoff. Medium schedule, the same for
# every variant: 200 AMSGrad epochs (milestones 140, 180), 200 L-BFGS iterations, a
# stratified 10 % validation split (every config_type its share). Prints validation
# energy / force MAE and the fit time per variant.
#
#   THREADS=1 bash examples/studies/tensor-filters.sh
#   VARIANTS="tensor-6x6 tensor-8x6" THREADS=1 bash examples/studies/tensor-filters.sh
#     (the wider bases: as many learnable shapes as the product form, or nearly)
#   (SNNP=path/to/snnp runs another build of snnp)
set -euo pipefail
REPO=$(cd "$(dirname "$0")/../.." && pwd)
THREADS=${THREADS:-1}
OUT=${OUT:-$REPO/runs/tensor-filters}
mkdir -p "$OUT"
python3 - "$REPO/examples/fit/Mo-int-all.json" "$OUT" <<'PY'
import json, sys
recipe, out = sys.argv[1:]
base = json.load(open(recipe))
base.update({"stratify_split": True, "epochs": 200, "milestones": [140, 180], "polish_epochs": 200})
variants = {
    "product-8": {},
    "tensor-4x4": {"three_body_basis": [4, 4]},
    "tensor-4x4-rc3-4.4": {"three_body_basis": [4, 4], "three_body_cutoff": 4.4},
    "tensor-6x6": {"three_body_basis": [6, 6]},
    "tensor-8x6": {"three_body_basis": [8, 6]},
}
for name, extra in variants.items():
    c = dict(base, **extra, output=f"{out}/{name}")
    if "three_body_basis" in extra:
        c.pop("three_body")
    json.dump(c, open(f"{out}/{name}.json", "w"), indent=1)
PY
printf '%-20s %12s %12s %10s\n' variant E_meV_atom F_eV_A fit_s
for name in ${VARIANTS:-product-8 tensor-4x4 tensor-4x4-rc3-4.4}; do
  [ -f "$OUT/$name/best.ckpt" ] || (cd "$REPO" && ${SNNP:-.build/release/snnp} fit --config "$OUT/$name.json" \
    --threads "$THREADS" > "$OUT/$name.out" 2>&1)
  python3 - "$OUT/$name.out" "$name" <<'PY'
import re, sys
m = re.search(r"done in (\d+) s; .*energy MAE ([0-9.]+) .*force MAE ([0-9.]+)", open(sys.argv[1]).read())
print("%-20s %12s %12s %10s" % (sys.argv[2], m.group(2), m.group(3), m.group(1)))
PY
done
