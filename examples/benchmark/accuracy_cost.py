"""The accuracy-cost map: energy MAE against LAMMPS cost per atom-step relative to the
s-MEAM peer (meam/spline) of the same element, one panel per element.
Standard library only.

    # costs: one bench.in process per element, all styles in the same run
    OUT=/tmp/bench UF3DIR=/tmp/uf3-Mo REPS=1 bash examples/benchmark/run-elements.sh
    python3 examples/benchmark/accuracy_cost.py --logs /tmp/bench/*_r1.log   # -> accuracy-cost.json, .svg
    python3 examples/benchmark/accuracy_cost.py        # redraw from docs/figures/accuracy-cost.json

Costs are measured (µs/atom-step of every style in one LAMMPS process per element, from
the `@@BEGIN`/`Loop time` lines, times.py); with --logs, the first log of an element wins.
Accuracies are cited, never computed here:
  snnp int. all (shipped files): validation MAE on the seeded 10 % split of
      mlearn/<El>/train.xyz, docs/results.md "Accuracy";
  UF3: validation MAE on the same split (examples/uf3/, result.json);
  s-MEAM, SNAP, qSNAP: MAE on the published mlearn test sets, ../shared/PEERS.md;
  GAP, MTP: published test MAE (Zuo et al. 2020, as tabulated in ../shared/PEERS.md).
GAP, MTP and NNP costs are not measured here; ZUO_COST below holds Zuo et al.'s
published costs relative to their linear SNAP, to be placed against the SNAP measured
in the same run. It is empty: those numbers are not in ../shared/PEERS.md or anywhere
in this repository, so GAP and MTP are drawn as horizontal lines at their published
energy MAE (cost unplaced) and NNP is left out.
"""
import argparse
import json
import math
import os

from times import times  # beside this script: Python puts the script's folder on the path

HERE = os.path.dirname(os.path.abspath(__file__))

FIG = os.path.join(HERE, "..", "..", "docs", "figures")
ELEMENTS = ["Mo", "Si", "Ge", "Li", "Cu", "Ni"]

# energy / force MAE (meV/atom, eV/A) and where each number comes from
ACCURACY = {
    # docs/results.md, Accuracy: validation split (seed 1, 10 %), shipped int. all files
    "snnp": {"Mo": (3.9, 0.114), "Si": (4.5, 0.068), "Ge": (2.45, 0.054), "Li": (0.68, 0.0105),
             "Cu": (0.87, 0.0102), "Ni": (0.76, 0.0177)},
    # docs/results.md, Accuracy: the accurate tier (four-body filters), same split
    "snnpacc": {"Mo": (2.85, 0.112), "Cu": (0.72, 0.0089), "Ni": (0.39, 0.0162)},
    # ../shared/PEERS.md: official test sets
    "meamspline": {"Mo": (5.98, 0.209), "Si": (5.22, 0.172), "Ge": (6.45, 0.145), "Li": (1.08, 0.039),
                   "Cu": (1.14, 0.062), "Ni": (2.63, 0.080)},
    "snap": {"Mo": (5.48, 0.207), "Si": (6.44, 0.133), "Ge": (6.59, 0.188), "Li": (1.03, 0.028),
             "Cu": (0.53, 0.037), "Ni": (0.78, 0.038)},
    "qsnap": {"Mo": (2.77, 0.184), "Si": (3.81, 0.116), "Ge": (6.45, 0.133), "Li": (0.73, 0.033),
              "Cu": (0.56, 0.024), "Ni": (0.78, 0.031)},
    "gap": {"Mo": (2.24, 0.09), "Si": (2.91, 0.07), "Ge": (2.06, 0.05), "Li": (0.49, 0.01),
            "Cu": (0.46, 0.01), "Ni": (0.42, 0.02)},
    "mtp": {"Mo": (2.83, 0.09), "Si": (2.21, 0.06), "Ge": (1.79, 0.05), "Li": (0.49, 0.01),
            "Cu": (0.41, 0.01), "Ni": (0.48, 0.01)},
    # examples/uf3/README.md: validation split of snnp (same 19 Mo frames), fitted here
    "uf3": {},
}
UF3_RESULTS = {el: os.path.join(HERE, "..", "uf3", f"{el}.result.json") for el in ELEMENTS}
ZUO_COST = {}  # e.g. {"gap": {"Mo": cost / cost of SNAP}}: not available here (see docstring)

STYLE = {  # label, colour, filled (validation split) or open (published test set)
    "snnp": ("snnp int. all (fast tier)", "#1f77b4", True),
    "snnpacc": ("snnp accurate tier (four-body)", "#17becf", True),
    "uf3": ("UF3 (fitted here)", "#2ca02c", True),
    "meamspline": ("s-MEAM", "#7f7f7f", False),
    "snap": ("SNAP (Zuo)", "#d62728", False),
    "qsnap": ("qSNAP (Zuo)", "#ff7f0e", False),
}


# where each marker's name goes (dx, dy, anchor): the numbers are in the table
LABEL_AT = {"snnp": (9, 4, "start"), "snnpacc": (9, 4, "start"), "uf3": (-9, 4, "end"), "meamspline": (0, -10, "middle"),
            "snap": (0, -10, "middle"), "qsnap": (0, 19, "middle")}


def load_uf3():
    for el, path in UF3_RESULTS.items():
        if os.path.exists(path):
            v = json.load(open(path))["validation"]
            ACCURACY["uf3"][el] = (round(v["energy_mae_meV"], 2), round(v["force_mae"], 3))


def costs_from_logs(logs):
    out = {}
    for log in logs:
        el = os.path.basename(log).split("_")[0]
        if el in out:
            continue
        natoms, us = times(log)
        out[el] = {"atoms": natoms, "us": {k: round(v, 3) for k, v in us.items()}, "log": os.path.basename(log)}
    return out


def table(costs):
    rows = ["| element | potential | µs/atom-step | cost / s-MEAM | energy MAE (meV/atom) | force MAE (eV/Å) | accuracy from |",
            "|---|---|---:|---:|---:|---:|---|"]
    for el in ELEMENTS:
        c = costs.get(el)
        if not c:
            continue
        m = c["us"]["meamspline"]
        for key in ["snnp", "snnpacc", "uf3", "meamspline", "snap", "qsnap"]:
            if key not in c["us"] or el not in ACCURACY[key]:
                continue
            e, f = ACCURACY[key][el]
            src = "validation split (this repo)" if STYLE[key][2] else "test set (PEERS.md)"
            fs = f"{f:.3f}" if key == "uf3" else f"{f:g}"
            rows.append(f"| {el} | {STYLE[key][0]} | {c['us'][key]:.1f} | {c['us'][key] / m:.2f} | {e:.2f} | {fs} | {src} |")
        for key in ["gap", "mtp"]:
            e, f = ACCURACY[key][el]
            rows.append(f"| {el} | {key.upper()} | not measured | not placed | {e:.2f} | {f:g} | published test set (Zuo 2020) |")
    return "\n".join(rows)


def svg(costs):
    W, H, pw, ph = 900, 1110, 360, 250
    x0s, y0s = [80, 520], [70, 420, 770]
    xlo, xhi, ylo, yhi = math.log10(0.5), math.log10(100), math.log10(0.3), math.log10(12)
    out = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{W}" height="{H}" font-family="sans-serif" font-size="12">',
           '<rect width="100%" height="100%" fill="white"/>',
           '<text x="450" y="24" text-anchor="middle" font-size="16">Accuracy against LAMMPS cost (1 core, ~2000 atoms, 300 K)</text>',
           '<text x="450" y="44" text-anchor="middle">filled: validation MAE on snnp\'s seeded 10 % split; open: published test-set MAE; '
           'dashed: GAP / MTP published test MAE, cost not placed</text>']
    for i, el in enumerate(ELEMENTS):
        c = costs.get(el)
        X0, Y0 = x0s[i % 2], y0s[i // 2]

        def px(r):
            return X0 + (math.log10(r) - xlo) / (xhi - xlo) * pw

        def py(e):
            return Y0 + ph - (math.log10(e) - ylo) / (yhi - ylo) * ph
        out.append(f'<rect x="{X0}" y="{Y0}" width="{pw}" height="{ph}" fill="none" stroke="black"/>')
        out.append(f'<text x="{X0 + 6}" y="{Y0 + 16}" font-size="14" font-weight="bold">{el}</text>')
        for t in [0.5, 1, 2, 5, 10, 20, 50, 100]:
            out.append(f'<line x1="{px(t):.1f}" y1="{Y0}" x2="{px(t):.1f}" y2="{Y0 + ph}" stroke="#eee"/>')
            out.append(f'<text x="{px(t):.1f}" y="{Y0 + ph + 14}" text-anchor="middle">{t:g}</text>')
        for t in [0.3, 0.5, 1, 2, 5, 10]:
            out.append(f'<line x1="{X0}" y1="{py(t):.1f}" x2="{X0 + pw}" y2="{py(t):.1f}" stroke="#eee"/>')
            out.append(f'<text x="{X0 - 6}" y="{py(t) + 4:.1f}" text-anchor="end">{t:g}</text>')
        out.append(f'<text x="{X0 + pw / 2}" y="{Y0 + ph + 30}" text-anchor="middle">cost per atom-step / s-MEAM (meam/spline), measured in one run</text>')
        out.append(f'<text transform="translate({X0 - 45},{Y0 + ph / 2}) rotate(-90)" text-anchor="middle">energy MAE (meV/atom)</text>')
        for key, dash, dy in (("gap", "6,3", -3), ("mtp", "2,3", 12)):  # GAP's name above its line, MTP's below
            e = ACCURACY[key][el][0]
            out.append(f'<line x1="{X0}" y1="{py(e):.1f}" x2="{X0 + pw}" y2="{py(e):.1f}" stroke="#9467bd" stroke-dasharray="{dash}"/>')
            out.append(f'<text x="{X0 + pw - 4}" y="{py(e) + dy:.1f}" text-anchor="end" fill="#9467bd">{key.upper()} {e}</text>')
        if not c:
            out.append(f'<text x="{X0 + pw / 2}" y="{Y0 + ph / 2}" text-anchor="middle">no cost measured</text>')
            continue
        m = c["us"]["meamspline"]
        for key, (label, colour, filled) in STYLE.items():
            if key not in c["us"] or el not in ACCURACY[key]:
                continue
            r, e = c["us"][key] / m, ACCURACY[key][el][0]
            fill = colour if filled else "white"
            out.append(f'<circle cx="{px(r):.1f}" cy="{py(e):.1f}" r="6" fill="{fill}" stroke="{colour}" stroke-width="2"/>')
            short = label.split(" (")[0].replace(" int. all", "")
            dx, dy, anchor = LABEL_AT[key]
            out.append(f'<text x="{px(r) + dx:.1f}" y="{py(e) + dy:.1f}" text-anchor="{anchor}" fill="{colour}">{short}</text>')
    ly = H - 22
    lx = 40
    for key, (label, colour, filled) in STYLE.items():
        fill = colour if filled else "white"
        out.append(f'<circle cx="{lx}" cy="{ly}" r="6" fill="{fill}" stroke="{colour}" stroke-width="2"/>')
        out.append(f'<text x="{lx + 10}" y="{ly + 4}">{label}</text>')
        lx += 12 + 7 * len(label) + 20
    out.append(f'<text x="{W / 2}" y="{H - 4}" text-anchor="middle" font-size="10">GAP, MTP, NNP: published, not measured here; '
               'their costs (Zuo et al. 2020) are not in this repository, so they are not placed on the cost axis</text>')
    out.append("</svg>")
    return "\n".join(out)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--logs", nargs="*", help="bench.in logs, <El>_*.log (run-elements.sh)")
    ap.add_argument("--out", default=FIG)
    a = ap.parse_args()
    load_uf3()
    path = os.path.join(a.out, "accuracy-cost.json")
    if a.logs:
        # New logs replace their elements' costs; the other elements keep theirs.
        costs = json.load(open(path)) if os.path.exists(path) else {}
        costs.update(costs_from_logs(a.logs))
        os.makedirs(a.out, exist_ok=True)
        json.dump(costs, open(path, "w"), indent=1)
    else:
        costs = json.load(open(path))
    open(os.path.join(a.out, "accuracy-cost.svg"), "w").write(svg(costs) + "\n")
    print(table(costs))


if __name__ == "__main__":
    main()
