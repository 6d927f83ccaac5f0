#!/bin/bash
# Refit a shipped potential from scratch with its recipe and export it:
#   bash scripts/refit.sh Mo-int-all        -> runs/Mo-int-all/, potentials/Mo.int-all.snnp
# THREADS=N limits the worker threads (results are deterministic per seed and thread count).
# Recipes: examples/fit/<name>.json (<Element(s)>-<variant>). Data: ../shared/data beside the clone.
set -euo pipefail
cd "$(dirname "$0")/.."
name=${1:?usage: bash scripts/refit.sh <recipe name, e.g. Mo-int-all>}
config=examples/fit/$name.json
[ -f "$config" ] || { echo "no recipe $config (have: $(ls examples/fit/*.json | xargs -n1 basename | sed 's/.json//' | tr '\n' ' '))" >&2; exit 1; }
swift build -c release --product snnp
swift build -c release --product snnp-export
out=runs/$name
.build/release/snnp fit --config "$config" --output "$out" ${THREADS:+--threads $THREADS}
elements=${name%%-*}
variant=${name#*-}
.build/release/snnp-export "$out/best.ckpt" -o "potentials/$elements.$variant.snnp"
