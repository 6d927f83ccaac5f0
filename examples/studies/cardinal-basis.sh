#!/bin/bash
# Issue 24: linear spline-basis models (filter_start cardinal, optimizer least_squares) of
# several sizes, from one recipe (default examples/fit/Cu-cardinal.json: 8 radial x 7 angular
# splines). Each VARIANT is A,C[:RC3]: A radial knots (A radial splines and two-body filters),
# C angular splines (C - 2 angular knots), and optionally a three-body cutoff RC3 in Å.
# Prints the validation energy / force MAE and the fit time of each.
#
#   THREADS=1 bash examples/studies/cardinal-basis.sh
#   VARIANTS="8,7 6,8 5,8 4,8 8,7:3.2" EL=Ni THREADS=2 bash examples/studies/cardinal-basis.sh
set -euo pipefail
REPO=$(cd "$(dirname "$0")/../.." && pwd)
cd "$REPO"
EL=${EL:-Cu}
OUT=${OUT:-runs/cardinal-$EL}
SNNP=${SNNP:-.build/release/snnp}
mkdir -p "$OUT"
printf '%-12s %12s %10s %8s\n' variant E_meV_atom F_eV_A fit_s
for v in ${VARIANTS:-8,7 6,8 5,8 4,8}; do
  a=${v%%,*}; rest=${v#*,}; c=${rest%%:*}; rc3=""
  [ "$rest" != "$c" ] && rc3=${rest#*:}
  name=${a}x${c}${rc3:+-rc3-$rc3}
  python3 - "examples/fit/$EL-cardinal.json" "$OUT/$name" "$a" "$c" "$rc3" > "$OUT/$name.json" <<'PY'
import json, sys
recipe, out, a, c, rc3 = sys.argv[1:]
cfg = dict(json.load(open(recipe)), output=out, radial_knots=int(a), two_body=int(a),
           angular_knots=int(c) - 2, three_body_basis=[int(a), int(c)])
if rc3:
    cfg["three_body_cutoff"] = float(rc3)
print(json.dumps(cfg, indent=1))
PY
  "$SNNP" fit --config "$OUT/$name.json" --threads "${THREADS:-1}" > "$OUT/$name.log" 2>&1
  python3 - "$OUT/$name.log" "$name" <<'PY'
import re, sys
m = re.search(r"done in (\d+) s; .*energy MAE ([0-9.]+) .*force MAE ([0-9.]+)", open(sys.argv[1]).read())
print("%-12s %12s %10s %8s" % (sys.argv[2], m.group(2), m.group(3), m.group(1)))
PY
done
