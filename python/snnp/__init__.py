"""snnp: spline-based neural network interatomic potentials, the Python side.

Modules (import the one you need; only `snnp.ase` needs ASE):

  snnp.ase        ASE calculator `SNNP` over libsnnpkernel.so (the kernel LAMMPS runs)
  snnp.kernel     ctypes binding of the C ABI (Sources/CSNNPKernel/include/snnp_kernel.h)
  snnp.images     periodic images within a cutoff as ghost atoms (numpy)
  snnp.extxyz     the frames of an extended-XYZ file (standard library only)
  snnp.evaluate   `snnp eval --json` from Python
  snnp.elements   crystal data of the shipped elements and alloys; also a CLI for shell scripts
  snnp.elastic    clamped-ion elastic constants from strained frames' stresses

The Swift build (`swift build -c release`) provides the kernel library and the
`snnp` executable these modules call; see python/README.md.
"""

__version__ = "0.1.0"
