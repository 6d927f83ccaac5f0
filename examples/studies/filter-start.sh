#!/bin/bash
# Issue 24, direction "filters that do not collapse": the Mo recipe
# (examples/fit/Mo-int-all.json) started from the paper's filters (one radial shape at
# random amplitudes: the filters stay nearly collinear) against filter_start "spread"
# (radial bumps at distinct radii, Legendre orders 0-3), and variants on the spread start,
# on the medium schedule of medium_schedule.py (200 AMSGrad epochs, 200 L-BFGS
# iterations, stratified split). Prints validation energy / force MAE and fit time.
#
#   THREADS=1 bash examples/studies/filter-start.sh
#   VARIANTS="spread-16-8-4 spread-surface-3" THREADS=1 bash examples/studies/filter-start.sh
#   (SNNP=path/to/snnp runs another build of snnp)
set -euo pipefail
REPO=$(cd "$(dirname "$0")/../.." && pwd)
cd "$REPO"
S='"filter_start": "spread"'
python3 examples/studies/medium_schedule.py examples/fit/Mo-int-all.json "${OUT:-runs/filter-start}" \
  'product-8={}' \
  "spread-8={$S}" \
  "spread-12={$S, \"three_body\": 12}" \
  "spread-8-seed2={$S, \"seed\": 2, \"split_seed\": 1}" \
  'product-8-seed2={"seed": 2, "split_seed": 1}' \
  "spread-16-8-4={$S, \"hidden\": [16, 8, 4]}" \
  "spread-surface-3={$S, \"config_type_weights\": {\"Surface\": 3}}" \
  "spread-surface-30={$S, \"config_type_weights\": {\"Surface\": 30}}" \
  "spread-energy-100={$S, \"energy_weight\": 100}" \
  "spread-2-12-16-8-4={$S, \"two_body\": 2, \"three_body\": 12, \"hidden\": [16, 8, 4]}" \
  "spread-2-16-16-8-4={$S, \"two_body\": 2, \"three_body\": 16, \"hidden\": [16, 8, 4]}" \
  --run ${VARIANTS:-product-8 spread-8 spread-12} --threads "${THREADS:-1}" --snnp "${SNNP:-.build/release/snnp}"
