#!/bin/bash
# Properties of every shipped single-element potential and of the s-MEAM peer
# (under LAMMPS's pair_style meam/spline),
# then the table (docs/properties/table.md) and figure (docs/figures/properties.svg),
# each file's vacancy formation energy error measured on the DFT snapshots
# (vacancy_error.py; docs/properties/vacancy-error.txt) and its elastic constants
# measured on the DFT data's Elastic frames as the DFT reference is
# (elastic_same_frames.py; docs/properties/elastic-same-frames.txt).
#
#   bash examples/properties/all.sh          (about 3 minutes; needs lmp_snnp and .build/release/snnp)
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
# vacancy formation energy errors measured on the DFT snapshots (needs .build/release/snnp)
for el in Mo Si Ge Li; do
  for model in int-all linear; do
    # exit status 3: the data allow no measurement (Si); anything else stops the script
    python3 examples/properties/vacancy_error.py "potentials/$el.$model.snnp" "../shared/data/mlearn/$el/train.xyz" \
      || [ $? = 3 ]
  done
done > "$out/vacancy-error.txt.tmp"
mv "$out/vacancy-error.txt.tmp" "$out/vacancy-error.txt"
cat "$out/vacancy-error.txt"
# elastic constants from the model's stresses on the DFT Elastic frames, fitted as the DFT reference
for el in Mo Si Ge Li; do
  for model in int-all linear; do
    python3 examples/properties/elastic_same_frames.py "potentials/$el.$model.snnp" "../shared/data/mlearn/$el/train.xyz"
  done
done > "$out/elastic-same-frames.txt.tmp"
mv "$out/elastic-same-frames.txt.tmp" "$out/elastic-same-frames.txt"
cat "$out/elastic-same-frames.txt"
