"""Energy and force MAE of a potential per config_type and AIMD temperature.

    python3 examples/properties/errors_by_temperature.py POTENTIAL DATA.xyz [SNNP]

Groups the frames of an mlearn file by config_type and the "at N K" of their
description (docs/studies/loss-and-data.md: Mo's force error by temperature) and prints, per
group, frames, energy MAE (meV/atom), force MAE (eV/Å) and mean |F| of DFT (eV/Å).
The model's numbers come from `snnp eval --json` (SNNP, default .build/release/snnp),
the DFT forces from the file (snnp.extxyz.frames).
"""

import re
import sys
from collections import defaultdict

from snnp.evaluate import snnp_eval
from snnp.extxyz import frames


def main():
    if len(sys.argv) not in (3, 4):
        sys.exit(__doc__)
    potential, data = sys.argv[1], sys.argv[2]
    binary = sys.argv[3] if len(sys.argv) > 3 else ".build/release/snnp"
    dft = list(frames(data, forces=True))
    model = snnp_eval(potential, data, len(dft), binary)
    groups = defaultdict(lambda: [0, 0.0, 0.0, 0.0, 0])  # frames, sum dE, sum |dF|, sum |F|, components
    for reference, frame in zip(dft, model):
        t = re.search(r"at (\d+) K", reference["description"])
        g = groups[(frame["config_type"], t.group(1) + " K" if t else "-")]
        g[0] += 1
        g[1] += abs(frame["energy"] - frame["reference_energy"]) / frame["natoms"] * 1000
        for f, ref in zip(frame["forces"], reference["forces"]):
            g[2] += sum(abs(p - r) for p, r in zip(f, ref))
            g[3] += sum(abs(r) for r in ref)
            g[4] += 3
    print(f"{'group':12s} {'T':>7s} {'frames':>6s} {'E MAE':>8s} {'F MAE':>8s} {'|F| DFT':>8s}")
    for (kind, t), g in sorted(groups.items()):
        print(f"{kind:12s} {t:>7s} {g[0]:6d} {g[1] / g[0]:8.2f} {g[2] / g[4]:8.3f} {g[3] / g[4]:8.3f}")


if __name__ == "__main__":
    main()
