#!/bin/bash
# Cost of the number of three-body filters N3: s-NNP int. all models of the Mo
# recipe with N3 = 8 (shipped), 12, 16, each timed against meam/spline (s-MEAM) in
# one LAMMPS process (bench.in protocol, ~2000-atom bcc Mo at 300 K, 1 rank).
# The cost of a model does not depend on its fitted values, so each model is the
# Mo recipe after one epoch (`snnp fit --three-body N --epochs 1`), exported.
#
#   bash examples/benchmark/run-filters.sh         (after bash lammps-plugin/build.sh)
#   FILTERS="8 12" REPS=3 bash examples/benchmark/run-filters.sh
set -euo pipefail
HERE=$(cd "$(dirname "$0")" && pwd)
FILTERS=${FILTERS:-"8 12 16"}
REPS=${REPS:-2}
source "$HERE/wheel.sh"
source "$HERE/../elements.sh"
element_data Mo
(cd "$REPO" && swift build -c release --product snnp >/dev/null && swift build -c release --product snnp-export >/dev/null)
for n in $FILTERS; do
  "$REPO/.build/release/snnp" fit --config "$REPO/examples/fit/Mo-int-all.json" --three-body "$n" \
    --epochs 1 --threads 1 --output "$OUT/fit-n$n" > "$OUT/fit-n$n.log"
  "$REPO/.build/release/snnp-export" "$OUT/fit-n$n/last.ckpt" --last -o "$OUT/Mo-n$n.snnp" > /dev/null
done
machine_line
printf '%-7s %6s %6s %6s %12s %12s %10s\n' atoms el N3 rep snnp_us meam_us snnp/meam
for n in $FILTERS; do
  for rep in $(seq "$REPS"); do
    log=$OUT/n${n}_r$rep.log
    bench_wheel "$log" -var mult 1 -var el Mo -var lat $lat -var a $a -var mass $mass \
       -var snnp "$OUT/Mo-n$n.snnp" -var meam "$PEERS/Mo.smeam.meam.spline" -var s snnp meamspline
    python3 "$HERE/times.py" "$log" Mo "$n" "$rep"
  done
done
