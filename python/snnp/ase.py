"""ASE calculator for snnp potentials, through the same Swift kernel as LAMMPS.

    from snnp.ase import SNNP
    atoms.calc = SNNP("potentials/Mo.int-all.snnp")
    atoms.get_potential_energy(); atoms.get_forces(); atoms.get_stress()
    atoms.get_potential_energies()               # per atom
    atoms.calc.get_property("energies", atoms)
    atoms.calc.get_property("grades", atoms)     # extrapolation grade per atom
    atoms.calc.get_property("sigmas", atoms)     # committee spread per atom (eV)

The periodic images within the cutoff become ghost atoms (snnp.images), the kernel
(snnp.kernel, libsnnpkernel.so: the C ABI pair_style snnp calls) evaluates the local
atoms, and the ghosts' forces are folded back onto their owners, so energies, forces and
stresses are those of `snnp eval` and LAMMPS to round-off (examples/ase/check_ase.py).

Units: eV, Å; forces eV/Å; stress eV/Å³ in ASE's sign and Voigt order (xx, yy, zz,
yz, xz, xy; positive = tensile), for cells periodic in all three directions.
Needs ASE 3.23 or newer (`pip install -e 'python[ase]'`).
"""

import numpy as np
from ase.calculators.calculator import (CalculationFailed, Calculator, CalculatorSetupError,
                                       PropertyNotImplementedError, all_changes)

from .images import periodic_images
from .kernel import KernelError, Model


class SNNP(Calculator):
    """ASE calculator evaluating an snnp potential file (.snnp) with the snnp kernel.

    Args:
        potential: path of the .snnp file.
        library: path of libsnnpkernel.so (default: snnp.kernel.default_library_path()).
        **kwargs: passed to ase.calculators.calculator.Calculator (label, atoms, ...).

    Properties: energy, free_energy (the same: no electronic entropy), energies (per
    atom, eV), forces, stress (periodic cells only), and the uncertainty
    (docs/uncertainty.md), computed only when asked for:
      sigmas         per atom, the committee's spread of the atom's energy (eV; 0 for one head)
      energy_spread  the committee's spread of the total energy (eV; 0 for one head)
      grades         per atom, the extrapolation grade (<= 1 inside the training data)
      close_flags    per atom, 1 when a neighbour is closer than the data's closest approach
    grades and close_flags need a potential with a training domain; asking for them from
    one without raises PropertyNotImplementedError naming `snnp calibrate`.
    """

    implemented_properties = ["energy", "free_energy", "energies", "forces", "stress", "sigmas",
                              "energy_spread", "grades", "close_flags"]
    name = "snnp"

    def __init__(self, potential, library=None, **kwargs):
        Calculator.__init__(self, **kwargs)
        try:
            self.model = Model(potential, library)
        except (KernelError, OSError) as error:
            raise CalculatorSetupError(str(error)) from error
        self.potential = self.model.potential
        self.cutoff = self.model.cutoff
        self.elements = self.model.elements

    def calculate(self, atoms=None, properties=("energy",), system_changes=all_changes):
        Calculator.calculate(self, atoms, properties, system_changes)
        atoms = self.atoms
        try:
            local_species = self.model.species_indices(atoms.get_chemical_symbols())
        except KernelError as error:
            raise CalculatorSetupError(str(error)) from error
        pbc = np.array(atoms.pbc, dtype=bool)
        positions = atoms.get_positions(wrap=bool(pbc.any()))
        nlocal = len(atoms)
        want_grades = any(p in properties for p in ("grades", "close_flags"))
        want_sigma = any(p in properties for p in ("sigmas", "energy_spread"))
        if want_grades and not self.model.has_domain:
            raise PropertyNotImplementedError(
                f"snnp: {self.potential} has no training domain, so no extrapolation grade; refit it, "
                f"or add one with: snnp calibrate {self.potential} TRAINING.xyz")
        try:
            ghosts, owners = periodic_images(positions, atoms.cell.array, pbc, self.cutoff)
            out = self.model.compute(np.vstack([positions, ghosts]),
                                     np.concatenate([local_species, local_species[owners]]), nlocal,
                                     uncertainty=want_sigma, grades=want_grades)
        except (ValueError, KernelError) as error:
            # a singular cell, coincident atoms, a non-finite result: a clear error, never inf or a hang
            raise CalculationFailed(str(error)) from error
        if want_sigma:
            heads = out.head_energies
            self.results["sigmas"] = out.sigma
            self.results["energy_spread"] = float(np.std(heads)) if len(heads) > 1 else 0.0
        if want_grades:
            self.results["grades"] = out.grade
            self.results["close_flags"] = out.close_flag

        forces = out.forces[:nlocal].copy()
        np.add.at(forces, owners, out.forces[nlocal:])  # a ghost's force acts on its owner
        self.results["energy"] = out.energy
        self.results["free_energy"] = out.energy
        self.results["energies"] = out.eatom
        self.results["forces"] = forces
        if pbc.all():
            # virial = sum over local and ghost atoms of r (x) f (xx yy zz xy xz yz);
            # stress = -virial / V, in ASE's Voigt order xx yy zz yz xz xy.
            xx, yy, zz, xy, xz, yz = out.virial
            self.results["stress"] = -np.array([xx, yy, zz, yz, xz, xy]) / atoms.get_volume()
