#!/usr/bin/env python3
"""Summarise and judge an examples/md_check/run.sh directory.

    python3 check.py OUTDIR ELEMENT LATTICE TM POTENTIAL_NAME [STEPS]

Reads the RESULT lines of solid_300K.log, solid_0.9Tm.log, liquid_1.2Tm.log and
the last block of rdf.dat; writes OUTDIR/summary.json (atomically) and prints
one line per stage. Criteria (all must hold, listed in summary.json):
  solid stages   no atom lost; mean-squared displacement < 1.5 A^2 (a crystal
                 only vibrates; the liquid runs reach tens of A^2); Bragg-peak
                 order S(k)/S0 > 0.1 (a crystal keeps a Debye-Waller fraction of
                 its Bragg peak; a liquid has ~1/N).
  liquid stage   no atom lost; MSD > 5 A^2 (it flows); Bragg order < 0.01;
                 g(r) < 0.1 below 0.75 x the crystal's nearest-neighbour
                 distance (no atoms on top of each other); first peak within
                 15 % of that distance; g(r) between 0.5 and 1.5 over 5-6 A (no
                 long-range order; liquid metals keep a second peak there);
                 volume per atom within 30 % of the hot solid's (it neither
                 evaporates nor collapses at 0 bar).
Exit status 1 if any criterion fails.
"""
import json
import math
import os
import sys


def results(path):
    r = {}
    if not os.path.exists(path):
        return r
    for line in open(path):
        p = line.split()
        if len(p) == 3 and p[0] == "RESULT":
            try:
                r[p[1]] = float(p[2])
            except ValueError:
                r[p[1]] = float("nan")
    return r


def last_rdf_block(path):
    rows, block = [], []
    for line in open(path):
        if line.startswith("#"):
            continue
        p = line.split()
        if len(p) == 2:  # "timestep nrows": a new block
            if block:
                rows = block
            block = []
        elif len(p) == 4:
            block.append((float(p[1]), float(p[2]), float(p[3])))
    return block or rows


def analyse_rdf(rdf, volume_per_atom):
    r = [x[0] for x in rdf]
    g = [x[1] for x in rdf]
    ipeak = max(range(len(g)), key=lambda i: g[i])
    closest = next((r[i] for i in range(len(g)) if g[i] > 0.1), float("nan"))
    # first minimum: the lowest g between the peak and 1.6 x its distance (a walk down
    # from the peak would stop at the first bump of sampling noise)
    window = [i for i in range(ipeak, len(g)) if r[i] <= 1.6 * r[ipeak]]
    imin = min(window, key=lambda i: g[i])
    rho = 1.0 / volume_per_atom
    dr = r[1] - r[0]
    coordination = sum(4 * math.pi * rho * r[i] ** 2 * g[i] * dr for i in range(imin + 1))
    tail = [g[i] for i in range(len(r)) if 5.0 <= r[i] <= 6.0]
    tail_range = (min(tail), max(tail)) if tail else (float("nan"), float("nan"))
    return {"first_peak_r": r[ipeak], "first_peak_g": g[ipeak], "first_min_r": r[imin],
            "closest_r_g_over_0.1": closest, "coordination_to_first_min": coordination,
            "g_mean_5_6A": sum(tail) / len(tail) if tail else float("nan"),
            "g_min_5_6A": tail_range[0], "g_max_5_6A": tail_range[1]}


def main():
    out, el, lattice, tm, potential = sys.argv[1], sys.argv[2], sys.argv[3], float(sys.argv[4]), sys.argv[5]
    steps = int(sys.argv[6]) if len(sys.argv) > 6 else 20000
    stages = {name: results(os.path.join(out, name + ".log"))
              for name in ("solid_300K", "solid_0.9Tm", "liquid_1.2Tm")}
    summary = {"element": el, "lattice": lattice, "Tm_K": tm, "potential": potential, "steps": steps,
               "stages": stages, "checks": {}}
    checks = summary["checks"]

    def check(name, ok):
        checks[name] = bool(ok)

    for name in ("solid_300K", "solid_0.9Tm"):
        s = stages[name]
        check(f"{name}: completed", "msd_end" in s)
        check(f"{name}: no atom lost", s.get("atoms_end") == s.get("atoms_start"))
        check(f"{name}: finite energy", math.isfinite(s.get("energy_per_atom", float("nan"))))
        check(f"{name}: MSD < 1.5 A^2", s.get("msd_end", 1e9) < 1.5)
        check(f"{name}: Bragg order > 0.1", s.get("bragg_order", 0) > 0.1)
    liq = stages["liquid_1.2Tm"]
    check("liquid: completed", "msd_end" in liq)
    check("liquid: no atom lost", liq.get("atoms_end") == liq.get("atoms_start"))
    check("liquid: MSD > 5 A^2", liq.get("msd_end", 0) > 5)
    check("liquid: Bragg order < 0.01", liq.get("bragg_order", 1) < 0.01)
    rdf_path = os.path.join(out, "rdf.dat")
    if os.path.exists(rdf_path) and "volume_per_atom" in liq:
        a = stages["solid_300K"].get("volume_per_atom", liq["volume_per_atom"])
        atoms_per_cell, nn_over_a = {"bcc": (2, math.sqrt(3) / 2), "fcc": (4, math.sqrt(2) / 2)}.get(
            lattice, (8, math.sqrt(3) / 4))  # diamond
        a0 = (a * atoms_per_cell) ** (1 / 3)
        nn = a0 * nn_over_a
        rdf = analyse_rdf(last_rdf_block(rdf_path), liq["volume_per_atom"])
        rdf["crystal_nn_distance_300K"] = nn
        summary["rdf"] = rdf
        check("liquid: no g(r) > 0.1 below 0.75 nn", rdf["closest_r_g_over_0.1"] > 0.75 * nn)
        check("liquid: first peak within 15 % of nn", abs(rdf["first_peak_r"] / nn - 1) < 0.15)
        check("liquid: 0.5 < g(r) < 1.5 over 5-6 A", 0.5 < rdf["g_min_5_6A"] and rdf["g_max_5_6A"] < 1.5)
    else:
        check("liquid: rdf written", False)
    if "volume_per_atom" in liq and "volume_per_atom" in stages["solid_0.9Tm"]:
        change = liq["volume_per_atom"] / stages["solid_0.9Tm"]["volume_per_atom"] - 1
        summary["volume_change_on_melting_percent"] = 100 * change
        check("liquid: volume within 30 % of the solid's", abs(change) < 0.3)
    else:
        check("liquid: volume within 30 % of the solid's", False)
    summary["passed"] = all(checks.values())
    tmp = os.path.join(out, "summary.json.tmp")
    with open(tmp, "w") as f:
        json.dump(summary, f, indent=1)
    os.replace(tmp, os.path.join(out, "summary.json"))
    for name, s in stages.items():
        print(f"{el} {name:13s} T {s.get('T_mean', float('nan')):7.1f} K  P {s.get('P_mean_bar', float('nan')):7.0f} bar  "
              f"V/atom {s.get('volume_per_atom', float('nan')):7.3f}  MSD {s.get('msd_end', float('nan')):7.3f} A^2  "
              f"Bragg order {s.get('bragg_order', float('nan')):.4f}")
    if "rdf" in summary:
        d = summary["rdf"]
        print(f"{el} liquid g(r): first peak {d['first_peak_r']:.2f} A (g {d['first_peak_g']:.2f}), "
              f"closest {d['closest_r_g_over_0.1']:.2f} A, coordination {d['coordination_to_first_min']:.1f}")
    failed = [k for k, v in checks.items() if not v]
    print(f"{el} md check: {'PASSED' if not failed else 'FAILED: ' + '; '.join(failed)}")
    sys.exit(0 if not failed else 1)


if __name__ == "__main__":
    main()
