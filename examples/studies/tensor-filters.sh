#!/bin/bash
# Issue 24, direction "tensor-product three-body filters": the Mo recipe
# (examples/fit/Mo-int-all.json) with its 8 product-form three-body filters against
# three_body_basis [4, 4] (40 tensor-product filters from 4 radial and 4 angular
# splines), at 5.2 A and with a 4.4 A three-body cutoff, on the medium schedule of
# medium_schedule.py (200 AMSGrad epochs, 200 L-BFGS iterations, stratified split).
# Prints validation energy / force MAE and the fit time per variant.
#
#   THREADS=1 bash examples/studies/tensor-filters.sh
#   VARIANTS="tensor-6x6 tensor-8x6" THREADS=1 bash examples/studies/tensor-filters.sh
#     (the wider bases: as many learnable shapes as the product form, or nearly)
#   (SNNP=path/to/snnp runs another build of snnp)
set -euo pipefail
REPO=$(cd "$(dirname "$0")/../.." && pwd)
cd "$REPO"
python3 examples/studies/medium_schedule.py examples/fit/Mo-int-all.json "${OUT:-runs/tensor-filters}" \
  'product-8={}' \
  'tensor-4x4={"three_body_basis": [4, 4]}' \
  'tensor-4x4-rc3-4.4={"three_body_basis": [4, 4], "three_body_cutoff": 4.4}' \
  'tensor-6x6={"three_body_basis": [6, 6]}' \
  'tensor-8x6={"three_body_basis": [8, 6]}' \
  --run ${VARIANTS:-product-8 tensor-4x4 tensor-4x4-rc3-4.4} --threads "${THREADS:-1}" --snnp "${SNNP:-.build/release/snnp}"
