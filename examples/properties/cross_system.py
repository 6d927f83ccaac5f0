#!/usr/bin/env python3
"""Property predictions of every element of a multi-element potential, normalised to DFT
(Vita & Trinkle, Fig. 4), and fine-tuning by removing filters (Sec. 3.3).

    python3 examples/properties/cross_system.py table  POTENTIAL.snnp OUT_DIR
    python3 examples/properties/cross_system.py search POTENTIAL.snnp --element Mo --property C12 --out OUT_DIR

table:  runs examples/properties/run.sh for each element of the file that has a DFT
        reference (dft-reference.json) and writes OUT_DIR/<El>.json, properties.md
        (values and value/DFT) and properties.svg (Fig. 4).
search: for each filter a, `snnp edit --element El --remove-filters a` and the run.sh
        input that gives PROPERTY for El only; ranks the removals by |value/DFT - 1|
        (ranking.md); removes the best --combine filters that help (edited.snnp); then
        runs every property for every element before and after (before/, after/,
        before-after.md, before-after.svg): the other elements must not move.

Needs lammps-plugin/build/lmp_snnp (or $LMP) and .build/release/snnp (or $SNNP); the
numbers are snnp.crosssystem's (python/). Runs one LAMMPS at a time.
"""
import argparse
import json
import os
import subprocess
import sys
from pathlib import Path

from snnp import crosssystem as cs

HERE = Path(__file__).resolve().parent
REPO = HERE.parent.parent
INPUTS = ("lattice", "elastic", "elastic_dft_cell", "vacancy", "migration")


def header(path):
    """(elements, number of filters N3 + N2) from the file's 'elements' and 'filters' lines."""
    elements = filters = None
    for n, line in enumerate(Path(path).read_text().splitlines(), 1):
        words = line.split()
        if words[:1] == ["elements"]:
            elements = words[2:]
            if len(elements) != int(words[1]):
                sys.exit(f"{path}:{n}: expected 'elements N El...' with N names, found {line!r}")
        elif words[:1] == ["filters"]:
            filters = int(words[1]) + int(words[2])
        if elements is not None and filters is not None:
            return elements, filters
    sys.exit(f"{path}: expected an 'elements' and a 'filters' line (an .snnp potential file)")


def run_properties(potential, element, out_json, inputs):
    """run.sh for one element (only `inputs`); returns and writes its JSON result."""
    env = dict(os.environ, SNNP_PROPERTIES=" ".join(inputs))
    p = subprocess.run(["bash", str(HERE / "run.sh"), str(potential), element, str(out_json)], env=env,
                       capture_output=True, text=True)
    if p.returncode != 0:
        sys.exit(f"run.sh {potential} {element} failed:\n{p.stderr.strip()}")
    return json.loads(Path(out_json).read_text())


def parse_inputs(text):
    inputs = text.split(",") if text else list(INPUTS)
    bad = [i for i in inputs if i not in INPUTS]
    if bad:
        sys.exit(f"--inputs {text}: unknown {', '.join(bad)} (expected a comma-separated subset of {', '.join(INPUTS)})")
    return inputs


def all_properties(potential, elements, refs, out_dir, inputs):
    out_dir.mkdir(parents=True, exist_ok=True)
    results = {}
    for el in elements:
        print(f"  {el}: run.sh ({' '.join(inputs)})", flush=True)
        results[el] = run_properties(potential, el, out_dir / f"{el}.json", inputs)
    return results


def supported(elements, refs, potential):
    ok = [el for el in elements if el in refs]
    skipped = [el for el in elements if el not in refs]
    if skipped:
        print(f"{potential}: no DFT reference for {', '.join(skipped)} in dft-reference.json: skipped")
    if not ok:
        sys.exit(f"{potential}: none of {', '.join(elements)} has a DFT reference (expected one of {', '.join(refs)})")
    return ok


def table(args):
    refs = cs.references(HERE / "dft-reference.json")
    elements, _ = header(args.potential)
    elements = supported(elements, refs, args.potential)
    out = Path(args.out)
    results = all_properties(args.potential, elements, refs, out, parse_inputs(args.inputs))
    name = Path(args.potential).name
    md = cs.markdown_table({el: {name: r} for el, r in results.items()}, refs)
    (out / "properties.md").write_text(md)
    series = [(el, name, cs.ratios(r, refs[el]), False) for el, r in results.items()]
    (out / "properties.svg").write_text(cs.svg(series, f"{name}: properties / DFT"))
    print(md, end="")
    print(f"wrote {out}/properties.md, properties.svg, <El>.json")


def search(args):
    refs = cs.references(HERE / "dft-reference.json")
    elements, nfilters = header(args.potential)
    if args.element not in elements:
        sys.exit(f"--element {args.element}: {args.potential} has elements {', '.join(elements)}")
    if args.property not in cs.property_names():
        sys.exit(f"--property {args.property}: expected one of {', '.join(cs.property_names())}")
    if args.element not in refs:
        sys.exit(f"--element {args.element}: no DFT reference in dft-reference.json (expected one of {', '.join(refs)})")
    snnp = os.environ.get("SNNP", str(REPO / ".build/release/snnp"))
    filters = range(1, nfilters + 1)
    if args.filters:
        filters = [int(a) for a in args.filters.split(",")]
        bad = [a for a in filters if not 1 <= a <= nfilters]
        if bad:
            sys.exit(f"--filters {args.filters}: {bad} outside 1…{nfilters} (the file's N3 + N2)")
    out = Path(args.out)
    (out / "removed").mkdir(parents=True, exist_ok=True)
    inputs = [cs.INPUT_OF[args.property]]
    ref = refs[args.element]
    print(f"{args.element} {args.property}: unedited", flush=True)
    base = run_properties(args.potential, args.element, out / "removed" / "none.json", inputs)
    removed = {}
    for a in filters:
        edited = out / "removed" / f"without_{a}.snnp"
        subprocess.run([snnp, "edit", args.potential, "-o", str(edited), "--element", args.element,
                        "--remove-filters", str(a)], check=True, capture_output=True)
        removed[a] = run_properties(edited, args.element, out / "removed" / f"without_{a}.json", inputs)
        q = cs.ratio(removed[a], ref, args.property)
        print(f"  without filter {a}: {args.property} = {cs.value(removed[a], args.property):.4g} ({q:.3f} of DFT)", flush=True)
    rows = cs.rank_removals(base, removed, args.property, ref, args.tolerance)
    ranking = cs.ranking_table(rows, args.property, cs.value(base, args.property), cs.ratio(base, ref, args.property))
    (out / "ranking.md").write_text(ranking)
    print(ranking, end="")
    chosen = sorted(row["filter"] for row in [r for r in rows if r["acceptable"]][:args.combine])
    if not chosen:
        guard = (f" without moving another {cs.INPUT_OF[args.property]} property more than"
                 f" {args.tolerance} further from DFT (--tolerance)") if args.tolerance is not None else ""
        print(f"no single removal brings {args.element} {args.property} closer to DFT{guard}; nothing edited")
        return
    edited = out / "edited.snnp"
    subprocess.run([snnp, "edit", args.potential, "-o", str(edited), "--element", args.element,
                    "--remove-filters", ",".join(map(str, chosen))], check=True, capture_output=True)
    every = supported(elements, refs, args.potential)
    full = parse_inputs(args.inputs)
    print(f"before/after for {', '.join(every)}", flush=True)
    before = all_properties(args.potential, every, refs, out / "before", full)
    after = all_properties(edited, every, refs, out / "after", full)
    label = f"{args.element} without {','.join(map(str, chosen))}"
    md = cs.markdown_table({el: {"before": before[el], "after": after[el]} for el in every}, refs, ["before", "after"])
    moved = {el: max((abs(after[el][k] - before[el][k]) for k in before[el] if isinstance(before[el][k], float)),
                     default=0.0) for el in every}
    md += "\nafter: " + label + ". Largest change of any run.sh number: " + ", ".join(
        f"{el} {moved[el]:.3g}" for el in every) + "\n"
    (out / "before-after.md").write_text(md)
    series = [(el, "before", cs.ratios(before[el], refs[el]), False) for el in every]
    series += [(el, "after", cs.ratios(after[el], refs[el]), True) for el in every]
    (out / "before-after.svg").write_text(cs.svg(series, f"{Path(args.potential).name}: {label}"))
    print(md, end="")
    print(f"wrote {out}/ranking.md, edited.snnp, before-after.md, before-after.svg")


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    sub = ap.add_subparsers(dest="command", required=True)
    t = sub.add_parser("table", help="properties / DFT of every element (Fig. 4)")
    t.add_argument("potential")
    t.add_argument("out")
    t.add_argument("--inputs", help=f"run.sh inputs, comma-separated (default all: {','.join(INPUTS)})")
    t.set_defaults(func=table)
    s = sub.add_parser("search", help="rank filter removals by their effect on one property of one element")
    s.add_argument("potential")
    s.add_argument("--element", required=True)
    s.add_argument("--property", required=True, help=f"one of {', '.join(cs.property_names())}")
    s.add_argument("--out", required=True)
    s.add_argument("--filters", help="filters to try, comma-separated 1-based over (G3..., G2...) (default all)")
    s.add_argument("--combine", type=int, default=1, help="remove the best N helpful filters together (default 1)")
    s.add_argument("--tolerance", type=float, default=0.1,
                   help="a removal counts as helpful only if no other property of the same run.sh input moves "
                        "more than this further from DFT, in |value/DFT - 1| (default 0.1; 'inf' to ignore them)")
    s.add_argument("--inputs", help="run.sh inputs of the before/after tables (default all)")
    s.set_defaults(func=search)
    args = ap.parse_args()
    if not Path(args.potential).is_file():
        sys.exit(f"{args.potential}: no such potential file")
    args.func(args)


if __name__ == "__main__":
    main()
