#!/usr/bin/env python3
"""Pressure offset between a data set's stresses and a potential fitted to its energies.

    python3 examples/studies/pressure_offset.py POTENTIAL.snnp DATA.xyz

Per config_type: the mean and spread of p_ref − p_model (GPa, p = trace/3 of the ASE
stress, positive = tensile) and the MAE of the traceless diagonal and of the
off-diagonal components. For a potential fitted without stresses, a constant offset
with small traceless errors is the signature of a Pulay stress in the data: the
energies and the shear stresses agree, the pressures are shifted
(docs/studies/accurate-tier.md, "Cu and Ni").
"""
import sys

import numpy as np
from ase.io import read
from ase.units import GPa

from snnp.ase import SNNP


def main(potential, data):
    calc = SNNP(potential)
    groups = {}
    for atoms in read(data, ":"):
        if atoms.calc is None or "stress" not in atoms.calc.results:
            continue
        ref = atoms.get_stress(voigt=True) / GPa
        model = atoms.copy()
        model.calc = calc
        pred = model.get_stress(voigt=True) / GPa
        offset = ref[:3].mean() - pred[:3].mean()
        groups.setdefault(atoms.info.get("config_type", "-"), []).append(
            (offset, np.abs(ref[:3] - pred[:3] - offset).mean(), np.abs(ref[3:] - pred[3:]).mean()))
    print(f"{'group':10s} {'frames':>6s} {'offset GPa':>10s} {'std':>6s} {'traceless MAE':>13s} {'shear MAE':>9s}")
    every = []
    for name, rows in groups.items():
        v = np.array(rows)
        every += list(v[:, 0])
        print(f"{name:10s} {len(v):6d} {v[:, 0].mean():10.3f} {v[:, 0].std():6.3f} {v[:, 1].mean():13.3f} {v[:, 2].mean():9.3f}")
    print(f"{'all':10s} {len(every):6d} {np.mean(every):10.3f} {np.std(every):6.3f}")


if __name__ == "__main__":
    main(*sys.argv[1:3])
