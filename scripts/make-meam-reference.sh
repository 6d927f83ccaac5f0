#!/bin/bash
# Regenerates the LAMMPS pair_style meam/spline reference that the tests compare
# the imported Si_1.meam.spline with (Tests/SNNPFormatTests/Fixtures/lammps/).
#
#   bash scripts/make-meam-reference.sh        (needs Debian's lmp and lammps-data)
#
# 216 atoms of diamond silicon, randomly displaced (±0.15 Å) in a sheared,
# strained triclinic cell; energy, forces and virial printed with 17 digits and
# written as extended XYZ (virial in eV as xx yy zz xy xz yz).
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
out=$here/Tests/SNNPFormatTests/Fixtures/lammps
pot=${SI_POTENTIAL:-/usr/share/lammps/potentials/Si_1.meam.spline}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cat > "$work/in.ref" <<LMP
units metal
atom_style atomic
boundary p p p
lattice diamond 5.431
region box prism 0 3 0 3 0 3 0.0 0.0 0.0
create_box 1 box
create_atoms 1 box
mass 1 28.0855
change_box all x scale 1.02 y scale 0.99 xy final 0.35 xz final -0.2 yz final 0.15 remap units box
displace_atoms all random 0.15 0.15 0.15 4711 units box
pair_style meam/spline
pair_coeff * * $pot Si
compute vir all pressure NULL virial
thermo_style custom step pe c_vir[1] c_vir[2] c_vir[3] c_vir[4] c_vir[5] c_vir[6] vol
thermo_modify format float %.17g
dump d all custom 1 $work/ref.dump id type x y z fx fy fz
dump_modify d format float %.17g sort id
run 0
print "BOX \$(lx:%.17g) \$(ly:%.17g) \$(lz:%.17g) \$(xy:%.17g) \$(xz:%.17g) \$(yz:%.17g)"
print "ENERGY \$(pe:%.17g)"
print "PRESSURE \$(c_vir[1]:%.17g) \$(c_vir[2]:%.17g) \$(c_vir[3]:%.17g) \$(c_vir[4]:%.17g) \$(c_vir[5]:%.17g) \$(c_vir[6]:%.17g) \$(vol:%.17g)"
LMP
(cd "$work" && lmp -in in.ref -log log.lammps -screen none)
python3 - "$work" "$out/Si_1-meam-spline.xyz" <<'PY'
import sys
work, dest = sys.argv[1], sys.argv[2]
log = open(f"{work}/log.lammps").read().splitlines()
val = {l.split()[0]: l.split()[1:] for l in log if l.split() and l.split()[0] in ("BOX", "ENERGY", "PRESSURE")}
lx, ly, lz, xy, xz, yz = val["BOX"]
energy = val["ENERGY"][0]
p = [float(v) for v in val["PRESSURE"][:6]]
vol = float(val["PRESSURE"][6])
nktv2p = 1.6021765e6  # LAMMPS metal units: bar * Å^3 per eV
virial = [pi * vol / nktv2p for pi in p]  # xx yy zz xy xz yz (eV)
lines = open(f"{work}/ref.dump").read().splitlines()
n = int(lines[lines.index("ITEM: NUMBER OF ATOMS") + 1])
start = next(i for i, l in enumerate(lines) if l.startswith("ITEM: ATOMS")) + 1
atoms = [l.split() for l in lines[start:start + n]]
with open(dest + ".tmp", "w") as f:
    f.write(f"{n}\n")
    f.write(f'Lattice="{lx} 0 0 {xy} {ly} 0 {xz} {yz} {lz}" Properties=species:S:1:pos:R:3:forces:R:3 '
            f'energy={energy} virial="{" ".join(repr(v) for v in virial)}" pbc="T T T" '
            f'config_type=lammps-meam-spline source="LAMMPS 29Sep2021 pair_style meam/spline Si_1.meam.spline, scripts/make-meam-reference.sh"\n')
    for a in atoms:
        f.write(f"Si {a[2]} {a[3]} {a[4]} {a[5]} {a[6]} {a[7]}\n")
import os
os.replace(dest + ".tmp", dest)
print(f"wrote {dest}: {n} atoms, energy {energy} eV")
PY
