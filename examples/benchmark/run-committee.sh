#!/bin/bash
# Cost of a committee in LAMMPS (docs/uncertainty.md): the shipped Mo (1,8) int. all
# file against the same filters with K = 4 network heads (make_committee.py), and
# the committee with sigma/grade/close asked for every 100 steps (committee.in,
# compute snnp/atom reduced to its maximum in thermo output). One lmp_snnp process
# per run, runs interleaved, REPS repeats; prints µs per atom-step and the ratios
# to the single head of the same repeat.
#
#   bash examples/benchmark/run-committee.sh        (after bash lammps-plugin/build.sh)
#   REPS=5 K=8 bash examples/benchmark/run-committee.sh
set -euo pipefail
HERE=$(cd "$(dirname "$0")" && pwd)
REPO=$(cd "$HERE/../.." && pwd)
LMP=$REPO/lammps-plugin/build/lmp_snnp
REPS=${REPS:-3}
K=${K:-4}
OUT=${OUT:-$(mktemp -d)}
mkdir -p "$OUT"
export OMP_NUM_THREADS=1
ONE=$REPO/potentials/Mo.int-all.snnp
python3 "$HERE/make_committee.py" "$ONE" "$K" > "$OUT/Mo.k$K.snnp"
echo "# $(lscpu | sed -n 's/^Model name: *//p'), $(getconf _NPROCESSORS_ONLN) CPUs, load $(cut -d' ' -f1-3 /proc/loadavg)"
us() {  # log -> µs per atom-step of the timed (second) run
  python3 - "$1" <<'PY'
import re, sys
text = open(sys.argv[1]).read()
loops = re.findall(r"Loop time of ([0-9.eE+-]+) on \d+ procs for (\d+) steps with (\d+) atoms", text)
t, steps, atoms = loops[-1]
print(f"{1e6 * float(t) / (int(steps) * int(atoms)):.3f}")
PY
}
printf '%4s %12s %12s %12s %10s %10s\n' rep one_us k${K}_us k${K}watch_us k/one watch/one
for rep in $(seq "$REPS"); do
  run() { (cd "$OUT" && "$LMP" -in "$HERE/committee.in" -log "$OUT/$1_r$rep.log" -screen none \
            -var el Mo -var a 3.1676 -var mass 95.95 "${@:2}"); us "$OUT/$1_r$rep.log"; }
  one=$(run one -var pot "$ONE")
  k=$(run k -var pot "$OUT/Mo.k$K.snnp")
  watch=$(run watch -var pot "$OUT/Mo.k$K.snnp" -var watch 1)
  printf '%4d %12s %12s %12s %10.3f %10.3f\n' "$rep" "$one" "$k" "$watch" \
    "$(python3 -c "print($k/$one)")" "$(python3 -c "print($watch/$one)")"
done
echo "# logs: $OUT"
