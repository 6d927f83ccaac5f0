#!/bin/bash
# Issue 24, direction "four-body filters": the Mo recipe (examples/fit/Mo-int-all.json)
# from the spread start, with and without the four-body moment filters (four_body A:
# m_a.M_a.m_a and tr(M_a^3) of A radial splines h on the three-body cutoff), on the
# medium schedule of medium_schedule.py (200 AMSGrad epochs, 200 L-BFGS iterations,
# stratified split). Prints validation energy / force MAE and fit time.
#
#   THREADS=1 bash examples/studies/four-body.sh
#   VARIANTS="four-6" EL=Si THREADS=1 bash examples/studies/four-body.sh
#   (SNNP=path/to/snnp runs another build of snnp; the spread-8 row is
#   examples/studies/filter-start.sh's)
set -euo pipefail
REPO=$(cd "$(dirname "$0")/../.." && pwd)
cd "$REPO"
EL=${EL:-Mo}
S='"filter_start": "spread"'
python3 examples/studies/medium_schedule.py "examples/fit/$EL-int-all.json" "${OUT:-runs/four-body-$EL}" \
  "spread-8={$S}" \
  "four-2={$S, \"four_body\": 2}" \
  "four-4={$S, \"four_body\": 4}" \
  "four-6={$S, \"four_body\": 6}" \
  "four-4-seed2={$S, \"four_body\": 4, \"seed\": 2, \"split_seed\": 1}" \
  "four-4-surface-30={$S, \"four_body\": 4, \"config_type_weights\": {\"Surface\": 30}}" \
  "four-4-energy-100={$S, \"four_body\": 4, \"energy_weight\": 100}" \
  --run ${VARIANTS:-four-4 four-2} --threads "${THREADS:-1}" --snnp "${SNNP:-.build/release/snnp}"
