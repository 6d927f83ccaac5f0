#!/bin/bash
# Zero-temperature properties of one potential for one element through LAMMPS
# pair_style snnp: lattice constant, cohesive energy, C11/C12/C44 (relaxed and
# clamped ions; at 0 bar and at the DFT cell), bulk modulus, vacancy formation and
# migration energies.
#
#   bash examples/properties/run.sh POTENTIAL.snnp ELEMENT [OUT.json]
#
# ELEMENT is one of Mo, Li (bcc), Cu, Ni (fcc), Si, Ge (diamond); lattice, first
# guess and mass from python/snnp/elements.py.
# A *.meam.spline file runs under LAMMPS's own pair_style meam/spline instead.
# Prints one JSON object (and writes it atomically to OUT.json if given).
# Uses lammps-plugin/build/lmp_snnp (bash lammps-plugin/build.sh) or $LMP.
# SNNP_PROPERTIES="lattice elastic" runs only those inputs (lattice elastic
# elastic_dft_cell vacancy migration).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
pot=$(realpath "${1:?usage: run.sh POTENTIAL.snnp ELEMENT [OUT.json]}")
el=${2:?usage: run.sh POTENTIAL.snnp ELEMENT [OUT.json]}
out=${3:+$(realpath -m "$3")}
lmp=${LMP:-$here/../../lammps-plugin/build/lmp_snnp}
# lat a mass Tm of the element: python/snnp/elements.py
crystal=$(python3 -m snnp.elements --shell "$el" 2>/dev/null) && [[ $crystal == *" mass="* ]] ||
  { echo "run.sh: unknown element '$el' (expected Mo, Li, Cu, Ni, Si or Ge)" >&2; exit 2; }
eval "$crystal"
# defects in 5x5x5 bcc (250 sites), 4x4x4 fcc (256 sites) or 3x3x3 diamond (216 sites) cells
case $lat in bcc) n=5 ;; fcc) n=4 ;; *) n=3 ;; esac
[ -f "$pot" ] || { echo "run.sh: no potential file $pot" >&2; exit 2; }
[ -x "$lmp" ] || { echo "run.sh: no LAMMPS binary $lmp (bash lammps-plugin/build.sh)" >&2; exit 2; }
style=snnp; case $pot in *.meam.spline) style=meam/spline ;; esac
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
cd "$here"
# elastic_dft_cell: the elastic constants again, at the DFT lattice constant a of the
# data's ground-state cell (not at 0 bar in DFT: residual stress Ge -1.07 GPa, Mo -0.54), the cell at
# which dft_reference.py's constants hold; RESULT names end in _dft_cell
# SNNP_PROPERTIES: a subset of the inputs below (e.g. "lattice elastic"), default all
for prop in ${SNNP_PROPERTIES:-lattice elastic elastic_dft_cell vacancy migration}; do
  # the elastic constants come from the small 3x3x3 cell; defects use n x n x n
  cells=$n; input=in.$prop; extra=()
  case $prop in
    lattice|elastic) cells=3 ;;
    elastic_dft_cell) cells=3; input=in.elastic; extra=(-var relax no -var suffix _dft_cell) ;;
  esac
  if ! "$lmp" -in "$input" -log "$tmp/$prop.log" -screen none -var pot "$pot" -var el "$el" \
       -var lat $lat -var a $a -var mass $mass -var n $cells -var style $style "${extra[@]}"; then
    echo "run.sh: LAMMPS failed on $input ($prop) for $el with $pot:" >&2; grep -m3 ERROR "$tmp/$prop.log" >&2; exit 1
  fi
done
json=$(cat "$tmp"/*.log | python3 -c '
import json, sys
r = {"element": sys.argv[1], "lattice": sys.argv[2], "potential": sys.argv[3]}
for line in sys.stdin:
    p = line.split()
    if len(p) == 3 and p[0] == "RESULT":
        r[p[1]] = float(p[2])
print(json.dumps(r))' "$el" "$lat" "$(basename "$pot")")
echo "$json"
if [ -n "$out" ]; then echo "$json" > "$out.tmp" && mv "$out.tmp" "$out"; fi
