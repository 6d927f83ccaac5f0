#!/usr/bin/env python3
"""Markdown table of the MD checks (docs/md-check/<El>/summary.json).

    python3 examples/md_check/table.py docs/md-check
"""
import json
import sys
from pathlib import Path


def main():
    root = Path(sys.argv[1])
    print("| element | stage | ps | <T> (K) | <P> (bar) | V/atom (Å³) | MSD (Å²) | Bragg order | verdict |")
    print("|---|---|---:|---:|---:|---:|---:|---:|---|")
    for el in ("Mo", "Si", "Ge", "Li", "Cu", "Ni", "MoNbTaW", "MoNb"):
        p = root / el / "summary.json"
        if not p.exists():
            continue
        s = json.loads(p.read_text())
        steps = s.get("steps", 20000)
        for name, st in s["stages"].items():
            prefix = name if name.startswith("solid") else "liquid"
            failed = [k.split(": ", 1)[1] for k, v in s["checks"].items() if not v and k.startswith(prefix + ":")]
            verdict = "pass" if not failed else "FAIL: " + "; ".join(failed)
            print(f"| {el} | {name.replace('_', ' ')} | {steps / 1000:.0f} | {st.get('T_mean', float('nan')):.0f} | "
                  f"{st.get('P_mean_bar', float('nan')):.0f} | {st.get('volume_per_atom', float('nan')):.2f} | "
                  f"{st.get('msd_end', float('nan')):.3f} | {st.get('bragg_order', float('nan')):.4f} | {verdict} |")
        r = s.get("rdf")
        if r:
            print(f"| {el} | liquid g(r) | | first peak {r['first_peak_r']:.2f} Å (g {r['first_peak_g']:.2f}), "
                  f"crystal nn {r['crystal_nn_distance_300K']:.2f} Å | coordination {r['coordination_to_first_min']:.1f} | "
                  f"closest {r['closest_r_g_over_0.1']:.2f} Å | ΔV melting {s.get('volume_change_on_melting_percent', float('nan')):+.1f} % | | |")


if __name__ == "__main__":
    main()
