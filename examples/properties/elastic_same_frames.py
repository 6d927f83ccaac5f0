#!/usr/bin/env python3
"""A potential's elastic constants measured exactly as the DFT reference is.

    python3 examples/properties/elastic_same_frames.py POTENTIAL.snnp DATA.xyz [SNNP_BINARY]

The DFT elastic constants of dft-reference.json are a least-squares fit of the DFT
stress of the data's "Elastic" frames against their strain (up to 2 %, clamped ions;
snnp.elastic.elastic_fit). in.elastic measures a potential at infinitesimal strain
instead, so the two differ by the stress-strain curvature over those 2 % as well as
by the potential's error. This script puts the potential's own stresses on the
same frames (`snnp eval --json`, SNNP_BINARY, default .build/release/snnp) through
the same fit, so that model and DFT are compared like for like; it prints one line
with C11, C12, C44 (clamped ions), B and the residual stress of the fit, each
against DFT's (GPa, ratio in parentheses; none where DFT's is below 1 GPa).
"""
import sys

from snnp.elastic import elastic_fit, ground_state
from snnp.evaluate import snnp_eval
from snnp.extxyz import frames


def constants(data, g):
    c11, c12, c44, s0, _, _, used = elastic_fit(data, g)
    return {"C11": c11, "C12": c12, "C44": c44, "B": (c11 + 2 * c12) / 3, "sigma0": s0}, used


def main():
    if len(sys.argv) < 3:
        sys.exit(__doc__)
    potential, path = sys.argv[1], sys.argv[2]
    binary = sys.argv[3] if len(sys.argv) > 3 else ".build/release/snnp"
    data = list(frames(path))
    model = snnp_eval(potential, path, len(data), binary)
    g = ground_state(path, data)
    dft, used = constants(data, g)
    for f, m in zip(data, model):
        if f["stress"] is not None:
            f["stress"] = m["stress"]  # 9 components, eV/A^3, the data's sign convention
    fitted, _ = constants(data, g)
    def ratio(k):  # no ratio to a DFT value indistinguishable from 0 (Li's C44 fit: -0.3 GPa)
        return f"{fitted[k] / dft[k]:.2f}" if abs(dft[k]) >= 1 else "DFT ~ 0"
    cells = ", ".join(f"{k} {fitted[k]:.1f} ({ratio(k)})" for k in ("C11", "C12", "C44", "B"))
    print(f"{potential}: {cells}; residual stress {fitted['sigma0']:+.2f} GPa "
          f"(DFT: C11 {dft['C11']:.1f}, C12 {dft['C12']:.1f}, C44 {dft['C44']:.1f}, B {dft['B']:.1f}, "
          f"{dft['sigma0']:+.2f}; {used} Elastic frames, |strain| <= 2 %, clamped ions)")


if __name__ == "__main__":
    main()
