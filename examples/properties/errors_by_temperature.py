"""Energy and force MAE of a potential per config_type and AIMD temperature.

    python3 examples/properties/errors_by_temperature.py POTENTIAL DATA.xyz [SNNP]

Groups the frames of an mlearn file by config_type and the "at N K" of their
description (docs/fitting.md: Mo's force error by temperature) and prints, per
group, frames, energy MAE (meV/atom), force MAE (eV/Å) and mean |F| of DFT (eV/Å).
The model's numbers come from `snnp eval --json` (SNNP, default .build/release/snnp);
the DFT forces are read from columns 5-7 (Properties=species:S:1:pos:R:3:forces:R:3,
the mlearn layout).
"""

import re
import sys
from collections import defaultdict

from dft_reference import snnp_eval


def main():
    if len(sys.argv) not in (3, 4):
        sys.exit(__doc__)
    potential, data = sys.argv[1], sys.argv[2]
    binary = sys.argv[3] if len(sys.argv) > 3 else ".build/release/snnp"
    lines = open(data).read().splitlines()
    starts, k = [], 0
    while k < len(lines) and lines[k].strip():
        starts.append(k)
        k += int(lines[k]) + 2
    model = snnp_eval(potential, data, len(starts), binary)
    groups = defaultdict(lambda: [0, 0.0, 0.0, 0.0, 0])  # frames, sum dE, sum |dF|, sum |F|, components
    for start, frame in zip(starts, model):
        comment = lines[start + 1]
        t = re.search(r"at (\d+) K", comment)
        key = (frame["config_type"], t.group(1) + " K" if t else "-")
        g = groups[key]
        g[0] += 1
        g[1] += abs(frame["energy"] - frame["reference_energy"]) / frame["natoms"] * 1000
        for a, f in enumerate(frame["forces"]):
            ref = [float(x) for x in lines[start + 2 + a].split()[4:7]]
            g[2] += sum(abs(p - r) for p, r in zip(f, ref))
            g[3] += sum(abs(r) for r in ref)
            g[4] += 3
    print(f"{'group':12s} {'T':>7s} {'frames':>6s} {'E MAE':>8s} {'F MAE':>8s} {'|F| DFT':>8s}")
    for (kind, t), g in sorted(groups.items()):
        print(f"{kind:12s} {t:>7s} {g[0]:6d} {g[1] / g[0]:8.2f} {g[2] / g[4]:8.3f} {g[3] / g[4]:8.3f}")


if __name__ == "__main__":
    main()
