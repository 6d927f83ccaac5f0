"""Lattice constant and vacancy formation energy with ASE and the snnp calculator.

    python3 examples/ase/vacancy.py POTENTIAL ELEMENT LATTICE A_GUESS [N]
    python3 examples/ase/vacancy.py potentials/Mo.int-all.snnp Mo bcc 3.17

The same recipe as examples/properties/in.vacancy under LAMMPS: relax the cubic
cell at zero pressure, build N x N x N cubic cells (default 5), remove one atom,
relax the positions at fixed cell, Ev = E(vacancy) - (n - 1)/n E(perfect).
Prints a0 (Å) and Ev (eV); for the shipped potentials they agree with
docs/properties/<El>.int-all.json (pair_style snnp) to the minimisers' tolerance.
"""

import sys

from ase.build import bulk
from ase.filters import FrechetCellFilter
from ase.optimize import BFGS

from snnp.ase import SNNP


def main():
    if len(sys.argv) not in (5, 6):
        sys.exit(__doc__)
    potential, element, lattice, a_guess = sys.argv[1:5]
    n = int(sys.argv[5]) if len(sys.argv) == 6 else 5
    calc = SNNP(potential)

    unit = bulk(element, lattice, a=float(a_guess), cubic=True)
    unit.calc = calc
    BFGS(FrechetCellFilter(unit, hydrostatic_strain=True), logfile=None).run(fmax=1e-6, steps=500)
    a0 = unit.cell.cellpar()[0]

    perfect = unit.repeat(n)
    perfect.calc = calc
    e_perfect = perfect.get_potential_energy()
    sites = len(perfect)

    vacancy = perfect.copy()
    del vacancy[0]
    vacancy.calc = calc
    BFGS(vacancy, logfile=None).run(fmax=1e-5, steps=2000)
    ev = vacancy.get_potential_energy() - (sites - 1) / sites * e_perfect
    print(f"{potential}: a0 {a0:.5f} A, Ev {ev:.4f} eV ({sites} sites)")


if __name__ == "__main__":
    main()
