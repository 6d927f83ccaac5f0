#!/bin/bash
# Data-parallel fitting under MPI (snnp fit under mpirun), on this machine's 2 cores:
#  1. 2 ranks == 1 rank == 1 rank with 2 threads: every log.csv number of 20 AMSGrad
#     epochs + 5 L-BFGS iterations agrees to 1e-10 relative (the sums run in a fixed
#     order, so they are in fact bit-identical), for a single head, a committee and
#     the tensor-product three-body form and the four-body moment filters, and for a
#     least-squares fit of cardinal filters (one solve);
#  2. a checkpoint of a 1-rank run resumes on 2 ranks to the same curve;
#  3. on 97 frames each rank prepares the neighbour data of its own chunks only;
#  4. faults end the whole run with a message, never hang: an unwritable output
#     directory (rank 0 fails), ranks given different settings, kill -9 of one rank
#     (the last checkpoint stays loadable and resumes).
# Prints PASS/FAIL lines and "N passed, M failed"; exits non-zero on any failure.
#
#   bash scripts/test-mpi-fit.sh        (after swift build -c release)
set -u
cd "$(dirname "$0")/.."
S=$PWD/.build/release/snnp
D=$PWD/examples/data/Mo-mlearn-subset.xyz
W=$(mktemp -d /tmp/snnp-mpi-fit.XXXXXX)
MPI=(mpirun --allow-run-as-root --oversubscribe)
export OMP_NUM_THREADS=1
passed=0
failed=0
result() {  # ok name detail
  if [ "$1" = 0 ]; then echo "PASS $2: $3"; passed=$((passed + 1)); else echo "FAIL $2: $3"; failed=$((failed + 1)); fi
}
same_logs() {  # a b -> worst relative difference of every log.csv number but seconds
  python3 - "$1/log.csv" "$2/log.csv" <<'PY'
import csv, sys
a, b = (list(csv.DictReader(open(p))) for p in sys.argv[1:])
if len(a) != len(b) or not a:
    print(f"rows {len(a)} vs {len(b)}"); sys.exit(1)
worst = 0.0
for r, s in zip(a, b):
    for k in r:
        if k == "seconds" or r[k] == s[k] == "":
            continue
        u, v = float(r[k]), float(s[k])
        worst = max(worst, abs(u - v) / max(abs(u), 1e-300))
print(f"{len(a)} epochs, worst relative difference {worst:.1e}")
sys.exit(0 if worst <= 1e-10 else 1)
PY
}
FIT=(fit --train "$D" --validation-fraction 0.25 --batch-size 3 --epochs 20 --polish-epochs 5)
for kind in single committee tensor four-body; do
  extra=()
  [ "$kind" = committee ] && extra=(--committee 3)
  [ "$kind" = tensor ] && extra=(--three-body-basis 3,2)
  [ "$kind" = four-body ] && extra=(--four-body 2)
  "$S" "${FIT[@]}" "${extra[@]}" --threads 1 --output "$W/${kind}_1" > "$W/${kind}_1.out" 2>&1
  "$S" "${FIT[@]}" "${extra[@]}" --threads 2 --output "$W/${kind}_t2" > "$W/${kind}_t2.out" 2>&1
  timeout 300 "${MPI[@]}" -np 2 "$S" "${FIT[@]}" "${extra[@]}" --threads 1 --output "$W/${kind}_np2" > "$W/${kind}_np2.out" 2>&1
  out=$(same_logs "$W/${kind}_1" "$W/${kind}_np2"); result $? "mpi fit $kind: 2 ranks == 1 rank" "$out"
  out=$(same_logs "$W/${kind}_1" "$W/${kind}_t2"); result $? "mpi fit $kind: 2 threads == 1 thread" "$out"
done
# least squares (cardinal filters, one linear layer): the one solve from n + 3 full-batch
# gradients gives the same model on 2 ranks and 2 threads as on 1
printf '{"train": ["%s"], "validation_fraction": 0.25, "filter_start": "cardinal", "three_body_basis": [5, 5], "radial_knots": 5, "angular_knots": 3, "two_body": 5, "variant": "network", "hidden": [], "optimizer": "least_squares", "epochs": 1, "polish_epochs": 0}\n' "$D" > "$W/lsq.json"
"$S" fit --config "$W/lsq.json" --threads 1 --output "$W/lsq_1" > "$W/lsq_1.out" 2>&1
"$S" fit --config "$W/lsq.json" --threads 2 --output "$W/lsq_t2" > "$W/lsq_t2.out" 2>&1
timeout 300 "${MPI[@]}" -np 2 "$S" fit --config "$W/lsq.json" --threads 1 --output "$W/lsq_np2" > "$W/lsq_np2.out" 2>&1
out=$(same_logs "$W/lsq_1" "$W/lsq_np2"); result $? "mpi fit least squares: 2 ranks == 1 rank" "$out"
out=$(same_logs "$W/lsq_1" "$W/lsq_t2"); result $? "mpi fit least squares: 2 threads == 1 thread" "$out"
# sharded neighbour data: with 97 frames (chunks of 32) each of 2 ranks prepares only its
# own chunks, together exactly the frames one rank prepares, and the curve is unchanged
H=$PWD/examples/data/Mo-mlearn-half.xyz
SHARD=(fit --train "$H" --validation-fraction 0.25 --epochs 4 --polish-epochs 2 --threads 1)
"$S" "${SHARD[@]}" --output "$W/shard_1" > "$W/shard_1.out" 2>&1
timeout 300 "${MPI[@]}" -np 2 "$S" "${SHARD[@]}" --output "$W/shard_np2" > "$W/shard_np2.out" 2>&1
out=$(same_logs "$W/shard_1" "$W/shard_np2"); result $? "mpi fit: 2 ranks == 1 rank on 4 chunks of frames" "$out"
python3 - "$W/shard_1.out" "$W/shard_np2.out" <<'PY'
import re, sys
one, two = (open(p).read() for p in sys.argv[1:])
total = float(re.search(r"neighbour data of the frames: ([\d.]+) MB", one).group(1))
ranks = [float(x) for x in re.search(r"per rank ([\d. /]+) MB", two).group(1).split(" / ")]
print(f"1 rank holds {total} MB; 2 ranks hold {ranks} MB")
ok = len(ranks) == 2 and all(0 < r < 0.8 * total for r in ranks) and abs(sum(ranks) - total) <= 0.11
sys.exit(0 if ok else 1)
PY
result $? "mpi fit: each rank prepares only its own frames" "$(grep -m1 'neighbour data' "$W/shard_np2.out")"
# resume a 1-rank checkpoint (epoch 10) on 2 ranks: the learning-rate milestones are
# fixed in a configuration file, so the schedule does not depend on --epochs
printf '{"milestones": [15]}\n' > "$W/milestones.json"
"$S" "${FIT[@]}" --config "$W/milestones.json" --threads 1 --output "$W/whole" > /dev/null 2>&1
"$S" "${FIT[@]}" --config "$W/milestones.json" --epochs 10 --polish-epochs 0 --threads 1 --output "$W/half" > /dev/null 2>&1
timeout 300 "${MPI[@]}" -np 2 "$S" fit --resume "$W/half/last.ckpt" --epochs 20 --polish-epochs 5 --threads 1 \
  > "$W/resume.out" 2>&1
out=$(same_logs "$W/whole" "$W/half"); result $? "mpi fit: 1-rank checkpoint resumed on 2 ranks" "$out"
# faults
mkdir -p "$W/ro" && chmod 555 "$W/ro"
out=$(timeout 120 "${MPI[@]}" -np 2 "$S" "${FIT[@]}" --output /proc/snnp-cannot-write 2>&1); rc=$?
grep -qE "not writable|cannot be created" <<<"$out" && [ $rc != 0 ] && [ $rc != 124 ]
result $? "mpi fit: unwritable output on rank 0 ends every rank" "exit $rc, $(grep -m1 -oE "rank 0 of 2: output directory [^:]*: [^:]*" <<<"$out")"
out=$(timeout 120 "${MPI[@]}" -np 1 "$S" "${FIT[@]}" --output "$W/mm" : -np 1 "$S" "${FIT[@]}" --l2 0.5 --output "$W/mm" 2>&1); rc=$?
grep -q "fit settings differ from rank 0's" <<<"$out" && [ $rc != 0 ] && [ $rc != 124 ]
result $? "mpi fit: ranks with different settings are refused" "exit $rc, $(grep -m1 -o 'rank 1 of 2: rank 1: its fit settings differ[^(]*' <<<"$out")"
"${MPI[@]}" -np 2 "$S" "${FIT[@]}" --epochs 100000 --threads 1 --output "$W/kill" > "$W/kill.out" 2>&1 &
runner=$!
for _ in $(seq 60); do [ -f "$W/kill/last.ckpt" ] && break; sleep 0.5; done
sleep 1
victim=$(pgrep -f -- "--output $W/kill" | grep -v "^$runner$" | tail -n 1)
kill -9 "$victim" 2>/dev/null
for _ in $(seq 60); do kill -0 $runner 2>/dev/null || break; sleep 0.5; done
if kill -0 $runner 2>/dev/null; then
  kill -9 $runner; result 1 "mpi fit: kill -9 of one rank ends the run" "mpirun still running 30 s later (hang)"
else
  timeout 120 "$S" fit --resume "$W/kill/last.ckpt" --epochs 3 --output "$W/kill2" > "$W/kill2.out" 2>&1
  rc=$?
  result $rc "mpi fit: kill -9 of one rank ends the run; its last.ckpt resumes" "$(tail -n 1 "$W/kill2.out")"
fi
echo "$passed passed, $failed failed"
[ "$failed" = 0 ]
