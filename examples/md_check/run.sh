#!/bin/bash
# MD stability check of one potential for one element (see in.lammps):
#   solid  at 300 K for 20 ps, solid at 0.9 Tm for 20 ps (NPT, 0 bar),
#   liquid: melted at 2 Tm for 5 ps, then 20 ps at 1.2 Tm with its RDF,
# Tm = experimental melting point (Mo 2896 K, Si 1687 K, Ge 1211 K, Li 453.7 K, Cu 1357.8 K, Ni 1728 K).
#
#   bash examples/md_check/run.sh POTENTIAL.snnp ELEMENT OUTDIR
#
# Writes OUTDIR/{solid_300K,solid_0.9Tm,liquid_1.2Tm}.log, OUTDIR/rdf.dat and
# OUTDIR/summary.json (all RESULT lines, the RDF analysis and the verdict of
# check.py). STEPS=N shortens every stage (default 20000 = 20 ps).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
pot=$(realpath "${1:?usage: run.sh POTENTIAL.snnp ELEMENT OUTDIR}")
el=${2:?usage: run.sh POTENTIAL.snnp ELEMENT OUTDIR}
mkdir -p "${3:?usage: run.sh POTENTIAL.snnp ELEMENT OUTDIR}"
out=$(realpath "$3")
lmp=${LMP:-$here/../../lammps-plugin/build/lmp_snnp}
steps=${STEPS:-20000}
# species masses lat a Tm (and mass) of the element or alloy: python/snnp/elements.py
crystal=$(python3 -m snnp.elements --shell "$el") ||
  { echo "run.sh: unknown element or alloy '$el' (expected Mo, Si, Ge, Li, MoNbTaW or MoNb)" >&2; exit 2; }
eval "$crystal"
set -- $masses
n=$#
if [ "$n" -eq 1 ]; then
  composition=(-var el "$el" -var mass $mass)
else
  # equiatomic random alloy: type t+1 is species[t]; fractions moved from type 1 so
  # that every type ends with N/n atoms
  {
    for ((t = 2; t <= n; t++)); do
      echo "set type 1 type/ratio $t $(python3 -c "print(1 / ($n - $t + 2))") $((7919 * t))"
    done
    for ((t = 1; t <= n; t++)); do echo "mass $t ${!t}"; done
  } > "$out/alloy.in"
  composition=(-var el "$species" -var ntypes $n -var alloy "$out/alloy.in")
fi
[ -x "$lmp" ] || { echo "run.sh: no LAMMPS binary $lmp (bash lammps-plugin/build.sh)" >&2; exit 2; }
common=(-var pot "$pot" "${composition[@]}" -var lat $lat -var a $a -var Tm $Tm -var steps "$steps")
run_stage() {  # name T stage [extra vars]
  local name=$1 T=$2 stage=$3; shift 3
  local t0=$SECONDS
  if ! (cd "$out" && "$lmp" -in "$here/in.lammps" -log "$name.log" -screen none "${common[@]}" -var T "$T" -var stage "$stage" "$@"); then
    echo "run.sh: LAMMPS failed in stage $name:" >&2; grep -m3 ERROR "$out/$name.log" >&2 || true
  fi
  echo "$name $((SECONDS - t0)) s" >> "$out/wall.txt"
}
: > "$out/wall.txt"
run_stage solid_300K 300 solid
run_stage solid_0.9Tm "$(python3 -c "print(round(0.9*$Tm,1))")" solid
run_stage liquid_1.2Tm "$(python3 -c "print(round(1.2*$Tm,1))")" liquid -var melt_steps $((steps / 4)) -var rdf rdf.dat
python3 "$here/check.py" "$out" "$el" "$lat" "$Tm" "$(basename "$pot")" "$steps"
