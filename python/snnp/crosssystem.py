"""Property predictions of a multi-element potential normalised to DFT (Vita & Trinkle,
Fig. 4) and the ranking of filter removals by their effect on one property (Sec. 3.3).

The LAMMPS runs are examples/properties/run.sh (one JSON object per element); this module
only reads their results, normalises, ranks and draws:

    refs = references(Path("examples/properties/dft-reference.json"))
    ratios(result, refs["Mo"])                         # {"a0": 1.00, "C11": 1.07, ...}
    rank_removals(base, {1: r1, 2: r2}, "C12", refs["Mo"])

Properties (run.sh key, reference key): a0, C11/C12/C44 clamped-ion (the constants the
training data imply, examples/properties/dft_reference.py), B, and the vacancy formation
and migration energies Ev, Em against typical PBE literature values (the data hold no
relaxed vacancy).
"""
import json
import math
from pathlib import Path

# (label, key in run.sh's JSON, key in the reference, unit)
PROPERTIES = (
    ("a0", "a0", "a0", "Å"),
    ("C11", "C11_clamped", "C11_clamped", "GPa"),
    ("C12", "C12_clamped", "C12_clamped", "GPa"),
    ("C44", "C44_clamped", "C44_clamped", "GPa"),
    ("B", "B", "B", "GPa"),
    ("Ev", "Ev", "Ev", "eV"),
    ("Em", "Em", "Em", "eV"),
)
# run.sh input that yields each property (run.sh's SNNP_PROPERTIES selects inputs)
INPUT_OF = {"a0": "lattice", "C11": "elastic", "C12": "elastic", "C44": "elastic", "B": "elastic",
            "Ev": "vacancy", "Em": "migration"}
# Vacancy formation / migration energies: typical PBE values from the literature, centre
# of the quoted range (the same numbers as examples/properties/table.py).
LITERATURE = {
    "Mo": {"Ev": 2.9, "Em": 1.25},
    "Si": {"Ev": 3.6, "Em": 0.3},
    "Ge": {"Ev": 2.2, "Em": 0.3},
    "Li": {"Ev": 0.55, "Em": 0.05},
}


def property_names():
    """Labels of the properties, in table order."""
    return [p[0] for p in PROPERTIES]


def references(path):
    """DFT references per element: dft-reference.json at `path` plus LITERATURE Ev, Em.

    Li's C44 is not derivable from its data (2-atom Elastic frames): nan.
    """
    data = json.loads(Path(path).read_text())
    refs = {}
    for el, r in data.items():
        if not isinstance(r, dict):
            continue
        r = dict(r)
        r.update(LITERATURE.get(el, {}))
        if el == "Li":
            r["C44_clamped"] = float("nan")
        refs[el] = r
    return refs


def value(result, label):
    """The value of property `label` in a run.sh result (None if not computed)."""
    key = next(p[1] for p in PROPERTIES if p[0] == label)
    return result.get(key)


def ratio(result, ref, label):
    """value / DFT for property `label`; None where either is missing or the reference is nan/0."""
    _, key, rkey, _ = next(p for p in PROPERTIES if p[0] == label)
    v, d = result.get(key), ref.get(rkey)
    if v is None or d is None or d == 0 or (isinstance(d, float) and math.isnan(d)):
        return None
    return v / d


def ratios(result, ref):
    """{label: value / DFT} for every property (None where unavailable)."""
    return {label: ratio(result, ref, label) for label in property_names()}


def rank_removals(base, removed, label, ref, tolerance=None):
    """Ranks single-filter removals by how close they bring property `label` to DFT.

    base: the unedited run.sh result; removed: {filter number: run.sh result with that
    filter removed}. Returns rows sorted by |ratio - 1| (best first), each a dict with
    filter, value, ratio, error (|ratio - 1|) and gain (the base error minus this error;
    positive: the removal helps). Each row also names the other property of the same
    run.sh input that the removal moves furthest from DFT (`worst_other`, `other_loss`: how
    much further, in |ratio - 1|; None and 0.0 when there is none), and `acceptable`: the
    removal helps and, with a `tolerance`, moves no other property of that input further
    from DFT than the tolerance (a repair of C12 that breaks C44 is not one).
    """
    base_ratio = ratio(base, ref, label)
    if base_ratio is None:
        raise ValueError(f"{label}: no value or no DFT reference for the unedited potential")
    others = [o for o in property_names() if o != label and INPUT_OF[o] == INPUT_OF[label]]
    rows = []
    for a, r in removed.items():
        q = ratio(r, ref, label)
        if q is None:
            raise ValueError(f"{label}: no value for the potential without filter {a}")
        worst, loss = None, 0.0
        for o in others:
            qb, qa = ratio(base, ref, o), ratio(r, ref, o)
            if qb is None or qa is None:
                continue
            d = abs(qa - 1) - abs(qb - 1)
            if d > loss:
                worst, loss = o, d
        gain = abs(base_ratio - 1) - abs(q - 1)
        rows.append({"filter": a, "value": value(r, label), "ratio": q, "error": abs(q - 1), "gain": gain,
                     "worst_other": worst, "other_loss": loss,
                     "acceptable": gain > 0 and (tolerance is None or loss <= tolerance)})
    rows.sort(key=lambda row: (row["error"], row["filter"]))
    return rows


def _fmt(v, unit):
    if v is None or (isinstance(v, float) and math.isnan(v)):
        return "–"
    return f"{v:.3f}" if unit in ("Å", "eV") else f"{v:.0f}"


def markdown_table(results, refs, models=None):
    """Markdown table: per element the DFT row, then each model's values with value/DFT.

    results: {element: {model: run.sh result}} (models in the order of `models`, default
    the order found).
    """
    head = "| element | model | " + " | ".join(f"{lab} ({u})" for lab, _, _, u in PROPERTIES) + " |"
    lines = [head, "|" + "---|" * (len(PROPERTIES) + 2)]
    for el, by_model in results.items():
        ref = refs.get(el, {})
        lines.append(f"| {el} | DFT | " + " | ".join(
            _fmt(ref.get(rk), u) + ("*" if lab in ("Ev", "Em") and rk in ref else "")
            for lab, _, rk, u in PROPERTIES) + " |")
        for model in (models or list(by_model)):
            r = by_model.get(model)
            if r is None:
                continue
            cells = []
            for lab, _, _, u in PROPERTIES:
                q = ratio(r, ref, lab)
                cells.append(_fmt(value(r, lab), u) + (f" ({q:.2f})" if q is not None else ""))
            lines.append(f"| {el} | {model} | " + " | ".join(cells) + " |")
    return "\n".join(lines) + "\n"


def ranking_table(rows, label, base_value, base_ratio):
    """Markdown table of rank_removals rows (the unedited potential first)."""
    lines = [f"| removed filter | {label} | {label} / DFT | gain (distance to DFT before − after) "
             "| other property moved furthest from DFT (by) |", "|---|---|---|---|---|",
             f"| none | {base_value:.4g} | {base_ratio:.3f} | – | – |"]
    for row in rows:
        other = f"{row['worst_other']} (+{row['other_loss']:.3f})" if row["worst_other"] else "none"
        lines.append(f"| {row['filter']} | {row['value']:.4g} | {row['ratio']:.3f} | {row['gain']:+.3f} | {other} |")
    return "\n".join(lines) + "\n"


COLORS = ("#1f77b4", "#ff7f0e", "#d62728", "#2ca02c", "#9467bd", "#8c564b")


def svg(series, title, lo=0.0, hi=2.0):
    """Fig. 4: value / DFT per property, one polyline per (element, model).

    series: list of (element, model, ratios dict, dashed) in drawing order; elements share a
    colour, dashed lines mark edited models. Off-scale values sit on the edge as triangles.
    """
    labels = property_names()
    elements = list(dict.fromkeys(s[0] for s in series))
    w, h, x0, y0, pw, ph = 660, 430, 70, 50, 440, 300

    def X(j):
        return x0 + pw * (j + 0.5) / len(labels)

    def Y(v):
        return y0 + ph * (1 - (min(max(v, lo), hi) - lo) / (hi - lo))
    out = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{w}" height="{h}" font-family="sans-serif" font-size="12">',
           f'<rect width="{w}" height="{h}" fill="white"/>',
           f'<text x="{w / 2}" y="24" text-anchor="middle" font-size="14" font-weight="bold">{title}</text>',
           f'<rect x="{x0}" y="{Y(1.1)}" width="{pw}" height="{Y(0.9) - Y(1.1)}" fill="#e8f4e8"/>',
           f'<rect x="{x0}" y="{y0}" width="{pw}" height="{ph}" fill="none" stroke="black"/>']
    t = lo
    while t <= hi + 1e-9:
        out.append(f'<line x1="{x0 - 4}" x2="{x0}" y1="{Y(t)}" y2="{Y(t)}" stroke="black"/>'
                   f'<text x="{x0 - 7}" y="{Y(t) + 4}" text-anchor="end">{t:g}</text>')
        t += 0.25 if hi - lo <= 2 else 0.5
    out.append(f'<line x1="{x0}" x2="{x0 + pw}" y1="{Y(1)}" y2="{Y(1)}" stroke="#555" stroke-dasharray="2,2"/>')
    for j, lab in enumerate(labels):
        out.append(f'<text x="{X(j)}" y="{y0 + ph + 18}" text-anchor="middle">{lab}</text>')
    out.append(f'<text x="22" y="{y0 + ph / 2}" transform="rotate(-90 22 {y0 + ph / 2})" text-anchor="middle">value / DFT</text>')
    for el, model, rat, dashed in series:
        color = COLORS[elements.index(el) % len(COLORS)]
        pts = [(X(j), Y(rat[lab]), rat[lab]) for j, lab in enumerate(labels) if rat.get(lab) is not None]
        dash = ' stroke-dasharray="6,4"' if dashed else ""
        out.append(f'<polyline points="{" ".join(f"{x:.1f},{y:.1f}" for x, y, _ in pts)}" fill="none" '
                   f'stroke="{color}" stroke-width="1.8"{dash}/>')
        for x, y, v in pts:
            if lo <= v <= hi:
                out.append(f'<circle cx="{x:.1f}" cy="{y:.1f}" r="3.5" fill="{"white" if dashed else color}" stroke="{color}"/>')
            else:
                s = -1 if v > hi else 1
                out.append(f'<polygon points="{x - 5:.1f},{y - 5 * s:.1f} {x + 5:.1f},{y - 5 * s:.1f} {x:.1f},{y + 4 * s:.1f}" fill="{color}"/>')
    ly = y0
    for el, model, _, dashed in series:
        color = COLORS[elements.index(el) % len(COLORS)]
        dash = ' stroke-dasharray="6,4"' if dashed else ""
        out.append(f'<line x1="{x0 + pw + 15}" x2="{x0 + pw + 40}" y1="{ly}" y2="{ly}" stroke="{color}" stroke-width="2"{dash}/>'
                   f'<text x="{x0 + pw + 46}" y="{ly + 4}">{el} {model}</text>')
        ly += 18
    out.append(f'<text x="{x0}" y="{h - 26}" font-size="10">green band: within 10 % of DFT; triangles: off scale; open circles: edited.</text>')
    out.append(f'<text x="{x0}" y="{h - 12}" font-size="10">a0, C11, C12, C44 (clamped ions), B: DFT implied by the training data; '
               'Ev, Em: PBE literature.</text>')
    out.append("</svg>")
    return "\n".join(out) + "\n"
