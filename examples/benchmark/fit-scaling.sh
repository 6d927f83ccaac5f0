#!/bin/bash
# Fitter scaling (issue 28): seconds per epoch, set-up time and peak memory of `snnp fit`
# (default (1,8) int. all model) on synthetic 16-atom Mo frames labelled by the s-MEAM
# peer (scaling_data.py), for 10^3 to 10^6 atoms. Prints one row per size.
#
#   bash examples/benchmark/fit-scaling.sh                 (after swift build -c release)
#   SIZES="1000 10000" THREADS=1 bash examples/benchmark/fit-scaling.sh
#   RANKS=2 THREADS=1 SIZES=100000 bash examples/benchmark/fit-scaling.sh   (under mpirun;
#     peak_MB is then the largest rank's, and each rank holds only its frames' neighbour data)
set -euo pipefail
HERE=$(cd "$(dirname "$0")" && pwd)
REPO=$(cd "$HERE/../.." && pwd)
SIZES=${SIZES:-"1000 10000 100000 1000000"}
THREADS=${THREADS:-2}
RANKS=${RANKS:-1}
OUT=${OUT:-$(mktemp -d)}
mkdir -p "$OUT"
echo "# $(lscpu | sed -n 's/^Model name: *//p'), $(getconf _NPROCESSORS_ONLN) CPUs, load $(cut -d' ' -f1-3 /proc/loadavg), threads $THREADS, ranks $RANKS"
printf '%9s %7s %10s %10s %12s %12s %10s\n' atoms frames label_s setup_s s_per_epoch us_atom_epoch peak_MB
for atoms in $SIZES; do
  frames=$((atoms / 16))
  data=$OUT/mo-$atoms.xyz
  t0=$(date +%s.%N)
  [ -f "$data" ] || python3 "$HERE/scaling_data.py" "$frames" "$data" > /dev/null
  t1=$(date +%s.%N)
  fit=(fit --train "$data" --validation-fraction 0.1 --epochs 2 --polish-epochs 0 --threads "$THREADS"
    --output "$OUT/fit-$atoms")
  rm -f "$OUT/fit-$atoms".time*
  if [ "$RANKS" = 1 ]; then
    /usr/bin/time -v -o "$OUT/fit-$atoms.time.0" "$REPO/.build/release/snnp" "${fit[@]}" > "$OUT/fit-$atoms.out"
  else
    # one time file per rank (Open MPI names the rank in OMPI_COMM_WORLD_RANK)
    mpirun --allow-run-as-root --oversubscribe -np "$RANKS" sh -c \
      '/usr/bin/time -v -o "$0.time.$OMPI_COMM_WORLD_RANK" "$@"' "$OUT/fit-$atoms" \
      "$REPO/.build/release/snnp" "${fit[@]}" > "$OUT/fit-$atoms.out"
  fi
  python3 - "$OUT/fit-$atoms" "$OUT/fit-$atoms.time.0" "$atoms" "$frames" "$t0" "$t1" <<'PY'
import csv, glob, re, sys
run, timing, atoms, frames, t0, t1 = sys.argv[1:]
rows = list(csv.DictReader(open(f"{run}/log.csv")))
epoch = float(rows[-1]["seconds"])
text = open(timing).read()
wall = re.search(r"Elapsed \(wall clock\) time \(h:mm:ss or m:ss\): (.*)", text).group(1).split(":")
wall = sum(float(x) * 60 ** k for k, x in enumerate(reversed(wall)))
peak = max(int(re.search(r"Maximum resident set size \(kbytes\): (\d+)", open(t).read()).group(1))
           for t in glob.glob(f"{run}.time.*")) / 1024
setup = wall - sum(float(r["seconds"]) for r in rows)
train_atoms = 0.9 * int(atoms)
print(f"{int(atoms):9d} {int(frames):7d} {float(t1) - float(t0):10.1f} {setup:10.1f} {epoch:12.2f} "
      f"{1e6 * epoch / train_atoms:12.1f} {peak:10.0f}")
PY
done
echo "# runs: $OUT"
