#!/usr/bin/env python3
"""How far a potential's vacancy formation energy is from DFT, measured on the data.

    python3 examples/properties/vacancy_error.py POTENTIAL.snnp DATA.xyz [SNNP_BINARY]

The mlearn data hold no relaxed vacancy, but they hold 300 K AIMD snapshots of a
cell with one vacancy and 300 K snapshots of the perfect crystal at the same
volume per lattice site. At 300 K the atoms stay near their relaxed sites, so a
potential's energy error on those snapshots is close to its error at the relaxed
structures, and

    dEv = <E_model - E_DFT>(vacancy cell, n atoms)
          - n / m * <E_model - E_DFT>(perfect cell, m atoms)

estimates the error of its vacancy formation energy (eV; negative: the vacancy
is too cheap). Only the lowest temperature with both kinds of frame at the same
volume per site is used; the uncertainty is the standard error of the two means.
Runs `snnp eval --json` (SNNP_BINARY, default .build/release/snnp) and prints one
line; exit status 3 (NO_MEASUREMENT) when the data hold no such pair of frame
sets (Si: its vacancy snapshots are in compressed cells of varying volume), so
that a caller can tell it from a failure.
"""
import math
import re
import statistics
import sys
from collections import defaultdict

from snnp.elastic import det3
from snnp.evaluate import snnp_eval
from snnp.extxyz import frames

NO_MEASUREMENT = 3


def frame_keys(path):
    """(config_type, temperature K or None, volume per lattice site rounded to 0.01 A^3)
    for every frame of an extended-XYZ file, in order."""
    keys = []
    for f in frames(path):
        volume = abs(det3(f["cell"]))
        temperature = re.search(r"at (\d+) K", f["description"])
        sites = f["n"] + 1 if f["config_type"] == "Vacancy" else f["n"]
        keys.append((f["config_type"], int(temperature.group(1)) if temperature else None, round(volume / sites, 2)))
    return keys


def main():
    if len(sys.argv) < 3:
        sys.exit(__doc__)
    potential, data = sys.argv[1], sys.argv[2]
    binary = sys.argv[3] if len(sys.argv) > 3 else ".build/release/snnp"
    keys = frame_keys(data)
    model = snnp_eval(potential, data, len(keys), binary)
    errors = defaultdict(list)  # (kind, T, volume per site) -> [(error eV, atoms)]
    for key, frame in zip(keys, model):
        errors[key].append((frame["energy"] - frame["reference_energy"], frame["natoms"]))
    pairs = sorted((t, v) for kind, t, v in errors if kind == "Vacancy" and t is not None
                   and len(errors[(kind, t, v)]) > 1 and len(errors.get(("AIMD-NVT", t, v), [])) > 1)
    if not pairs:
        print(f"{data}: no two Vacancy and two AIMD-NVT frames at the same temperature and volume per site")
        sys.exit(NO_MEASUREMENT)
    t, v = pairs[0]
    vac, bulk = errors[("Vacancy", t, v)], errors[("AIMD-NVT", t, v)]
    n, m = vac[0][1], bulk[0][1]

    def mean_and_error(values):
        return statistics.mean(values), statistics.stdev(values) / math.sqrt(len(values))
    ev, sv = mean_and_error([e for e, _ in vac])
    eb, sb = mean_and_error([e for e, _ in bulk])
    delta, sigma = ev - n / m * eb, math.hypot(sv, n / m * sb)
    print(f"{potential}: vacancy formation energy error {delta:+.2f} +- {sigma:.2f} eV "
          f"({len(vac)} vacancy frames of {n} atoms, error {ev:+.3f} eV each; {len(bulk)} perfect frames "
          f"of {m} atoms, {eb:+.3f} eV; {t} K, {v} A^3 per site)")


if __name__ == "__main__":
    main()
