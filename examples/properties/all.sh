#!/bin/bash
# Properties of every shipped single-element potential and of the s-MEAM peer
# (under LAMMPS's pair_style meam/spline),
# then the table (docs/properties/table.md) and figure (docs/figures/properties.svg).
#
#   bash examples/properties/all.sh          (about 1 minute; needs lmp_snnp)
set -euo pipefail
cd "$(dirname "$0")/../.."
out=docs/properties
mkdir -p "$out"
peers=${PEERS:-../shared/peers}
for el in Mo Si Ge Li; do
  for model in int-all linear; do
    bash examples/properties/run.sh "potentials/$el.$model.snnp" $el "$out/$el.$model.json" > /dev/null
  done
  bash examples/properties/run.sh "$peers/$el.smeam.meam.spline" $el "$out/$el.smeam.json" > /dev/null
done
python3 examples/properties/table.py "$out" docs/figures/properties.svg > "$out/table.md.tmp"
mv "$out/table.md.tmp" "$out/table.md"
cat "$out/table.md"
