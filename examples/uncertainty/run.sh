#!/usr/bin/env bash
# Reruns the uncertainty study of docs/studies/uncertainty.md (issue 23,
# "Usefulness" and "Accuracy"). Needs: swift build -c release, and the mlearn
# data (Zuo et al. 2020, BSD-3) under ../shared/data/mlearn (or DATA=...).
# Fits are short (EPOCHS, default 80, lr steps at 50/70, no L-BFGS polish) and
# single-threaded; a finished fit is reused unless FORCE=1.
# Output: runs/unc/results.txt (all numbers quoted in the study).
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
DATA=${DATA:-$ROOT/../shared/data/mlearn/Mo/train.xyz}
EPOCHS=${EPOCHS:-80}
SNNP=$ROOT/.build/release/snnp
EXPORT=$ROOT/.build/release/snnp-export
PY="python3 $ROOT/examples/uncertainty/analyze.py"
FILTER="python3 $ROOT/examples/uncertainty/xyzfilter.py"
R=$ROOT/runs/unc
mkdir -p "$R"
cd "$R"

# Data subsets (not committed).
$FILTER "$DATA" Mo-nosurf.xyz --drop Surface          # training pool of case 1
$FILTER "$DATA" Mo-surf.xyz --keep Surface            # OOD of case 1
$FILTER "$DATA" Mo-EA.xyz --keep Elastic,AIMD-NVT     # training pool of case 2
$FILTER "$DATA" Mo-vac.xyz --keep Vacancy             # OOD of case 2
$FILTER "$DATA" Mo-pool.xyz --keep Surface,Vacancy    # select pool

# The shipped Mo recipe with a short schedule.
python3 - "$ROOT/examples/fit/Mo-int-all.json" "$EPOCHS" <<'PYEOF'
import json, sys
c = json.load(open(sys.argv[1])); e = int(sys.argv[2])
c.update(epochs=e, polish_epochs=0, milestones=[round(e * 0.625), round(e * 0.875)])
json.dump(c, open("Mo-short.json", "w"), indent=1)
PYEOF

fit() {  # name train.xyz K
  if [[ -f $1/best.ckpt && -z ${FORCE:-} ]]; then echo "reusing $1"; else
    rm -rf "$1"
    "$SNNP" fit --config Mo-short.json --train "$2" --committee "$3" --threads 1 --stratify-split -o "$1" > "$1.log" 2>&1
  fi
  "$EXPORT" "$1/best.ckpt" -o "$1.snnp" > /dev/null
}

fit nosurf-k4 Mo-nosurf.xyz 4
fit nosurf-k1 Mo-nosurf.xyz 1
fit ea-k4 Mo-EA.xyz 4
$PY onehead nosurf-k4.snnp nosurf-k4-head1.snnp
"$SNNP" check nosurf-k4-head1.snnp > nosurf-k4-head1.check 2>&1

{
  echo "# uncertainty study, $(date -u), commit $(git -C "$ROOT" rev-parse --short HEAD), EPOCHS=$EPOCHS"
  echo; echo "## fit times (threads 1)"
  for n in nosurf-k4 nosurf-k1 ea-k4; do echo "$n: $(grep -h '^done in' $n.log)"; done
  cmp -s nosurf-k4/validation.xyz nosurf-k1/validation.xyz && echo "nosurf-k4 and nosurf-k1 share their validation frames"
  $PY types nosurf-k4/validation.xyz; $PY types ea-k4/validation.xyz

  echo; echo "## 1. Mo without Surface: validation vs Surface"
  $PY ood "$SNNP" nosurf-k4.snnp nosurf-k4/validation.xyz Mo-surf.xyz "Mo no-surface K=4 / Surface"
  echo; echo "## 2. Mo Elastic+AIMD only: validation vs Vacancy (and Surface)"
  $PY ood "$SNNP" ea-k4.snnp ea-k4/validation.xyz Mo-vac.xyz "Mo Elastic+AIMD K=4 / Vacancy"
  $PY ood "$SNNP" ea-k4.snnp ea-k4/validation.xyz Mo-surf.xyz "Mo Elastic+AIMD K=4 / Surface"
  echo; echo "## 1b. single-head fit: grade alone (no committee)"
  $PY ood "$SNNP" nosurf-k1.snnp nosurf-k1/validation.xyz Mo-surf.xyz "Mo no-surface K=1 / Surface" 2>&1 | grep -v sigma || true

  echo; echo "## 3. accuracy on the no-surface validation frames"
  tail -n +1 nosurf-k4-head1.check | head -3
  $PY mae "$SNNP" nosurf-k4.snnp nosurf-k4/validation.xyz "committee K=4 (mean of heads)"
  $PY mae "$SNNP" nosurf-k4-head1.snnp nosurf-k4/validation.xyz "head 1 of the same fit"
  $PY mae "$SNNP" nosurf-k1.snnp nosurf-k1/validation.xyz "fresh single-head fit"
  $PY mae "$SNNP" ea-k4.snnp ea-k4/validation.xyz "Elastic+AIMD committee K=4"
  $PY onehead ea-k4.snnp ea-k4-head1.snnp
  $PY mae "$SNNP" ea-k4-head1.snnp ea-k4/validation.xyz "Elastic+AIMD head 1"

  echo; echo "## 4. snnp select: 5 of the Surface+Vacancy pool for the no-surface model"
  $PY types Mo-pool.xyz
  "$SNNP" select --potential nosurf-k4.snnp --pool Mo-pool.xyz --count 5 -o picked.xyz 2>&1
  $PY types picked.xyz
} 2>&1 | tee results.txt
