#!/bin/bash
# Benchmark: pair_style snnp (imported Mo s-MEAM, potentials/Mo.smeam.snnp)
# against pair_style meam/spline (the same potential, Mo.smeam.meam.spline) in
# the same lmp_snnp run, on 2000- and 16000-atom bcc Mo at 300 K, 1 and 2 MPI
# ranks. Prints microseconds per atom-step (wall time) and the ratio.
#
#   bash examples/benchmark/run.sh        (after bash lammps-plugin/build.sh)
#   REPS=3 MO_MEAM=/path/Mo.smeam.meam.spline bash examples/benchmark/run.sh
set -euo pipefail
HERE=$(cd "$(dirname "$0")" && pwd)
REPO=$(cd "$HERE/../.." && pwd)
LMP=$REPO/lammps-plugin/build/lmp_snnp
SNNP_POT=${SNNP_POT:-$REPO/potentials/Mo.smeam.snnp}
MO_MEAM=${MO_MEAM:-$REPO/../shared/peers/Mo.smeam.meam.spline}
REPS=${REPS:-1}
OUT=${OUT:-$(mktemp -d)}
export OMP_NUM_THREADS=1
mkdir -p "$OUT"
[ -x "$LMP" ] || { echo "missing $LMP: run bash lammps-plugin/build.sh" >&2; exit 1; }
[ -f "$MO_MEAM" ] || { echo "missing $MO_MEAM (set MO_MEAM)" >&2; exit 1; }
echo "# $(lscpu | sed -n 's/^Model name: *//p'), $(getconf _NPROCESSORS_ONLN) CPUs, load $(cut -d' ' -f1-3 /proc/loadavg)"
printf '%-7s %6s %5s %12s %12s %7s\n' atoms ranks rep snnp_us meam_us ratio
for mult in 1 2; do
  for np in 1 2; do
    for rep in $(seq "$REPS"); do
      log=$OUT/bench_m${mult}_np${np}_r${rep}.log
      launch=()
      if [ "$np" -gt 1 ]; then launch=(mpirun --allow-run-as-root --oversubscribe -np "$np"); fi
      (cd "$OUT" && "${launch[@]}" "$LMP" -in "$HERE/bench.in" -log "$log" -screen none \
         -var mult "$mult" -var snnp "$SNNP_POT" -var meam "$MO_MEAM" -var s snnp meamspline)
      python3 "$HERE/times.py" "$log" "$np" "$rep"
    done
  done
done
echo "# logs: $OUT"
