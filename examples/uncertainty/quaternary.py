"""Random equimolar Mo-Nb-Ta-W bcc cells (no reference energies) for grading the
shipped Mo-Nb-Ta-W potential, whose training data hold elements and binaries only:

    python3 examples/uncertainty/quaternary.py > /tmp/quaternary.xyz
    .build/release/snnp eval potentials/MoNbTaW.int-all.snnp /tmp/quaternary.xyz --per-frame

Each cell is 4x4x4 conventional bcc cells (128 atoms) at a = 3.22 A with the four
elements shuffled over the sites (seeded), rattled by 0.05 A.
"""
import random

rng = random.Random(7)
a, n = 3.22, 4
for frame in range(5):
    sites = [(i + bx, j + bx, k + bx) for i in range(n) for j in range(n) for k in range(n) for bx in (0.0, 0.5)]
    symbols = (["Mo", "Nb", "Ta", "W"] * (len(sites) // 4))
    rng.shuffle(symbols)
    L = a * n
    print(len(sites))
    print(f'Lattice="{L} 0 0 0 {L} 0 0 0 {L}" Properties=species:S:1:pos:R:3 pbc="T T T" config_type=quaternary')
    for s, (x, y, z) in zip(symbols, sites):
        r = [a * c + rng.uniform(-0.05, 0.05) for c in (x, y, z)]
        print(f"{s} {r[0]:.6f} {r[1]:.6f} {r[2]:.6f}")
