#!/bin/bash
# Issue 24, direction "separate cutoffs per body order": the Mo recipe with its three-body
# filters on a shorter cutoff (three_body_cutoff) than the two-body ones (5.2 A), and the
# freed cost spent on more three-body filters. Short schedule (EPOCHS AMSGrad epochs, no
# L-BFGS polish) on the recipe's split: compare the rows with each other, not with the
# shipped file. Prints validation energy / force MAE per variant.
#
#   EPOCHS=100 bash examples/studies/three-body-cutoff.sh
set -euo pipefail
REPO=$(cd "$(dirname "$0")/../.." && pwd)
EPOCHS=${EPOCHS:-100}
THREADS=${THREADS:-2}
OUT=${OUT:-$REPO/runs/three-body-cutoff}
mkdir -p "$OUT"
# name: extra flags
VARIANTS=${VARIANTS:-"n8-rc5.2: n8-rc4.0:--three-body-cutoff=4.0 n16-rc4.0:--three-body-cutoff=4.0,--three-body=16 n16-rc4.0-n2x4:--three-body-cutoff=4.0,--three-body=16,--two-body=4"}
printf '%-18s %12s %12s %10s\n' variant E_meV_atom F_eV_A fit_s
for v in $VARIANTS; do
  name=${v%%:*}
  flags=${v#*:}
  [ -f "$OUT/$name/best.ckpt" ] || "$REPO/.build/release/snnp" fit --config "$REPO/examples/fit/Mo-int-all.json" \
    --epochs "$EPOCHS" --polish-epochs 0 --threads "$THREADS" --output "$OUT/$name" ${flags//,/ } > "$OUT/$name.out" 2>&1
  grep -o "done in [0-9]* s; best validation.*" "$OUT/$name.out" | python3 -c "
import re, sys
t = sys.stdin.read()
m = re.search(r'done in (\d+) s; .*energy MAE ([0-9.]+) .*force MAE ([0-9.]+)', t)
print(f'%-18s %12s %12s %10s' % ('$name', m.group(2), m.group(3), m.group(1)))"
done
