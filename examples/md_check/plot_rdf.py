#!/usr/bin/env python3
"""Liquid radial distribution functions of the MD checks, one curve per element.

    python3 examples/md_check/plot_rdf.py docs/md-check docs/figures/liquid-rdf.svg
"""
import json
import sys
from pathlib import Path

from check import last_rdf_block  # examples/md_check/check.py: the script's directory is on sys.path

COLORS = {"Mo": "#d62728", "Si": "#1f77b4", "Ge": "#2ca02c", "Li": "#9467bd", "Cu": "#ff7f0e", "Ni": "#17becf",
          "MoNbTaW": "#8c564b", "MoNb": "#e377c2"}


def main():
    root, figure = Path(sys.argv[1]), sys.argv[2]
    curves = {}
    for el in COLORS:
        p = root / el / "rdf.dat"
        if p.exists():
            curves[el] = last_rdf_block(p)
    w, h, ml, mb = 520, 320, 50, 40
    gmax = max([g for c in curves.values() for _, g, _ in c] + [3.0])
    X = lambda r: ml + (w - ml - 15) * r / 6.0  # noqa: E731
    Y = lambda g: h - mb - (h - mb - 15) * g / gmax  # noqa: E731
    out = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{w}" height="{h}" font-family="sans-serif" font-size="11">',
           f'<rect width="{w}" height="{h}" fill="white"/>',
           f'<rect x="{ml}" y="15" width="{w - ml - 15}" height="{h - mb - 15}" fill="none" stroke="black"/>',
           f'<line x1="{ml}" x2="{w - 15}" y1="{Y(1)}" y2="{Y(1)}" stroke="#999" stroke-dasharray="4,3"/>']
    for r in range(0, 7):
        out.append(f'<text x="{X(r)}" y="{h - mb + 14}" text-anchor="middle">{r}</text>')
    for g in range(0, int(gmax) + 1):
        out.append(f'<text x="{ml - 6}" y="{Y(g) + 4}" text-anchor="end">{g}</text>')
    out.append(f'<text x="{(w + ml) / 2}" y="{h - 8}" text-anchor="middle">r (Å)</text>')
    out.append(f'<text x="14" y="{h / 2}" transform="rotate(-90 14 {h / 2})" text-anchor="middle">g(r)</text>')
    for k, (el, rows) in enumerate(curves.items()):
        pts = " ".join(f"{X(r):.1f},{Y(g):.1f}" for r, g, _ in rows)
        out.append(f'<polyline points="{pts}" fill="none" stroke="{COLORS[el]}" stroke-width="1.5"/>')
        s = json.loads((root / el / "summary.json").read_text())
        label = f"{el} {1.2 * s['Tm_K']:.0f} K"
        out.append(f'<text x="{w - 120}" y="{35 + 15 * k}" fill="{COLORS[el]}">{label}</text>')
    out.append("</svg>")
    tmp = Path(figure + ".tmp")
    tmp.write_text("\n".join(out) + "\n")
    tmp.replace(figure)


if __name__ == "__main__":
    main()
