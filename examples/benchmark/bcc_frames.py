"""Writes bcc Mo frames (10x10x10 conventional cells, 2000 atoms, random
displacements of up to 0.1 A) as extended XYZ, for timing the kernel alone:

    python3 examples/benchmark/bcc_frames.py > /tmp/bcc2000.xyz
    time .build/release/snnp eval potentials/Mo.int-all.snnp /tmp/bcc2000.xyz
"""
import random

random.seed(1)
a, n, frames = 3.1676, 10, 5
positions = []
for i in range(n):
    for j in range(n):
        for k in range(n):
            for b in ((0, 0, 0), (0.5, 0.5, 0.5)):
                positions.append([(c + o) * a + random.uniform(-0.1, 0.1) for c, o in zip((i, j, k), b)])
L = n * a
for _ in range(frames):
    print(len(positions))
    print(f'Lattice="{L} 0 0 0 {L} 0 0 0 {L}" Properties=species:S:1:pos:R:3 pbc="T T T"')
    for p in positions:
        print("Mo %.8f %.8f %.8f" % tuple(p))
