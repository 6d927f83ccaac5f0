#!/usr/bin/env python3
"""Comparisons for lammps-plugin/tests/run.sh. Each check prints one line
"PASS <name>: ..." or "FAIL <name>: ..."; run.sh counts them."""
import json
import math
import subprocess
import sys

NKTV2P = 1.6021765e6  # LAMMPS metal units: bar*A^3 per eV


def report(ok, name, detail):
    print(("PASS" if ok else "FAIL") + " " + name + ": " + detail, flush=True)
    return ok


def prints(log, key):
    """Values of the last 'KEY v1 v2 ...' line printed by the input."""
    vals = None
    for line in open(log):
        w = line.split()
        if w and w[0] == key:
            vals = w[1:]
    if vals is None:
        raise ValueError(f"no '{key}' line in {log}")
    return vals


def dump(path):
    """Last frame of a LAMMPS custom dump as a list of dicts, sorted by id."""
    lines = open(path).read().splitlines()
    start = max(i for i, l in enumerate(lines) if l.startswith("ITEM: ATOMS"))
    cols = lines[start].split()[2:]
    rows = [dict(zip(cols, l.split())) for l in lines[start + 1:] if l.strip()]
    return sorted(rows, key=lambda r: int(r["id"]))


def rel(a, b):
    return abs(a - b) / max(abs(a), abs(b), 1e-300)


def eval_compare(name, log, dumpfile, pot, snnp, xyz, tol=1e-10):
    """lmp_snnp energy/forces/virial against `snnp eval --json`."""
    energy = float(prints(log, "ENERGY")[0])
    vir = [float(v) for v in prints(log, "VIRIAL")]
    vol = vir.pop()
    w_lmp = [p * vol / NKTV2P for p in vir]
    atoms = dump(dumpfile)
    write_xyz(log, atoms, xyz)
    res = json.loads(subprocess.run([snnp, "eval", pot, xyz, "--json"], check=True,
                                    capture_output=True, text=True).stdout)
    frame = res["frames"][0]
    ok = report(rel(energy, frame["energy"]) <= tol, name + " energy",
                f"lammps {energy!r} snnp {frame['energy']!r} rel {rel(energy, frame['energy']):.2e}")
    f_lmp = [[float(a[k]) for k in ("fx", "fy", "fz")] for a in atoms]
    fmax = max(abs(c) for f in f_lmp for c in f)
    dmax = max(abs(c - d) for f, g in zip(f_lmp, frame["forces"]) for c, d in zip(f, g))
    ok &= report(dmax / fmax <= tol, name + " forces",
                 f"{len(atoms)} atoms, max|dF| {dmax:.2e} eV/A, max|F| {fmax:.3g}, rel {dmax / fmax:.2e}")
    wmax = max(abs(c) for c in frame["virial"])
    wd = max(abs(c - d) for c, d in zip(w_lmp, frame["virial"]))
    ok &= report(wd / wmax <= tol, name + " virial",
                 f"max|dW| {wd:.2e} eV, max|W| {wmax:.3g}, rel {wd / wmax:.2e}")
    return ok


def meam_compare(name, log, prefix, key="MEAM", label="meam/spline"):
    """pair_style snnp against a LAMMPS reference style in the same run: the input
    prints 'KEY pe press atoms' and 'SNNP pe press atoms' and dumps PREFIX.<key>.dump
    and PREFIX.snnp.dump (key lower-cased)."""
    em, pm, n = (float(v) for v in prints(log, key))
    es, ps, _ = (float(v) for v in prints(log, "SNNP"))
    ok = report(abs(em - es) / n <= 1e-9, name + " energy",
                f"{label} {em!r} snnp {es!r}: {abs(em - es) / n:.2e} eV/atom")
    fa, fb = dump(prefix + f".{key.lower()}.dump"), dump(prefix + ".snnp.dump")
    dmax = max(abs(float(a[k]) - float(b[k])) for a, b in zip(fa, fb) for k in ("fx", "fy", "fz"))
    fmax = max(abs(float(a[k])) for a in fa for k in ("fx", "fy", "fz"))
    ok &= report(dmax <= 1e-8 * max(1.0, fmax) and len(fa) == len(fb), name + " forces",
                 f"max|dF| {dmax:.2e} eV/A, max|F| {fmax:.3g}")
    ok &= report(rel(pm, ps) <= 1e-6, name + " pressure",
                 f"{label} {pm!r} snnp {ps!r} bar, rel {rel(pm, ps):.2e}")
    return ok


def core_compare(name, log, prefix):
    """snnp with its ZBL core against snnp without it overlaid with pair_style zbl."""
    return meam_compare(name, log, prefix, key="ZBL", label="snnp (no core) + zbl")


def thermo(log):
    """Rows of the (last) thermo block with columns Step PotEng KinEng Press."""
    rows, cols, inside = [], None, False
    for line in open(log):
        w = line.split()
        if w and w[0] == "Step":
            cols, inside, rows = w, True, []
            continue
        if inside:
            if w and w[0].lstrip("-").isdigit() and len(w) == len(cols):
                rows.append([float(v) for v in w])
            else:
                inside = False
    return cols, rows


def mpi_compare(name, log1, log2, tol=1e-8):
    return thermo_compare(name, log1, log2, 200, tol)


def thermo_compare(name, log1, log2, last_step, tol=1e-8):
    """The last thermo blocks of two runs of last_step steps agree column by column
    (relative to each column's largest magnitude)."""
    c1, r1 = thermo(log1)
    c2, r2 = thermo(log2)
    if not r1 or len(r1) != len(r2) or c1 != c2 or r1[-1][0] != int(last_step):
        return report(False, name, f"thermo rows {len(r1)} and {len(r2)}, columns {c1} and {c2}")
    worst, where = 0.0, ""
    for j, col in enumerate(c1[1:], start=1):
        scale = max(abs(r[j]) for r in r1)
        for a, b in zip(r1, r2):
            d = abs(a[j] - b[j]) / scale
            if d > worst:
                worst, where = d, f"{col} at step {int(a[0])}"
    return report(worst <= tol, name, f"{len(r1)} thermo rows x {' '.join(c1[1:])}, worst rel diff "
                  f"{worst:.2e} ({where or 'all equal'})")


def nve_drift(name, log, natoms, limit=1e-5):
    cols, rows = thermo(log)
    j = cols.index("TotEng")
    t = [r[0] * 0.001 for r in rows]  # ps
    e = [r[j] / natoms for r in rows]
    n = len(t)
    tm, em = sum(t) / n, sum(e) / n
    slope = sum((a - tm) * (b - em) for a, b in zip(t, e)) / sum((a - tm) ** 2 for a in t)
    drift = abs(slope * (t[-1] - t[0]))
    spread = max(e) - min(e)
    temp = sum(r[cols.index("Temp")] for r in rows[n // 2:]) / (n - n // 2)
    return report(drift < limit and t[-1] >= 10.0 - 1e-9, name,
                  f"{natoms} atoms, {t[-1]:g} ps, <T> {temp:.0f} K: drift (fit) {drift:.2e} eV/atom "
                  f"over the run ({slope:.2e} eV/atom/ps), max-min {spread:.2e} eV/atom, "
                  f"end-start {e[-1] - e[0]:.2e} eV/atom")


def peratom(name, log, tol=1e-10):
    pe, pesum = (float(v) for v in prints(log, "PE"))
    p = [float(v) for v in prints(log, "P")]
    vol = p.pop()
    s = [float(v) for v in prints(log, "S")]
    ok = report(rel(pe, pesum) <= tol, name + " pe/atom", f"pe {pe!r} sum {pesum!r} rel {rel(pe, pesum):.2e}")
    target = [-pi * vol for pi in p]
    scale = max(abs(x) for x in target)
    d = max(abs(a - b) for a, b in zip(target, s)) / scale
    ok &= report(d <= tol, name + " stress/atom", f"sum vs -P*vol (6 components) rel {d:.2e}")
    return ok


def write_xyz(log, atoms, xyz):
    """extended-XYZ file of the dumped atoms (sorted by id) in the printed BOX."""
    lx, ly, lz, xy, xz, yz = (float(v) for v in prints(log, "BOX")[:6])
    els = prints(log, "ELEMENTS")
    with open(xyz, "w") as out:
        out.write(f"{len(atoms)}\n")
        out.write(f'Lattice="{lx!r} 0 0 {xy!r} {ly!r} 0 {xz!r} {yz!r} {lz!r}" '
                  'Properties=species:S:1:pos:R:3 pbc="T T T"\n')
        for a in atoms:
            out.write(f"{els[int(a['type']) - 1]} {a['x']} {a['y']} {a['z']}\n")


def snnp_atom(name, log, dumpfile, pot, snnp, xyz, cid="g", tol=1e-10):
    """compute snnp/atom columns (last dump frame) against `snnp eval --json`
    filters and energy_parts, and linear + network against compute pe/atom."""
    atoms = dump(dumpfile)
    cols = [k for k in atoms[0] if k.startswith(f"c_{cid}[")]
    nf = len(cols) - 2
    if nf < 1:
        return report(False, name, f"{len(cols)} c_{cid} columns in {dumpfile}")
    write_xyz(log, atoms, xyz)
    res = json.loads(subprocess.run([snnp, "eval", pot, xyz, "--json"], check=True,
                                    capture_output=True, text=True).stdout)
    frame = res["frames"][0]
    g_lmp = [[float(a[f"c_{cid}[{k + 1}]"]) for k in range(nf)] for a in atoms]
    g_ref = frame["filters"]
    ok = len(g_ref) == len(atoms) and all(len(g) == nf for g in g_ref)
    gmax = max(abs(c) for g in g_ref for c in g)
    dg = max(abs(c - d) for g, h in zip(g_lmp, g_ref) for c, d in zip(g, h))
    ok = report(ok and dg / gmax <= tol, name + " filters",
                f"{len(atoms)} atoms x {nf} filters vs snnp eval, max|dG| {dg:.2e}, max|G| {gmax:.3g}, "
                f"rel {dg / gmax:.2e}")
    p_lmp = [[float(a[f"c_{cid}[{nf + 1}]"]), float(a[f"c_{cid}[{nf + 2}]"])] for a in atoms]
    p_ref = frame["energy_parts"]
    pmax = max(abs(c) for p in p_ref for c in p)
    dp = max(abs(c - d) for p, q in zip(p_lmp, p_ref) for c, d in zip(p, q))
    nmax = max(abs(p[1]) for p in p_lmp)
    ok &= report(len(p_ref) == len(atoms) and dp / pmax <= tol, name + " parts vs eval",
                 f"linear/network vs snnp eval energy_parts, max|d| {dp:.2e} eV, max|part| {pmax:.3g}, "
                 f"max|network| {nmax:.3g} eV, rel {dp / pmax:.2e}")
    pe = [float(a["c_pea"]) for a in atoms]
    emax = max(abs(e) for e in pe)
    de = max(abs(p[0] + p[1] - e) for p, e in zip(p_lmp, pe))
    ok &= report(de / emax <= tol, name + " linear+network = pe/atom",
                 f"max|lin+net - pe/atom| {de:.2e} eV, max|pe/atom| {emax:.3g}, rel {de / emax:.2e}")
    return ok


def snnp_atom_uncertainty(name, log, dumpfile, pot, snnp, xyz, tol=1e-10, grade_tol=1e-8):
    """compute snnp/atom sigma grade close (c_u, last dump frame) against `snnp eval
    --json` sigmas, grades and close_flags; c_g (filters, parts) as snnp_atom checks.
    The grade multiplies the filters (equal to ~1e-15) by the inverse of the active-set
    matrix, whose condition number amplifies round-off: it agrees to grade_tol."""
    ok = snnp_atom(name, log, dumpfile, pot, snnp, xyz)
    atoms = dump(dumpfile)
    res = json.loads(subprocess.run([snnp, "eval", pot, xyz, "--json"], check=True,
                                    capture_output=True, text=True).stdout)
    frame = res["frames"][0]
    worst = 0.0
    worst_grade = 0.0
    for col, key in ((1, "sigmas"), (2, "grades"), (3, "close_flags")):
        ref = frame[key]
        lmp = [float(a[f"c_u[{col}]"]) for a in atoms]
        if ref is None or len(ref) != len(lmp):
            return report(False, name + " sigma/grade/close", f"snnp eval has no {key} for {len(lmp)} atoms")
        scale = max(1.0, max(abs(v) for v in ref))
        d = max(abs(x - y) for x, y in zip(lmp, ref)) / scale
        if key == "grades":
            worst_grade = d
        else:
            worst = max(worst, d)
    sig = max(float(a["c_u[1]"]) for a in atoms)
    gmax = max(float(a["c_u[2]"]) for a in atoms)
    ok &= report(worst <= tol and worst_grade <= grade_tol and sig > 0, name + " sigma/grade/close vs eval",
                 f"{len(atoms)} atoms, sigma/close max rel diff {worst:.2e}, grade {worst_grade:.2e}, "
                 f"max sigma {sig:.3g} eV, max grade {gmax:.3g}")
    return ok


def halted(name, log, threshold):
    """fix halt stopped the run when the largest grade passed `threshold`."""
    text = open(log).read()
    stopped = "Fix halt condition" in text
    gmax = float(prints(log, "GMAX")[0])
    threshold = float(threshold)
    return report(stopped and gmax > threshold, name,
                  f"fix halt {'stopped' if stopped else 'did not stop'} the run; max grade {gmax:.3g} > {threshold}")


def snnp_atom_zero(name, dumpfile, column, value, cid="g", tol=1e-10):
    """Rows whose dump column equals value (a NULL-mapped type, atoms outside the
    compute's group) are all zeros; the others are not and sum to pe/atom."""
    atoms = dump(dumpfile)
    cols = [k for k in atoms[0] if k.startswith(f"c_{cid}[")]
    zero = [a for a in atoms if a[column] == value]
    other = [a for a in atoms if a[column] != value]
    nz = sum(1 for a in zero if any(float(a[k]) != 0.0 for k in cols))
    nother = sum(1 for a in other if all(float(a[k]) == 0.0 for k in cols))
    nf = len(cols) - 2
    de = max(abs(float(a[f"c_{cid}[{nf + 1}]"]) + float(a[f"c_{cid}[{nf + 2}]"]) - float(a["c_pea"]))
             for a in other)
    emax = max(abs(float(a["c_pea"])) for a in other)
    return report(zero and other and nz == 0 and nother == 0 and de / emax <= tol, name,
                  f"{len(zero)} atoms with {column} {value}: {nz} non-zero rows; {len(other)} others: "
                  f"{nother} all-zero rows, max|lin+net - pe/atom| rel {de / emax:.2e}")


def same_energy(name, log_a, log_b, tol=1e-10):
    ea, eb = float(prints(log_a, "ENERGY")[0]), float(prints(log_b, "ENERGY")[0])
    return report(rel(ea, eb) <= tol, name, f"{ea!r} vs {eb!r}, rel {rel(ea, eb):.2e}")


def same_forces(name, dump_a, dump_b, tol=1e-10):
    fa, fb = dump(dump_a), dump(dump_b)
    fmax = max(abs(float(a[k])) for a in fa for k in ("fx", "fy", "fz"))
    d = max(abs(float(a[k]) - float(b[k])) for a, b in zip(fa, fb) for k in ("fx", "fy", "fz"))
    return report(len(fa) == len(fb) and d / fmax <= tol, name, f"max|dF|/max|F| {d / fmax:.2e}")


def properties(name, json_a, json_b, rel_tol=1e-5, abs_tol=0.011):
    """Every number two examples/properties/run.sh outputs share agrees (they are
    printed with 2-5 decimals: a difference within abs_tol is the rounding)."""
    a, b = json.load(open(json_a)), json.load(open(json_b))
    keys = sorted(k for k in a if k in b and isinstance(a[k], float))
    if len(keys) < 10:
        return report(False, name, f"only {len(keys)} properties in common: {keys}")
    worst = max(keys, key=lambda k: abs(a[k] - b[k]) / max(abs_tol, rel_tol * abs(b[k])))
    d = abs(a[worst] - b[worst])
    ok = all(abs(a[k] - b[k]) <= max(abs_tol, rel_tol * abs(b[k])) for k in keys)
    return report(ok, name, f"{len(keys)} properties, largest difference {worst}: {a[worst]} vs {b[worst]} ({d:.2g})")


if __name__ == "__main__":
    cmd, args = sys.argv[1], sys.argv[2:]
    fn = {"eval": eval_compare, "meam": meam_compare, "core": core_compare, "mpi": mpi_compare, "peratom": peratom,
          "energy": same_energy, "thermo": thermo_compare, "forces": same_forces,
          "snnpatom": snnp_atom, "uncertainty": snnp_atom_uncertainty, "halted": halted, "snnpatomzero": snnp_atom_zero,
          "properties": properties}.get(cmd)
    try:
        ok = nve_drift(args[0], args[1], int(args[2])) if cmd == "nve" else fn(*args)
    except Exception as e:  # missing output etc.: the check fails, naming why
        ok = report(False, args[0], f"{type(e).__name__}: {e}")
    sys.exit(0 if ok else 1)
