#!/usr/bin/env python3
"""Summarise the liquid stage of a peer_liquid.sh directory.

    python3 liquid_summary.py DIR ELEMENT LATTICE A0 TM POTENTIAL_NAME STEPS

Reads DIR/liquid_1.2Tm.log (RESULT lines) and DIR/rdf.dat with check.py's
readers, writes DIR/summary.json (atomically) and prints one line. Without the
solid stages of run.sh, the volume change is taken against the ideal crystal at
A0 (the DFT lattice constant of snnp.elements), not the hot solid.
"""
import json
import os
import sys

from check import analyse_rdf, last_rdf_block, results


def main():
    out, el, lattice, a0, tm, potential, steps = sys.argv[1:8]
    a0, tm, steps = float(a0), float(tm), int(steps)
    liq = results(os.path.join(out, "liquid_1.2Tm.log"))
    atoms_per_cell = 2 if lattice == "bcc" else 8
    crystal_volume = a0 ** 3 / atoms_per_cell
    summary = {"element": el, "lattice": lattice, "Tm_K": tm, "potential": potential, "steps": steps,
               "stages": {"liquid_1.2Tm": liq}, "crystal_volume_per_atom": crystal_volume}
    if "volume_per_atom" in liq:
        summary["rdf"] = analyse_rdf(last_rdf_block(os.path.join(out, "rdf.dat")), liq["volume_per_atom"])
        summary["volume_change_vs_crystal_percent"] = 100 * (liq["volume_per_atom"] / crystal_volume - 1)
    tmp = os.path.join(out, "summary.json.tmp")
    with open(tmp, "w") as f:
        json.dump(summary, f, indent=1)
    os.replace(tmp, os.path.join(out, "summary.json"))
    rdf = summary.get("rdf", {})
    nan = float("nan")
    print(f"{el} {potential}: liquid T {liq.get('T_mean', nan):.0f} K  P {liq.get('P_mean_bar', nan):.0f} bar  "
          f"V/atom {liq.get('volume_per_atom', nan):.2f} A^3 ({summary.get('volume_change_vs_crystal_percent', nan):+.0f} % "
          f"vs the crystal)  E/atom {liq.get('energy_per_atom', nan):.3f} eV  MSD {liq.get('msd_end', nan):.1f} A^2  "
          f"g(r) first peak {rdf.get('first_peak_r', nan):.2f} A (g {rdf.get('first_peak_g', nan):.2f}), "
          f"coordination {rdf.get('coordination_to_first_min', nan):.1f}")


if __name__ == "__main__":
    main()
