"""ASE calculator for snnp potentials, through the same Swift kernel as LAMMPS.

    from snnp_ase import SNNP
    atoms.calc = SNNP("potentials/Mo.int-all.snnp")
    atoms.get_potential_energy(); atoms.get_forces(); atoms.get_stress()

The calculator loads libsnnpkernel.so (the C ABI in
Sources/CSNNPKernel/include/snnp_kernel.h, which pair_style snnp also calls) with
ctypes, adds the periodic images within the cutoff as ghost atoms, and folds the
ghosts' forces back onto their owners, so energies, forces and stresses are those of
`snnp eval` and LAMMPS to round-off (checked by examples/ase/check_ase.py).

Units: eV, Å; forces eV/Å; stress eV/Å³ in ASE's sign and Voigt order
(xx, yy, zz, yz, xz, xy; positive = tensile).

The library is found from, in order: the `library` argument, $SNNP_KERNEL_LIB, and
.build/release/libsnnpkernel.so of this repository (`swift build -c release`).
Needs numpy and ASE (`pip install ase`).
"""

import ctypes
import math
import os
from pathlib import Path

import numpy as np
from ase.calculators.calculator import Calculator, CalculatorSetupError, all_changes

_ABI_VERSION = 2  # SNNP_ABI_VERSION of snnp_kernel.h


class _ComputeArgs(ctypes.Structure):
    """snnp_compute_args of snnp_kernel.h (ABI 2), field for field."""

    _fields_ = [
        ("struct_size", ctypes.c_size_t),
        ("nlocal", ctypes.c_int),
        ("nall", ctypes.c_int),
        ("x", ctypes.POINTER(ctypes.c_double)),
        ("species", ctypes.POINTER(ctypes.c_int)),
        ("rebuild_neighbors", ctypes.c_int),
        ("neighbor_cutoff", ctypes.c_double),
        ("f", ctypes.POINTER(ctypes.c_double)),
        ("energy", ctypes.POINTER(ctypes.c_double)),
        ("eatom", ctypes.POINTER(ctypes.c_double)),
        ("virial", ctypes.POINTER(ctypes.c_double)),
        ("vatom", ctypes.POINTER(ctypes.c_double)),
        ("filters", ctypes.POINTER(ctypes.c_double)),
        ("energy_parts", ctypes.POINTER(ctypes.c_double)),
    ]


def _default_library():
    env = os.environ.get("SNNP_KERNEL_LIB")
    if env:
        return env
    return str(Path(__file__).resolve().parents[2] / ".build" / "release" / "libsnnpkernel.so")


def _load_library(path):
    if not os.path.exists(path):
        raise CalculatorSetupError(
            f"snnp: kernel library {path} not found; build it with `swift build -c release` "
            "or set SNNP_KERNEL_LIB")
    lib = ctypes.CDLL(path)
    lib.snnp_abi_version.restype = ctypes.c_int
    lib.snnp_model_load.argtypes = [ctypes.c_char_p, ctypes.POINTER(ctypes.c_void_p),
                                    ctypes.c_char_p, ctypes.c_size_t]
    lib.snnp_model_load.restype = ctypes.c_int
    lib.snnp_model_free.argtypes = [ctypes.c_void_p]
    lib.snnp_model_cutoff.argtypes = [ctypes.c_void_p]
    lib.snnp_model_cutoff.restype = ctypes.c_double
    lib.snnp_model_element_count.argtypes = [ctypes.c_void_p]
    lib.snnp_model_element_name.argtypes = [ctypes.c_void_p, ctypes.c_int, ctypes.c_char_p,
                                            ctypes.c_size_t]
    lib.snnp_model_filter_count.argtypes = [ctypes.c_void_p]
    lib.snnp_compute.argtypes = [ctypes.c_void_p, ctypes.POINTER(_ComputeArgs),
                                 ctypes.c_char_p, ctypes.c_size_t]
    lib.snnp_compute.restype = ctypes.c_int
    if lib.snnp_abi_version() != _ABI_VERSION:
        raise CalculatorSetupError(
            f"snnp: {path} has kernel ABI {lib.snnp_abi_version()}, this module expects "
            f"{_ABI_VERSION}; rebuild with `swift build -c release`")
    return lib


def _periodic_images(positions, cell, pbc, cutoff):
    """Ghost atoms: every periodic image within `cutoff` of the cell.

    Returns (ghost positions (m, 3), owner index of each ghost (m,)). Atoms are wrapped
    into the cell along periodic directions first; an image is kept when its fractional
    coordinates lie within cutoff / (plane spacing) of [0, 1) in every periodic direction,
    which keeps every neighbour of every atom (distance >= plane-normal distance).
    """
    cell = np.asarray(cell, dtype=float)
    n = len(positions)
    if not any(pbc):
        return np.zeros((0, 3)), np.zeros(0, dtype=int)
    volume = abs(np.linalg.det(cell))
    if volume < 1e-12:
        raise CalculatorSetupError("snnp: periodic cell has zero volume")
    recip = np.linalg.inv(cell).T  # rows: reciprocal vectors b_d with a_i . b_d = delta_id
    spacing = 1.0 / np.linalg.norm(recip, axis=1)  # distance between lattice planes (Å)
    reach = np.where(pbc, cutoff / spacing, 0.0)  # margin in fractional units
    counts = [int(math.ceil(reach[d])) if pbc[d] else 0 for d in range(3)]
    frac = positions @ np.linalg.inv(cell)
    ghosts, owners = [], []
    for i in range(-counts[0], counts[0] + 1):
        for j in range(-counts[1], counts[1] + 1):
            for k in range(-counts[2], counts[2] + 1):
                if i == j == k == 0:
                    continue
                shifted = frac + np.array([i, j, k], dtype=float)
                keep = np.ones(n, dtype=bool)
                for d in range(3):
                    if pbc[d]:
                        keep &= (shifted[:, d] > -reach[d]) & (shifted[:, d] < 1.0 + reach[d])
                if keep.any():
                    ghosts.append(shifted[keep] @ cell)
                    owners.append(np.nonzero(keep)[0])
    if not ghosts:
        return np.zeros((0, 3)), np.zeros(0, dtype=int)
    return np.concatenate(ghosts), np.concatenate(owners)


class SNNP(Calculator):
    """ASE calculator evaluating an snnp potential file (.snnp) with the snnp kernel.

    Properties: energy, free_energy (the same), energies (per atom), forces, stress
    (periodic cells in all three directions only).
    """

    implemented_properties = ["energy", "free_energy", "energies", "forces", "stress"]

    def __init__(self, potential, library=None, **kwargs):
        Calculator.__init__(self, **kwargs)
        self.potential = str(potential)
        self._lib = _load_library(library or _default_library())
        handle = ctypes.c_void_p()
        err = ctypes.create_string_buffer(4096)
        status = self._lib.snnp_model_load(self.potential.encode(), ctypes.byref(handle), err,
                                           len(err))
        if status != 0:
            raise CalculatorSetupError(err.value.decode(errors="replace"))
        self._handle = handle
        self.cutoff = self._lib.snnp_model_cutoff(handle)
        name = ctypes.create_string_buffer(16)
        self.elements = []
        for index in range(self._lib.snnp_model_element_count(handle)):
            self._lib.snnp_model_element_name(handle, index, name, len(name))
            self.elements.append(name.value.decode())

    def __del__(self):
        handle = getattr(self, "_handle", None)
        if handle is not None and handle.value:
            self._lib.snnp_model_free(handle)
            self._handle = None

    def calculate(self, atoms=None, properties=("energy",), system_changes=all_changes):
        Calculator.calculate(self, atoms, properties, system_changes)
        atoms = self.atoms
        symbols = atoms.get_chemical_symbols()
        unknown = sorted(set(symbols) - set(self.elements))
        if unknown:
            raise CalculatorSetupError(
                f"snnp: {self.potential} has elements {', '.join(self.elements)}; "
                f"the structure also has {', '.join(unknown)}")
        pbc = np.array(atoms.pbc, dtype=bool)
        positions = atoms.get_positions(wrap=bool(pbc.any()))
        nlocal = len(atoms)
        ghosts, owners = _periodic_images(positions, atoms.cell.array, pbc, self.cutoff)
        x = np.ascontiguousarray(np.vstack([positions, ghosts]), dtype=np.float64)
        nall = len(x)
        local_species = np.array([self.elements.index(s) for s in symbols], dtype=np.intc)
        species = np.ascontiguousarray(np.concatenate([local_species, local_species[owners]]),
                                       dtype=np.intc)
        f = np.zeros((nall, 3))
        energy = np.zeros(1)
        eatom = np.zeros(nlocal)
        virial = np.zeros(6)

        def ptr(a, ctype=ctypes.c_double):
            return a.ctypes.data_as(ctypes.POINTER(ctype))

        args = _ComputeArgs(
            struct_size=ctypes.sizeof(_ComputeArgs), nlocal=nlocal, nall=nall, x=ptr(x),
            species=ptr(species, ctypes.c_int), rebuild_neighbors=1,
            neighbor_cutoff=self.cutoff, f=ptr(f), energy=ptr(energy), eatom=ptr(eatom),
            virial=ptr(virial))
        err = ctypes.create_string_buffer(4096)
        status = self._lib.snnp_compute(self._handle, ctypes.byref(args), err, len(err))
        if status != 0:
            raise RuntimeError(f"snnp: {err.value.decode(errors='replace')}")
        forces = f[:nlocal].copy()
        np.add.at(forces, owners, f[nlocal:])  # a ghost's force acts on its owner
        self.results["energy"] = float(energy[0])
        self.results["free_energy"] = float(energy[0])
        self.results["energies"] = eatom
        self.results["forces"] = forces
        if pbc.all():
            # virial = sum over local and ghost atoms of r (x) f (xx yy zz xy xz yz);
            # stress = -virial / V, in ASE's Voigt order xx yy zz yz xz xy.
            xx, yy, zz, xy, xz, yz = virial
            self.results["stress"] = -np.array([xx, yy, zz, yz, xz, xy]) / atoms.get_volume()
