#!/bin/bash
# One command from a fresh Debian machine: install dependencies (Debian packages
# and the snnp Python package), build snnp and pair_style snnp, then the quick
# start on shipped data (about 3 minutes on 2 cores after the build):
#   1. fit a small Mo model (examples/fit/Mo-quickstart.json: the shipped recipe's
#      settings, 100 epochs + 50 L-BFGS iterations on 97 mlearn Mo frames);
#   2. export it to runs/quickstart/Mo.quickstart.snnp;
#   3. evaluate it, and the shipped Mo potential, on the validation frames it never saw;
#   4. run it in LAMMPS (pair_style snnp: lattice constant, elastic constants,
#      vacancy energies of bcc Mo) and in ASE (python: snnp.ase).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/install-deps.sh
swift build -c release
SNNP_SKIP_MODERN=1 bash lammps-plugin/build.sh > runs-build.log 2>&1 || { cat runs-build.log; exit 1; }
rm -f runs-build.log
out=runs/quickstart
mkdir -p "$out"
step() { printf '\n== quick start %s\n' "$*"; }

step "1/4: fit (snnp fit --config examples/fit/Mo-quickstart.json, about 1.5 minutes)"
start=$SECONDS
.build/release/snnp fit --config examples/fit/Mo-quickstart.json | tee "$out/fit.out" |
  awk '(/^epoch/ && ++n % 25 == 0) || !/^epoch/ { print; fflush() }'  # every 25th epoch line; all in fit.out
fit_seconds=$((SECONDS - start))

step "2/4: export"
.build/release/snnp-export "$out/best.ckpt" -o "$out/Mo.quickstart.snnp"

step "3/4: errors on the validation frames ($out/validation.xyz, not trained on)"
.build/release/snnp eval "$out/Mo.quickstart.snnp" "$out/validation.xyz" | tee "$out/eval.txt"
echo "-- the shipped potentials/Mo.int-all.snnp on the same frames (it trained on them):"
.build/release/snnp eval potentials/Mo.int-all.snnp "$out/validation.xyz" | tail -n 1
read -r e_mae f_mae < <(awk '$1 == "all" {print $3, $5}' "$out/eval.txt")
cat <<TEXT
E MAE is the mean absolute error of the energy per atom against DFT (meV/atom), F MAE
that of each force component (eV/Å). This ${fit_seconds}-second fit: ${e_mae} meV/atom and ${f_mae} eV/Å.
The shipped Mo potential (same settings, 1000 epochs and 1500 L-BFGS iterations on all
194 mlearn Mo frames, about 45 minutes) reaches 3.9 meV/atom and 0.114 eV/Å on its own
validation split; GAP and MTP 2.2-2.8 meV/atom and 0.09 eV/Å (docs/results.md).
Tens of meV/atom, or forces above 0.5 eV/Å, would mean a failed fit; a few meV/atom
and 0.1-0.3 eV/Å is a working, if rough, model.
TEXT
awk -v e="$e_mae" -v f="$f_mae" 'BEGIN { ok = (e < 20 && f < 0.4)
  print ok ? "quick start: the fitted model works (E MAE < 20 meV/atom, F MAE < 0.4 eV/Å)." \
           : "quick start: WARNING: errors above 20 meV/atom or 0.4 eV/Å; the fit did not converge."
  exit !ok }'

step "4/4: the model in LAMMPS (pair_style snnp, examples/properties/run.sh) and in ASE"
bash examples/properties/run.sh "$out/Mo.quickstart.snnp" Mo "$out/properties.json" > /dev/null
python3 - "$out/properties.json" examples/properties/dft-reference.json <<'PY'
import json, sys
model, dft = json.load(open(sys.argv[1])), json.load(open(sys.argv[2]))["Mo"]
print(f"{'bcc Mo':24} {'this model':>10} {'DFT':>8}")
for key, name in (("a0", "a0 (Å)"), ("C11_clamped", "C11 (GPa)"), ("C12_clamped", "C12 (GPa)"),
                  ("C44_clamped", "C44 (GPa)"), ("B", "B (GPa)")):
    f = ".4f" if key == "a0" else ".0f"
    print(f"{name:24} {model[key]:10{f}} {dft[key]:8{f}}")
print(f"{'vacancy Ev (eV)':24} {model['Ev']:10.2f} {'~2.9':>8}  (literature)")
print(f"(all of it in {sys.argv[1]}; DFT: what the training data imply, examples/properties/dft-reference.json)")
PY
python3 - "$out/Mo.quickstart.snnp" <<'PY'
import sys
from ase.build import bulk
from snnp.ase import SNNP
atoms = bulk("Mo", "bcc", a=3.1676, cubic=True).repeat(3)
atoms.calc = SNNP(sys.argv[1])
print(f"-- ASE (from snnp.ase import SNNP): bcc Mo, {len(atoms)} atoms at a = 3.1676 Å: "
      f"{atoms.get_potential_energy() / len(atoms):.4f} eV/atom, pressure "
      f"{-atoms.get_stress()[:3].mean() * 160.21766:.2f} GPa")
PY
echo "quick start done: $out (fit.out, log.csv, Mo.quickstart.snnp, eval.txt, properties.json)"
