"""Synthetic fitting data for the fitter's scaling benchmark (docs/results.md, "Fitter"):
N frames of 16-atom bcc Mo cells (2x2x2 conventional cells, a = 3.16 A +- 2 % strain per
axis, atoms rattled by up to 0.15 A, seeded), labelled with energies, forces and stresses by
the s-MEAM peer imported into snnp (potentials/Mo.smeam.snnp) through the snnp kernel, so no
DFT is needed to time the fitter on 10^3-10^6 atoms.

    python3 examples/benchmark/scaling_data.py FRAMES OUT.xyz
"""
import random
import sys
from pathlib import Path

import numpy as np
from ase import Atoms

from snnp.ase import SNNP

frames, out = int(sys.argv[1]), sys.argv[2]
repo = Path(__file__).resolve().parents[2]
calc = SNNP(repo / "potentials" / "Mo.smeam.snnp")
rng = random.Random(28)
a = 3.16
basis = [(0, 0, 0), (0.5, 0.5, 0.5)]
sites = [(i + x, j + y, k + z) for i in range(2) for j in range(2) for k in range(2) for (x, y, z) in basis]
with open(out + ".tmp", "w") as f:
    for n in range(frames):
        strain = [1 + rng.uniform(-0.02, 0.02) for _ in range(3)]
        cell = np.diag([2 * a * s for s in strain])
        pos = [[a * strain[d] * site[d] + rng.uniform(-0.15, 0.15) for d in range(3)] for site in sites]
        atoms = Atoms("Mo16", positions=pos, cell=cell, pbc=True)
        atoms.calc = calc
        e = atoms.get_potential_energy()
        forces = atoms.get_forces()
        s = atoms.get_stress(voigt=False).ravel()
        lattice = " ".join(f"{v:.10f}" for v in cell.ravel())
        f.write(f"16\nLattice=\"{lattice}\" Properties=species:S:1:pos:R:3:forces:R:3 energy={e:.10f} "
                f"stress=\"{' '.join(f'{v:.12g}' for v in s)}\" pbc=\"T T T\" config_type=synthetic\n")
        for p, fo in zip(atoms.positions, forces):
            f.write(f"Mo {p[0]:.10f} {p[1]:.10f} {p[2]:.10f} {fo[0]:.10f} {fo[1]:.10f} {fo[2]:.10f}\n")
Path(out + ".tmp").rename(out)
print(f"{out}: {frames} frames, {16 * frames} atoms")
