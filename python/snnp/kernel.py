"""ctypes binding of the snnp kernel's C ABI (Sources/CSNNPKernel/include/snnp_kernel.h).

The header is the only definition of the ABI; `ComputeArgs` mirrors its
`snnp_compute_args` field for field, and python/tests/test_abi.py parses the header
and fails if the two differ (names, order, types, ABI version).

    from snnp.kernel import Model
    model = Model("potentials/Mo.int-all.snnp")
    out = model.compute(x, species, nlocal)      # x: (nall, 3) Å, species: (nall,) indices
    out.energy, out.forces, out.eatom, out.virial

The library is found from, in order: the `library` argument, $SNNP_KERNEL_LIB,
this repository's .build/release/libsnnpkernel.so (`swift build -c release`), and
the system's library path (libsnnpkernel.so).
"""

import ctypes
import ctypes.util
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Optional

import numpy as np

ABI_VERSION = 3  # SNNP_ABI_VERSION of snnp_kernel.h

_double_p = ctypes.POINTER(ctypes.c_double)
_int_p = ctypes.POINTER(ctypes.c_int)


class KernelError(RuntimeError):
    """A non-zero status of the kernel, with its message (file, line, what was expected)."""

    def __init__(self, message, status=None):
        super().__init__(message)
        self.status = status


class ComputeArgs(ctypes.Structure):
    """snnp_compute_args of snnp_kernel.h, field for field (checked by tests/test_abi.py)."""

    _fields_ = [
        ("struct_size", ctypes.c_size_t),
        ("nlocal", ctypes.c_int),
        ("nall", ctypes.c_int),
        ("x", _double_p),
        ("species", _int_p),
        ("rebuild_neighbors", ctypes.c_int),
        ("neighbor_cutoff", ctypes.c_double),
        ("f", _double_p),
        ("energy", _double_p),
        ("eatom", _double_p),
        ("virial", _double_p),
        ("vatom", _double_p),
        ("filters", _double_p),
        ("energy_parts", _double_p),
        ("sigma", _double_p),
        ("grade", _double_p),
        ("close_flag", _double_p),
        ("head_energies", _double_p),
    ]


def repository_root() -> Path:
    """The repository this package sits in (python/snnp/ -> repository), for an editable install."""
    return Path(__file__).resolve().parents[2]


def default_library_path() -> str:
    """$SNNP_KERNEL_LIB, else the repository's release build, else the system's libsnnpkernel."""
    env = os.environ.get("SNNP_KERNEL_LIB")
    if env:
        return env
    built = repository_root() / ".build" / "release" / "libsnnpkernel.so"
    if built.exists():
        return str(built)
    return ctypes.util.find_library("snnpkernel") or str(built)


def load_library(path: Optional[str] = None) -> ctypes.CDLL:
    """Opens libsnnpkernel.so, declares the entry points' signatures and checks the ABI version."""
    path = path or default_library_path()
    if os.sep in path and not os.path.exists(path):
        raise KernelError(f"snnp: kernel library {path} not found; build it with "
                          "`swift build -c release` or set SNNP_KERNEL_LIB")
    lib = ctypes.CDLL(path)
    signatures = {
        "snnp_abi_version": ([], ctypes.c_int),
        "snnp_model_load": ([ctypes.c_char_p, ctypes.POINTER(ctypes.c_void_p), ctypes.c_char_p,
                             ctypes.c_size_t], ctypes.c_int),
        "snnp_model_free": ([ctypes.c_void_p], None),
        "snnp_model_cutoff": ([ctypes.c_void_p], ctypes.c_double),
        "snnp_model_element_count": ([ctypes.c_void_p], ctypes.c_int),
        "snnp_model_element_name": ([ctypes.c_void_p, ctypes.c_int, ctypes.c_char_p, ctypes.c_size_t],
                                    ctypes.c_int),
        "snnp_model_element_index": ([ctypes.c_void_p, ctypes.c_char_p], ctypes.c_int),
        "snnp_model_filter_count": ([ctypes.c_void_p], ctypes.c_int),
        "snnp_model_head_count": ([ctypes.c_void_p], ctypes.c_int),
        "snnp_model_has_domain": ([ctypes.c_void_p], ctypes.c_int),
        "snnp_compute": ([ctypes.c_void_p, ctypes.POINTER(ComputeArgs), ctypes.c_char_p, ctypes.c_size_t],
                         ctypes.c_int),
        "snnp_status_string": ([ctypes.c_int], ctypes.c_char_p),
    }
    for name, (argtypes, restype) in signatures.items():
        function = getattr(lib, name)
        function.argtypes = argtypes
        function.restype = restype
    version = lib.snnp_abi_version()
    if version != ABI_VERSION:
        raise KernelError(f"snnp: {path} has kernel ABI {version}, this package expects {ABI_VERSION}; "
                          "rebuild with `swift build -c release` or update the package")
    return lib


@dataclass
class ComputeResult:
    """Outputs of one snnp_compute call (metal units). Arrays cover all nall atoms where
    the ABI does (forces), the nlocal local atoms otherwise."""

    energy: float            # eV, local atoms
    forces: np.ndarray       # (nall, 3) eV/Å, ghosts included
    eatom: np.ndarray        # (nlocal,) eV
    virial: np.ndarray       # (6,) eV: xx yy zz xy xz yz, sum of r (x) f over all atoms
    filters: Optional[np.ndarray] = None       # (nlocal, filter_count), when asked
    energy_parts: Optional[np.ndarray] = None  # (nlocal, 2) eV: linear and network parts, when asked
    sigma: Optional[np.ndarray] = None         # (nlocal,) eV: committee spread per atom, when asked
    grade: Optional[np.ndarray] = None         # (nlocal,) extrapolation grade, when asked
    close_flag: Optional[np.ndarray] = None    # (nlocal,) 1.0: a neighbour closer than the data's closest approach
    head_energies: Optional[np.ndarray] = None  # (heads,) eV: each head's network energy summed over atoms


def _ptr(array, ctype=ctypes.c_double):
    return array.ctypes.data_as(ctypes.POINTER(ctype))


class Model:
    """A loaded .snnp potential: one kernel handle (not to be shared between threads)."""

    def __init__(self, potential, library: Optional[str] = None):
        self.potential = str(potential)
        self._lib = load_library(library)
        handle = ctypes.c_void_p()
        err = ctypes.create_string_buffer(4096)
        status = self._lib.snnp_model_load(self.potential.encode(), ctypes.byref(handle), err, len(err))
        if status != 0:
            raise KernelError(err.value.decode(errors="replace"), status)
        self._handle = handle
        self.cutoff = float(self._lib.snnp_model_cutoff(handle))
        self.filter_count = int(self._lib.snnp_model_filter_count(handle))
        self.head_count = int(self._lib.snnp_model_head_count(handle))  # K of a committee, else 1
        self.has_domain = bool(self._lib.snnp_model_has_domain(handle))  # grades available
        name = ctypes.create_string_buffer(16)
        self.elements = []
        for index in range(self._lib.snnp_model_element_count(handle)):
            self._lib.snnp_model_element_name(handle, index, name, len(name))
            self.elements.append(name.value.decode())

    def close(self):
        """Frees the kernel handle (also done when the object is collected)."""
        handle = getattr(self, "_handle", None)
        if handle is not None and handle.value:
            self._lib.snnp_model_free(handle)
        self._handle = None

    def __del__(self):
        self.close()

    def species_indices(self, symbols):
        """The potential's element index of each symbol; KernelError names any it lacks."""
        unknown = sorted(set(symbols) - set(self.elements))
        if unknown:
            raise KernelError(f"snnp: {self.potential} has elements {', '.join(self.elements)}; "
                              f"the structure also has {', '.join(unknown)}")
        return np.array([self.elements.index(s) for s in symbols], dtype=np.intc)

    def compute(self, x, species, nlocal, *, filters=False, energy_parts=False, uncertainty=False,
                grades=False) -> ComputeResult:
        """Energy, forces, per-atom energies and virial of atoms 0..nlocal-1 among x.

        uncertainty: also the committee spread per atom (sigma) and per head (head_energies);
        grades: also the extrapolation grade and close flag per atom (needs a training
        domain: KernelError names `snnp calibrate` otherwise; docs/uncertainty.md).

        x: (nall, 3) positions (Å), local atoms first, then ghosts (neighbours only);
        species: (nall,) element indices (-1: not handled). The neighbour list is rebuilt
        on every call.
        """
        if self._handle is None:
            raise KernelError("snnp: model was closed")
        x = np.ascontiguousarray(x, dtype=np.float64).reshape(-1, 3)
        species = np.ascontiguousarray(species, dtype=np.intc)
        nall = len(x)
        if species.shape != (nall,) or not 0 <= nlocal <= nall:
            raise ValueError(f"snnp: {nall} positions, {species.shape} species, nlocal {nlocal}")
        f = np.zeros((nall, 3))
        energy = np.zeros(1)
        eatom = np.zeros(nlocal)
        virial = np.zeros(6)
        g = np.zeros((nlocal, self.filter_count)) if filters else None
        parts = np.zeros((nlocal, 2)) if energy_parts else None
        sigma = np.zeros(nlocal) if uncertainty else None
        heads = np.zeros(self.head_count) if uncertainty else None
        grade = np.zeros(nlocal) if grades else None
        close = np.zeros(nlocal) if grades else None
        args = ComputeArgs(
            struct_size=ctypes.sizeof(ComputeArgs), nlocal=nlocal, nall=nall, x=_ptr(x),
            species=_ptr(species, ctypes.c_int), rebuild_neighbors=1, neighbor_cutoff=self.cutoff,
            f=_ptr(f), energy=_ptr(energy), eatom=_ptr(eatom), virial=_ptr(virial),
            filters=_ptr(g) if g is not None else None,
            energy_parts=_ptr(parts) if parts is not None else None,
            sigma=_ptr(sigma) if sigma is not None else None, grade=_ptr(grade) if grade is not None else None,
            close_flag=_ptr(close) if close is not None else None,
            head_energies=_ptr(heads) if heads is not None else None)
        err = ctypes.create_string_buffer(4096)
        status = self._lib.snnp_compute(self._handle, ctypes.byref(args), err, len(err))
        if status != 0:
            raise KernelError(f"snnp: {err.value.decode(errors='replace')}", status)
        return ComputeResult(float(energy[0]), f, eatom, virial, g, parts, sigma, grade, close, heads)
