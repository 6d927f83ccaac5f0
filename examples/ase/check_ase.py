"""Checks the ASE calculator (snnp.ase.SNNP) against `snnp eval` and finite differences.

    python3 examples/ase/check_ase.py POTENTIAL DATA.xyz [SNNP]

Prints one line "PASS ase POTENTIAL name: ..." or "FAIL ..." per check:
  eval       energies, forces and stresses of every frame of DATA equal those of
             `snnp eval --json` (the Swift evaluator) to round-off (relative 1e-10);
  numerical  forces and stress of a rattled, sheared copy of the frame with the most
             elements (repeated to >= 16 atoms) equal central differences of the
             energy (ase.calculators.fd; 1e-6);
  cluster    a non-periodic cluster (that frame's atoms within 6 Å of atom 0):
             forces equal central differences, the energy is the sum of per-atom energies;
  slab       that frame periodic in x and y only, a 4 Å gap along z (within the
             cutoff), written to an extended-XYZ file: equals `snnp eval` of the file
             (relative 1e-10).
SNNP defaults to .build/release/snnp. Exit status 1 if any check fails.
"""

import os
import sys
import tempfile
from pathlib import Path

import numpy as np
from ase import Atoms
from ase.calculators.fd import calculate_numerical_forces, calculate_numerical_stress
from ase.io import read, write

from snnp.ase import SNNP
from snnp.evaluate import snnp_eval  # runs `snnp eval --json`, checks the frame count

failed = 0
label = ""  # the potential's file name, in every result line


def report(ok, name, text):
    global failed
    print(f"{'PASS' if ok else 'FAIL'} ase {label} {name}: {text}")
    failed += 0 if ok else 1


def main():
    if len(sys.argv) not in (3, 4):
        sys.exit(__doc__)
    global label
    potential, data = sys.argv[1], sys.argv[2]
    label = Path(potential).name
    repo = Path(__file__).resolve().parents[2]
    snnp = sys.argv[3] if len(sys.argv) == 4 else str(repo / ".build/release/snnp")
    frames = read(data, index=":")
    reference = snnp_eval(potential, data, len(frames), snnp)
    calc = SNNP(potential)

    # eval: the same numbers as the Swift evaluator
    worst = {"energy": 0.0, "forces": 0.0, "stress": 0.0}
    periodic = sum(1 for atoms in frames if atoms.pbc.all())
    stresses = 0  # frames whose stress was compared: must be every periodic one
    for atoms, ref in zip(frames, reference):
        atoms.calc = calc
        e = atoms.get_potential_energy()
        worst["energy"] = max(worst["energy"], abs(e - ref["energy"]) / max(1.0, abs(ref["energy"])))
        f_ref = np.array(ref["forces"])
        scale = max(1.0, np.abs(f_ref).max())
        worst["forces"] = max(worst["forces"], np.abs(atoms.get_forces() - f_ref).max() / scale)
        if "stress" in ref and atoms.pbc.all():
            s_ref = np.array(ref["stress"], dtype=float).reshape(-1)
            if s_ref.size == 9:
                m = s_ref.reshape(3, 3)
                s_ref = np.array([m[0, 0], m[1, 1], m[2, 2], m[1, 2], m[0, 2], m[0, 1]])
            s = atoms.get_stress()
            stresses += 1
            worst["stress"] = max(worst["stress"],
                                  np.abs(s - s_ref).max() / max(1e-3, np.abs(s_ref).max()))
    report(all(v < 1e-10 for v in worst.values()) and stresses == periodic, "eval",
           f"{len(frames)} frames of {data}: largest relative difference from snnp eval: "
           f"energy {worst['energy']:.1e}, forces {worst['forces']:.1e}, "
           f"stress {worst['stress']:.1e} ({stresses} of {periodic} periodic frames compared)")

    # The remaining checks start from the frame with the most elements (then atoms),
    # repeated until it has at least 16 atoms.
    base = max(frames, key=lambda a: (len(set(a.numbers)), len(a))).copy()
    while len(base) < 16:
        base = base.repeat(2)

    # numerical: forces and stress against finite differences, triclinic cell
    atoms = base.copy()
    rng = np.random.default_rng(7)
    atoms.set_cell(atoms.cell.array @ np.array([[1.0, 0.03, 0.0], [0.0, 1.0, -0.02], [0.01, 0.0, 1.0]]),
                   scale_atoms=True)
    atoms.rattle(0.05, rng=rng)
    atoms.calc = calc
    f = atoms.get_forces()
    f_num = calculate_numerical_forces(atoms, eps=1e-5)
    s = atoms.get_stress()
    s_num = calculate_numerical_stress(atoms, eps=1e-6)
    ef = np.abs(f - f_num).max() / np.abs(f).max()
    es = np.abs(s - s_num).max() / np.abs(s).max()
    report(ef < 1e-6 and es < 1e-6, "numerical",
           f"{len(atoms)} atoms, triclinic: forces {ef:.1e}, stress {es:.1e} relative to central differences")

    # cluster: no periodicity at all
    big = base.repeat([max(1, int(np.ceil(12.0 / h))) for h in base.cell.cellpar()[:3]])
    d = big.get_distances(0, range(len(big)), mic=True, vector=True)
    keep = np.linalg.norm(d, axis=1) < 6.0
    cluster = Atoms(np.array(big.get_chemical_symbols())[keep], positions=d[keep] + 10.0,
                    pbc=False)
    cluster.calc = calc
    fc = cluster.get_forces()
    fc_num = calculate_numerical_forces(cluster, eps=1e-5)
    ec = np.abs(fc - fc_num).max() / np.abs(fc).max()
    esum = abs(cluster.get_potential_energy() - cluster.get_potential_energies().sum())
    report(ec < 1e-6 and esum < 1e-9, "cluster",
           f"{len(cluster)} atoms, no pbc: forces {ec:.1e} relative to central differences, "
           f"energy - sum of atomic energies {esum:.1e} eV")
    # slab: periodic in x and y only, through an extended-XYZ file that snnp eval reads too
    slab = base.copy()
    slab.center(vacuum=2.0, axis=2)  # 4 Å gap: an image along z would interact
    slab.pbc = [True, True, False]
    slab.rattle(0.03, rng=rng)
    with tempfile.TemporaryDirectory() as tmp:
        path = os.path.join(tmp, "slab.xyz")
        write(path, slab, format="extxyz")
        slab = read(path)
        ref = snnp_eval(potential, path, 1, snnp)[0]
    slab.calc = calc
    de = abs(slab.get_potential_energy() - ref["energy"]) / abs(ref["energy"])
    f_ref = np.array(ref["forces"])
    df = np.abs(slab.get_forces() - f_ref).max() / np.abs(f_ref).max()
    report(de < 1e-10 and df < 1e-10 and list(slab.pbc) == [True, True, False], "slab",
           f"{len(slab)} atoms, pbc T T F: relative difference from snnp eval: energy {de:.1e}, forces {df:.1e}")
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()
