#!/bin/bash
# One command from a fresh Debian machine: install dependencies, build snnp and
# pair_style snnp, and run the main job on shipped defaults:
#   1. fit a small s-NNP model to the shipped Mo data subset and export it;
#   2. evaluate the shipped Mo (1,8) int. all potential on that data;
#   3. run it in LAMMPS (lattice constant of bcc Mo with pair_style snnp).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/install-deps.sh
swift build -c release
SNNP_SKIP_MODERN=1 bash lammps-plugin/build.sh > runs-build.log 2>&1 || { cat runs-build.log; exit 1; }
rm -f runs-build.log
.build/release/snnp fit --train examples/data/Mo-mlearn-subset.xyz --validation-fraction 0.25 \
  --epochs 200 --learning-rate 0.01 --output runs/quickstart
.build/release/snnp-export runs/quickstart/best.ckpt -o runs/quickstart/Mo.quickstart.snnp
.build/release/snnp eval potentials/Mo.int-all.snnp examples/data/Mo-mlearn-subset.xyz
bash examples/properties/run.sh potentials/Mo.int-all.snnp Mo
