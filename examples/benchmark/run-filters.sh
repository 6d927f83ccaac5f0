#!/bin/bash
# Cost of the number of filters: s-NNP int. all models of the Mo recipe with N3
# three-body and N2 two-body filters, each timed against meam/spline (s-MEAM) in
# one LAMMPS process (bench.in with -var frozen 1: ~2000-atom bcc Mo displaced
# by up to 0.1 A, forces evaluated every step with the atoms held still; 1 rank).
# The cost of one evaluation does not depend on the fitted values, so each model is
# the Mo recipe after one epoch and no polish (`snnp fit --three-body N3 --two-body N2
# --epochs 1 --polish-epochs 0`), exported. The atoms are held still because such a
# model's MD is not a 300 K crystal: one heated bcc Mo from 313 to 574 K in 100 steps,
# which pulls atoms of the 5.25 A shell inside the 5.2 A cutoff and made it time 15 %
# slower than another one-epoch model.
# FILTERS lists N3, N3/N2 or either with @RC, a filter cutoff in Å (N2 defaults to
# the recipe's 1, RC to the recipe's cutoff), and :RC3, a three-body cutoff in Å;
# AxC instead of N3 is the tensor-product form (--three-body-basis A,C: A(A+1)/2*C
# three-body filters from A radial and C angular splines).
#
#   bash examples/benchmark/run-filters.sh         (after bash lammps-plugin/build.sh)
#   FILTERS="8 8/4 12" REPS=3 bash examples/benchmark/run-filters.sh
#   FILTERS="8 8@4.8 8@5.6" bash examples/benchmark/run-filters.sh   (cost of the cutoff)
#   FILTERS="8 3x3 4x3 4x4:4.0" bash examples/benchmark/run-filters.sh (tensor form)
#   FILTERS="8 12/2 16/2" EXTRA="--hidden 16,8,4" bash examples/benchmark/run-filters.sh
#   (EXTRA: more `snnp fit` flags for every model, e.g. a wider network)
set -euo pipefail
HERE=$(cd "$(dirname "$0")" && pwd)
FILTERS=${FILTERS:-"8 12 16"}
REPS=${REPS:-2}
source "$HERE/wheel.sh"
eval "$(python3 -m snnp.elements --shell Mo)"  # lat a mass Tm: python/snnp/elements.py
recipe=$REPO/examples/fit/Mo-int-all.json
recipe_cutoff=$(python3 -c 'import json, sys; print(json.load(open(sys.argv[1]))["cutoff"])' "$recipe")
(cd "$REPO" && swift build -c release --product snnp >/dev/null && swift build -c release --product snnp-export >/dev/null)
# "N3|AxC[/N2][@RC][:RC3]" -> n3, n2, rc, args (the fit's three-body flags), tag
split_filters() {
  local f=$1 rc3=""
  rc=$recipe_cutoff
  case $f in *:*) rc3=${f#*:}; f=${f%:*} ;; esac
  case $f in *@*) rc=${f#*@}; f=${f%@*} ;; esac
  n3=${f%%/*}; n2=1; [ "$f" = "$n3" ] || n2=${f#*/}
  case $n3 in
    *x*) args="--three-body-basis ${n3%x*},${n3#*x}" ;;
    *) args="--three-body $n3" ;;
  esac
  [ -z "$rc3" ] || args="$args --three-body-cutoff $rc3"
  tag=n${n3}_${n2}_rc$rc${rc3:+_rc3$rc3}
}
for f in $FILTERS; do
  split_filters "$f"
  "$REPO/.build/release/snnp" fit --config "$recipe" $args ${EXTRA:-} \
    --two-body "$n2" --cutoff "$rc" --epochs 1 --polish-epochs 0 --threads 1 --output "$OUT/fit-$tag" > "$OUT/fit-$tag.log"
  "$REPO/.build/release/snnp-export" "$OUT/fit-$tag/last.ckpt" --last -o "$OUT/Mo-$tag.snnp" > /dev/null
done
machine_line
printf '%-7s %6s %6s %6s %12s %12s %10s\n' atoms el N3/N2@rc rep snnp_us meam_us snnp/meam
for f in $FILTERS; do
  split_filters "$f"
  for rep in $(seq "$REPS"); do
    log=$OUT/${tag}_r$rep.log
    bench_wheel "$log" -var mult 1 -var el Mo -var lat $lat -var a $a -var mass $mass \
       -var snnp "$OUT/Mo-$tag.snnp" -var meam "$PEERS/Mo.smeam.meam.spline" -var frozen 1 -var s snnp meamspline
    python3 "$HERE/times.py" "$log" Mo "${tag#n}" "$rep"
  done
done
