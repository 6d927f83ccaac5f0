"""Wall time of one energy + forces call of the ASE calculator.

    python3 examples/ase/timing.py [POTENTIAL] [REPEAT]

Rattled bcc Mo, 10 x 10 x 10 cubic cells (2000 atoms); every call moves the atoms,
so each one rebuilds ghosts and neighbour list (what an ASE MD step or optimiser step
costs). Prints the best of 5 calls in µs per atom, to compare with pair_style snnp's
µs per atom-step in docs/studies/performance.md.
"""

import sys
import time

from ase.build import bulk

from snnp.ase import SNNP

potential = sys.argv[1] if len(sys.argv) > 1 else "potentials/Mo.int-all.snnp"
repeat = int(sys.argv[2]) if len(sys.argv) > 2 else 10
atoms = bulk("Mo", "bcc", a=3.168, cubic=True).repeat(repeat)
atoms.rattle(0.05, seed=1)
atoms.calc = SNNP(potential)
atoms.get_forces()
best = float("inf")
for _ in range(5):
    atoms.positions += 0.001
    start = time.perf_counter()
    atoms.get_forces()
    best = min(best, time.perf_counter() - start)
print(f"{potential}: {len(atoms)} atoms, {best:.4f} s per call, {best / len(atoms) * 1e6:.1f} us/atom")
