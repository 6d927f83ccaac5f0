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

fit() {  # name train.xyz K [more snnp fit options]
  if [[ -f $1/best.ckpt && -z ${FORCE:-} ]]; then echo "reusing $1"; else
    rm -rf "$1"
    "$SNNP" fit --config Mo-short.json --train "$2" --committee "$3" --threads 1 --stratify-split -o "$1" "${@:4}" > "$1.log" 2>&1
  fi
  "$EXPORT" "$1/best.ckpt" -o "$1.snnp" > /dev/null
}

fit nosurf-k4 Mo-nosurf.xyz 4
fit nosurf-k1 Mo-nosurf.xyz 1
fit ea-k4 Mo-EA.xyz 4
# The same committees with a bootstrap resample of the training frames per head.
fit nosurf-k4b Mo-nosurf.xyz 4 --bootstrap
fit ea-k4b Mo-EA.xyz 4 --bootstrap

# Case 3: Mo-Nb-Ta-W without the Nb-Ta binary (a subset: every 4th AIMD and
# binary frame, all Elastic frames; EPOCHS_MNTW epochs, batch 32).
MNTW=${MNTW:-$ROOT/../shared/data/MoNbTaW}
EPOCHS_MNTW=${EPOCHS_MNTW:-30}
if [[ -d $MNTW ]]; then
  : > MNTW-train.xyz
  for el in Mo Nb Ta W; do
    $FILTER "$MNTW/${el}_AIMD.xyz" t.xyz --every 4; cat t.xyz >> MNTW-train.xyz
    cat "$MNTW/${el}_Elastic.xyz" >> MNTW-train.xyz
  done
  for b in MoTa MoW NbMo NbW TaW; do $FILTER "$MNTW/${b}_SS.xyz" t.xyz --every 4; cat t.xyz >> MNTW-train.xyz; done
  rm -f t.xyz
  cp "$MNTW/NbTa_SS.xyz" MNTW-NbTa.xyz
  python3 - "$ROOT/examples/fit/MoNbTaW-int-all.json" "$EPOCHS_MNTW" <<'PYEOF'
import json, sys
c = json.load(open(sys.argv[1])); e = int(sys.argv[2])
c.update(epochs=e, polish_epochs=0, milestones=[round(e * 0.6), round(e * 0.85)])
json.dump(c, open("MNTW-short.json", "w"), indent=1)
PYEOF
  for b in "" b; do
    if [[ -f mntw-k4$b/best.ckpt && -z ${FORCE:-} ]]; then echo "reusing mntw-k4$b"; else
      rm -rf mntw-k4$b
      "$SNNP" fit --config MNTW-short.json --train MNTW-train.xyz --committee 4 --threads 1 --stratify-split \
        -o mntw-k4$b ${b:+--bootstrap} > mntw-k4$b.log 2>&1
    fi
    "$EXPORT" mntw-k4$b/best.ckpt -o mntw-k4$b.snnp > /dev/null
  done
fi

{
  echo "# uncertainty study, $(date -u), commit $(git -C "$ROOT" rev-parse --short HEAD), EPOCHS=$EPOCHS"
  echo; echo "## fit times (threads 1)"
  for n in nosurf-k4 nosurf-k1 ea-k4 mntw-k4 nosurf-k4b ea-k4b mntw-k4b; do [[ -f $n.log ]] || continue; echo "$n: $(grep -h '^done in' $n.log)"; done
  cmp -s nosurf-k4/validation.xyz nosurf-k1/validation.xyz && echo "nosurf-k4 and nosurf-k1 share their validation frames"
  $PY types nosurf-k4/validation.xyz; $PY types ea-k4/validation.xyz

  echo; echo "## 1. Mo without Surface: validation vs Surface"
  $PY ood "$SNNP" nosurf-k4.snnp nosurf-k4/validation.xyz Mo-surf.xyz "Mo no-surface K=4 / Surface"
  echo; echo "per frame, no-surface committee on its validation frames and on Surface:"
  "$SNNP" eval nosurf-k4.snnp nosurf-k4/validation.xyz --per-frame | sed -n '/^group/,$p'
  "$SNNP" eval nosurf-k4.snnp Mo-surf.xyz --per-frame | sed -n '/^per frame/,$p'
  $PY spreadunits "$SNNP" nosurf-k4.snnp Mo-surf.xyz
  grep -o 'description="[^"]*"' nosurf-k4/validation.xyz | nl
  echo; echo "## 2. Mo Elastic+AIMD only: validation vs Vacancy (and Surface)"
  $PY ood "$SNNP" ea-k4.snnp ea-k4/validation.xyz Mo-vac.xyz "Mo Elastic+AIMD K=4 / Vacancy"
  $PY ood "$SNNP" ea-k4.snnp ea-k4/validation.xyz Mo-surf.xyz "Mo Elastic+AIMD K=4 / Surface"
  if [[ -f mntw-k4.snnp ]]; then
    echo; echo "## 2b. Mo-Nb-Ta-W without Nb-Ta: validation vs all NbTa_SS frames"
    $PY ood "$SNNP" mntw-k4.snnp mntw-k4/validation.xyz MNTW-NbTa.xyz "MoNbTaW no-NbTa K=4 / NbTa"
  fi
  echo; echo "## Spearman over the validation frames of the committee fits pooled"
  P="nosurf-k4.snnp nosurf-k4/validation.xyz ea-k4.snnp ea-k4/validation.xyz"
  [[ -f mntw-k4.snnp ]] && P="$P mntw-k4.snnp mntw-k4/validation.xyz"
  $PY pooled "$SNNP" $P
  echo; echo "## 1-2 with bootstrap resamples per head (--bootstrap)"
  $PY ood "$SNNP" nosurf-k4b.snnp nosurf-k4b/validation.xyz Mo-surf.xyz "Mo no-surface K=4 bootstrap / Surface"
  $PY ood "$SNNP" ea-k4b.snnp ea-k4b/validation.xyz Mo-vac.xyz "Mo Elastic+AIMD K=4 bootstrap / Vacancy"
  [[ -f mntw-k4b.snnp ]] && $PY ood "$SNNP" mntw-k4b.snnp mntw-k4b/validation.xyz MNTW-NbTa.xyz "MoNbTaW no-NbTa K=4 bootstrap / NbTa"
  echo "pooled validation frames, bootstrap committees:"
  P="nosurf-k4b.snnp nosurf-k4b/validation.xyz ea-k4b.snnp ea-k4b/validation.xyz"
  [[ -f mntw-k4b.snnp ]] && P="$P mntw-k4b.snnp mntw-k4b/validation.xyz"
  $PY pooled "$SNNP" $P
  for n in nosurf-k4b ea-k4b mntw-k4b; do
    [[ -f $n.snnp ]] && $PY mae "$SNNP" $n.snnp $n/validation.xyz "$n committee K=4 bootstrap (mean of heads)"
  done
  echo; echo "## 1b. single-head fit: grade alone (no committee)"
  $PY ood "$SNNP" nosurf-k1.snnp nosurf-k1/validation.xyz Mo-surf.xyz "Mo no-surface K=1 / Surface" 2>&1 | grep -v '^sigma_E\|^max sigma_i' || true

  echo; echo "## 3. accuracy: committee mean vs its own heads (one-head files cut from the committee file)"
  heads() {  # committee.snnp validation.xyz label
    local base=${1%.snnp} hs=()
    $PY mae "$SNNP" "$1" "$2" "$3 committee K=4 (mean of heads)"
    for h in 1 2 3 4; do
      $PY onehead "$1" "$base-head$h.snnp" $h
      "$SNNP" check "$base-head$h.snnp" > /dev/null
      $PY mae "$SNNP" "$base-head$h.snnp" "$2" "$3 head $h alone"
      hs+=("$base-head$h.snnp")
    done
    $PY headmean "$SNNP" "$1" "$2" "${hs[@]}"
  }
  "$SNNP" check nosurf-k4.snnp; $PY onehead nosurf-k4.snnp nosurf-k4-head1.snnp; "$SNNP" check nosurf-k4-head1.snnp
  heads nosurf-k4.snnp nosurf-k4/validation.xyz "Mo no-surface"
  $PY mae "$SNNP" nosurf-k1.snnp nosurf-k1/validation.xyz "Mo no-surface fresh single-head fit"
  heads ea-k4.snnp ea-k4/validation.xyz "Mo Elastic+AIMD"
  [[ -f mntw-k4.snnp ]] && heads mntw-k4.snnp mntw-k4/validation.xyz "MoNbTaW no-NbTa"

  echo; echo "## 4. snnp select: 5 of the Surface+Vacancy pool for the no-surface model"
  $PY types Mo-pool.xyz
  "$SNNP" select --potential nosurf-k4.snnp --pool Mo-pool.xyz --count 5 -o picked.xyz 2>&1
  $PY types picked.xyz

  echo; echo "## bad input (each should be a clear error, no crash)"
  for k in 0 100000; do
    "$SNNP" fit --config Mo-short.json --train Mo-surf.xyz --committee $k --epochs 1 --threads 1 -o bad-k$k 2>&1 | tail -1 || true
  done
  "$SNNP" select --potential nosurf-k4.snnp --pool "$(dirname "$DATA")/../Ni/train.xyz" --count 2 -o bad.xyz 2>&1 | tail -1 || true
  grep -v '^training_domain\|^min \|^max \|^active \|^closest_approach' nosurf-k4.snnp > nodomain.snnp
  "$SNNP" eval nodomain.snnp Mo-surf.xyz | grep -i 'extrapolation grade' || true
  "$SNNP" select --potential nodomain.snnp --pool Mo-pool.xyz --count 2 -o bad.xyz 2>&1 | tail -1 || true
} 2>&1 | tee results.txt
