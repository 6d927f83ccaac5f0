#!/usr/bin/env python3
"""Energy of a crystal as one atom is pushed straight at its nearest neighbour: the
probe of the short-range repulsion (docs/studies/model-size.md, "Core repulsion").

    python3 examples/close_approach/push.py POTENTIAL.snnp ELEMENT [SNNP]

Builds a 3x3x3 conventional cell of the element's crystal (lattice constant from
snnp.elements), moves atom 0 toward its nearest neighbour in 0.05 A steps down
to 0.25 A apart, evaluates every frame with `snnp eval --json` (the one kernel) and
prints the separation and the energy relative to the perfect crystal (eV).
"""
import json
import os
import subprocess
import sys
import tempfile

import numpy as np

import snnp.elements


def crystal(element):
    try:
        crystal = snnp.elements.element(element)
    except KeyError as error:
        sys.exit(f"push.py: {error.args[0]}")
    return crystal.lattice, crystal.a0


def frames(element, lat, a, n=3):
    fcc = [[0, 0, 0], [0, .5, .5], [.5, 0, .5], [.5, .5, 0]]
    if lat == "bcc":
        basis, neighbour = [[0, 0, 0], [.5, .5, .5]], np.array([.5, .5, .5])
    else:
        basis, neighbour = fcc + [[x + .25, y + .25, z + .25] for x, y, z in fcc], np.array([.25, .25, .25])
    pos = np.array([(np.array(b) + [i, j, k]) * a for i in range(n) for j in range(n) for k in range(n) for b in basis])
    d0 = np.linalg.norm(neighbour * a)
    u = neighbour * a / d0
    L = n * a
    text, seps = [], []
    for r in np.arange(d0, 0.24, -0.05):
        p = pos.copy()
        p[0] = (d0 - r) * u
        seps.append(r)
        text.append(f"{len(p)}\nLattice=\"{L} 0 0 0 {L} 0 0 0 {L}\" Properties=species:S:1:pos:R:3 pbc=\"T T T\"\n")
        text += [f"{element} {x:.10f} {y:.10f} {z:.10f}\n" for x, y, z in p]
    return "".join(text), seps


def main():
    if len(sys.argv) < 3:
        sys.exit(__doc__)
    pot, element = sys.argv[1], sys.argv[2]
    snnp = sys.argv[3] if len(sys.argv) > 3 else ".build/release/snnp"
    lat, a = crystal(element)
    xyz, seps = frames(element, lat, a)
    with tempfile.NamedTemporaryFile("w", suffix=".xyz", delete=False) as f:
        f.write(xyz)
    try:
        res = subprocess.run([snnp, "eval", pot, f.name, "--json"], capture_output=True, text=True)
        if res.returncode != 0:
            sys.exit(f"push.py: snnp eval failed: {res.stderr.strip()}")
        energies = [fr["energy"] for fr in json.loads(res.stdout)["frames"]]
    finally:
        os.unlink(f.name)
    print(f"# {pot} {element} ({lat}, a = {a} A): separation (A), energy - perfect crystal (eV)")
    for r, e in zip(seps, energies):
        print(f"{r:6.3f} {e - energies[0]:12.3f}")


if __name__ == "__main__":
    main()
